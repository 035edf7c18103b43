import { subExact } from './decimal.js';
import type { ClientOrderId, InstrumentId, Millis, StrategyId, VenueId, VenueOrderId } from './ids.js';

export type OrderSide = 'buy' | 'sell';
/** What a venue is sent. */
export type OrderType = 'market' | 'limit';
/**
 * Order types the engine holds and releases itself when their trigger is touched (engine/execution/emulator.ts; no venue
 * of ours has them natively). Each is a market or limit order with a `Trigger`: stop-market / stop-limit release when
 * the watched price reaches the trigger moving against the side (a buy stop at or above it, a sell stop at or below),
 * market-/limit-if-touched when it reaches it the other way (a buy at or below, a sell at or above).
 */
export type EmulatedOrderType = 'stop_market' | 'stop_limit' | 'market_if_touched' | 'limit_if_touched';
/**
 * The price a trigger watches: `last` trades (and bars), `bid_ask` the side a market order would take (a buy watches
 * the ask, a sell the bid), `mid` the mid of the best bid and ask.
 */
export type TriggerType = 'last' | 'bid_ask' | 'mid';
/** What releases an emulated order: `stop` (price moves to it against the side) or `touch` (moves to it with the side). */
export interface Trigger {
  readonly kind: 'stop' | 'touch';
  /** The trigger price; for a trailing stop, where it starts. */
  readonly price: number;
  readonly on: TriggerType;
  /**
   * A trailing stop: the trigger follows the watched price at this distance (in price) as it moves in the order's
   * favour, never back (a sell stop rises with the price, a buy stop falls with it).
   */
  readonly trailing?: number;
}
export const EMULATED_TYPES: ReadonlySet<string> = new Set<EmulatedOrderType>(['stop_market', 'stop_limit', 'market_if_touched', 'limit_if_touched']);
export const isEmulatedType = (t: string): t is EmulatedOrderType => EMULATED_TYPES.has(t);
/** GTD expires at `expireAt` (engine clock). */
export type TimeInForce = 'GTC' | 'IOC' | 'FOK' | 'GTD';

/**
 * SUBMITTED is the in-flight state: sent, outcome unknown until the venue answers (a timeout or lost reply keeps an
 * order here until reconciliation settles it).
 */
export type OrderStatus =
  | 'INITIALIZED'
  /** Held by the engine's emulator until its trigger is touched. */
  | 'EMULATED'
  /** Its trigger was touched: it is being submitted as a market or limit order (through the risk layer). */
  | 'RELEASED'
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
  /** What the venue gets (once released, for an emulated order). */
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  readonly expireAt?: Millis;
  /** An emulated order's trigger: the engine holds the order (EMULATED) until it is touched. A trailing stop's moves. */
  trigger?: Trigger;
  /** One-triggers-other: held (EMULATED, not armed) until this order fills, and sized to what it filled. */
  readonly parentId?: ClientOrderId;
  /**
   * One-cancels-other: the group this order joined, named by the client order id of the group's first order (which
   * carries no group itself). See engine/execution/contingent.ts for the rules.
   */
  readonly ocoGroup?: string;
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
