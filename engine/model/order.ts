import { subExact } from './decimal.js';
import type { ClientOrderId, InstrumentId, Millis, StrategyId, VenueId, VenueOrderId } from './ids.js';

export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit';
/** GTD expires at `expireAt` (engine clock). */
export type TimeInForce = 'GTC' | 'IOC' | 'FOK' | 'GTD';

/**
 * SUBMITTED is the in-flight state: sent, outcome unknown until the venue answers (a timeout or lost reply keeps an
 * order here until reconciliation settles it).
 */
export type OrderStatus =
  | 'INITIALIZED'
  | 'DENIED'
  | 'SUBMITTED'
  | 'ACCEPTED'
  | 'REJECTED'
  | 'PENDING_UPDATE'
  | 'PENDING_CANCEL'
  | 'PARTIALLY_FILLED'
  | 'FILLED'
  | 'CANCELED'
  | 'EXPIRED';

export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['DENIED', 'REJECTED', 'FILLED', 'CANCELED', 'EXPIRED']);
export const isOpenStatus = (s: OrderStatus): boolean => !TERMINAL_STATUSES.has(s) && s !== 'INITIALIZED';

/** An order as the engine tracks it. Prices and quantities are exact carriers (see decimal.ts). */
export interface Order {
  readonly clientOrderId: ClientOrderId;
  readonly strategyId: StrategyId;
  readonly instrumentId: InstrumentId;
  readonly venue: VenueId;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  readonly expireAt?: Millis;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  readonly tag?: string;
  readonly tsInit: Millis;
  venueOrderId?: VenueOrderId;
  quantity: number;
  price?: number;
  status: OrderStatus;
  /** Status before a PENDING_CANCEL / PENDING_UPDATE, restored when the venue refuses the cancel or modify. */
  statusBeforePending?: OrderStatus;
  filledQty: number;
  /** Volume-weighted average fill price (a view; exact fills are in the fills table). */
  avgFillPrice?: number;
  tsLast: Millis;
}

/** Read-only view handed to strategies. */
export type OrderView = Readonly<Order>;

export function leavesQty(order: Pick<Order, 'quantity' | 'filledQty'>): number {
  return subExact(order.quantity, order.filledQty);
}
