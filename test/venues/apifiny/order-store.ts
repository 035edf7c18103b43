/** The venue's orders and fills per account (they outlive a stop/restart of the listeners) and their wire forms. */
import { ZERO, type Decimal } from '../../../engine/model/decimal.js';
import type {
  ApifinyFillWire,
  ApifinyLastFillWire,
  ApifinyOrderSide,
  ApifinyOrderStatus,
  ApifinyOrderType,
  ApifinyOrderWire,
} from './protocol.js';

export interface LastFill {
  readonly commission: number;
  readonly commissionCurrency: string;
  readonly quantity: number;
  readonly price: number;
  readonly createdAt: number;
  readonly isTaker: boolean;
  readonly tradeId: string;
}

export interface OrderRecord {
  readonly accountId: string;
  readonly subAccountId: string;
  readonly venue: string;
  readonly orderId: string;
  /** The id the matching engine knows the order by (unique across accounts). */
  readonly simId: string;
  readonly symbol: string;
  readonly baseCurrency: string;
  readonly quoteCurrency: string;
  readonly orderType: ApifinyOrderType;
  readonly orderSide: ApifinyOrderSide;
  readonly timeInForce: number;
  readonly limitPrice: number | null;
  readonly quantity: number;
  filledQuantity: Decimal;
  fillNotional: Decimal;
  status: ApifinyOrderStatus;
  readonly createdAt: number;
  updatedAt: number;
  cancelledUpdatedAt: number | null;
  filledUpdatedAt: number | null;
  lastFill: LastFill | undefined;
  /** What is still frozen for this order, in `frozenCurrency` (quote for a buy, base for a sell). */
  readonly frozenCurrency: string;
  frozenRemaining: Decimal;
  /** A cancel was sent to the matching engine and not answered yet. */
  cancelPending: boolean;
}

export interface FillRecord {
  readonly accountId: string;
  readonly symbol: string;
  readonly orderId: string;
  readonly wire: ApifinyFillWire;
}

export interface OrderStore {
  add(order: OrderRecord): void;
  get(accountId: string, orderId: string): OrderRecord | undefined;
  bySimId(simId: string): OrderRecord | undefined;
  /** The account's orders in creation order. */
  orders(accountId: string): readonly OrderRecord[];
  addFill(fill: FillRecord): void;
  fills(accountId: string): readonly FillRecord[];
}

export function createOrderStore(): OrderStore {
  const byAccount = new Map<string, Map<string, OrderRecord>>();
  const bySim = new Map<string, OrderRecord>();
  const fills = new Map<string, FillRecord[]>();
  return {
    add(order) {
      let m = byAccount.get(order.accountId);
      if (m === undefined) byAccount.set(order.accountId, (m = new Map()));
      m.set(order.orderId, order);
      bySim.set(order.simId, order);
    },
    get: (accountId, orderId) => byAccount.get(accountId)?.get(orderId),
    bySimId: (simId) => bySim.get(simId),
    orders: (accountId) => [...(byAccount.get(accountId)?.values() ?? [])],
    addFill(fill) {
      let list = fills.get(fill.accountId);
      if (list === undefined) fills.set(fill.accountId, (list = []));
      list.push(fill);
    },
    fills: (accountId) => fills.get(accountId) ?? [],
  };
}

/** The new order response element ("Same as new order response" everywhere orders are returned). */
export function orderWire(o: OrderRecord): ApifinyOrderWire {
  const filled = o.filledQuantity.toNumber();
  const open = o.status === 'PENDING_SUBMIT' || o.status === 'SUBMITTED';
  return {
    accountId: o.subAccountId,
    venue: o.venue,
    orderId: o.orderId,
    symbol: o.symbol,
    orderType: o.orderType,
    orderSide: o.orderSide,
    limitPrice: o.limitPrice,
    quantity: o.quantity,
    filledAveragePrice: o.filledQuantity.isZero() ? 0 : o.fillNotional.div(o.filledQuantity).toNumber(),
    filledCumulativeQuantity: filled,
    timeInForce: o.timeInForce,
    openQuantity: open ? ZERO.plus(o.quantity).minus(o.filledQuantity).toNumber() : 0,
    orderStatus: o.status,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    cancelledUpdatedAt: o.cancelledUpdatedAt,
    filledUpdatedAt: o.filledUpdatedAt,
  };
}

export function lastFillWire(f: LastFill): ApifinyLastFillWire {
  return {
    lastCommission: f.commission,
    lastCommissionCurrency: f.commissionCurrency,
    lastFilledQuantity: f.quantity,
    lastFilledPrice: f.price,
    lastFilledCreatedAt: f.createdAt,
    isTaker: f.isTaker,
    tradeId: f.tradeId,
  };
}

/** An order update payload: the order plus its last fill's fields once it has one. */
export function orderUpdateWire(o: OrderRecord): ApifinyOrderWire & Partial<ApifinyLastFillWire> {
  return o.lastFill === undefined ? orderWire(o) : { ...orderWire(o), ...lastFillWire(o.lastFill) };
}
