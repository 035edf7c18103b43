import type { DistributiveOmit } from './result.js';
import type { ClientOrderId, InstrumentId, Millis, StrategyId, TradeId, VenueId, VenueOrderId } from './ids.js';
import type { OrderSide } from './order.js';

/** Why the local risk layer refused a command. */
export type DenialCode =
  | 'INVALID_INTENT'
  | 'UNKNOWN_INSTRUMENT'
  | 'UNKNOWN_ORDER'
  | 'TRADING_HALTED'
  | 'TRADING_REDUCING'
  | 'NOT_RECONCILED'
  | 'INVALID_PRICE'
  | 'PRICE_OFF_TICK'
  | 'PRICE_BELOW_MIN'
  | 'PRICE_ABOVE_MAX'
  | 'PRICE_BAND'
  | 'QTY_OFF_STEP'
  | 'QTY_ZERO'
  | 'QTY_BELOW_MIN'
  | 'QTY_ABOVE_MAX'
  | 'NOTIONAL_BELOW_MIN'
  | 'NOTIONAL_ABOVE_MAX'
  | 'POSITION_LIMIT'
  | 'POSITION_NOTIONAL_LIMIT'
  | 'MAX_OPEN_ORDERS'
  | 'REDUCE_ONLY'
  | 'RATE_LIMITED'
  | 'STRATEGY_STOPPED'
  /** An order or combination the engine does not take (a trailing stop-limit, a second order at the venue in one OCO group). */
  | 'UNSUPPORTED_ORDER'
  /** A bracket's take-profit or stop-loss whose entry was denied. */
  | 'PARENT_DENIED';

interface EventBase {
  readonly clientOrderId: ClientOrderId;
  readonly strategyId: StrategyId;
  readonly instrumentId: InstrumentId;
  /** When it happened (venue time for venue events). */
  readonly tsEvent: Millis;
  /** When the engine saw it. */
  readonly tsInit: Millis;
}

/** Refused locally by the risk layer: nothing reached the venue. */
export interface OrderDenied extends EventBase {
  readonly kind: 'OrderDenied';
  readonly code: DenialCode;
  readonly message: string;
}
/** Handed to the venue; outcome unknown until it answers. */
export interface OrderSubmitted extends EventBase {
  readonly kind: 'OrderSubmitted';
  readonly venue: VenueId;
}
export interface OrderAccepted extends EventBase {
  readonly kind: 'OrderAccepted';
  readonly venueOrderId: VenueOrderId;
}
/** Refused by the venue. */
export interface OrderRejected extends EventBase {
  readonly kind: 'OrderRejected';
  readonly reason: string;
}
export interface OrderPendingCancel extends EventBase {
  readonly kind: 'OrderPendingCancel';
}
export interface OrderPendingUpdate extends EventBase {
  readonly kind: 'OrderPendingUpdate';
}
export interface OrderCanceled extends EventBase {
  readonly kind: 'OrderCanceled';
  readonly reason?: string;
}
export interface OrderCancelRejected extends EventBase {
  readonly kind: 'OrderCancelRejected';
  readonly reason: string;
}
export interface OrderUpdated extends EventBase {
  readonly kind: 'OrderUpdated';
  readonly price?: number;
  readonly quantity: number;
  /** An emulated order's trigger moved (a trailing stop following the price). */
  readonly triggerPrice?: number;
}
export interface OrderModifyRejected extends EventBase {
  readonly kind: 'OrderModifyRejected';
  readonly reason: string;
}
/**
 * An order of ours that the engine had no record of, found at the venue by reconciliation (sent just before a crash,
 * before it could be stored). It is taken over as accepted; its fills and final state follow as their own events.
 */
export interface OrderAdopted extends EventBase {
  readonly kind: 'OrderAdopted';
  readonly venue: VenueId;
  readonly venueOrderId: VenueOrderId;
  readonly reason: string;
}
/** An emulated order is held by the engine, armed on its trigger. */
export interface OrderEmulated extends EventBase {
  readonly kind: 'OrderEmulated';
  readonly triggerPrice: number;
  readonly triggerType: string;
  /** A trailing stop's distance. */
  readonly trailing?: number;
  /** One-triggers-other: held until this order fills. */
  readonly parentId?: string;
  /** One-cancels-other: the group it joined. */
  readonly ocoGroup?: string;
}
/**
 * A plain (market or limit) one-triggers-other child held by the engine until its parent has filled all it will: it is
 * released (OrderReleased, at the parent's average fill price) when the parent ends with fills, sized to them.
 */
export interface OrderHeld extends EventBase {
  readonly kind: 'OrderHeld';
  readonly parentId: string;
  /** One-cancels-other: the group it joined. */
  readonly ocoGroup?: string;
}
/** Its trigger was touched at `triggerObserved`: it goes on as a market or limit order (submitted or denied next). */
export interface OrderReleased extends EventBase {
  readonly kind: 'OrderReleased';
  readonly triggerObserved: number;
}
export interface OrderExpired extends EventBase {
  readonly kind: 'OrderExpired';
}
export type Liquidity = 'maker' | 'taker';
/** One execution. Keyed by (venue, venueOrderId, tradeId); applied once. */
export interface OrderFilled extends EventBase {
  readonly kind: 'OrderFilled';
  readonly venue: VenueId;
  readonly venueOrderId: VenueOrderId;
  readonly tradeId: TradeId;
  readonly side: OrderSide;
  readonly lastQty: number;
  readonly lastPrice: number;
  /** Exact fee in `feeCurrency` (negative = rebate). */
  readonly fee: number;
  readonly feeCurrency: string;
  readonly liquidity: Liquidity;
}

export type OrderEvent =
  | OrderDenied
  | OrderSubmitted
  | OrderAccepted
  | OrderRejected
  | OrderPendingCancel
  | OrderPendingUpdate
  | OrderCanceled
  | OrderCancelRejected
  | OrderUpdated
  | OrderModifyRejected
  | OrderExpired
  | OrderFilled
  | OrderAdopted
  | OrderEmulated
  | OrderReleased
  | OrderHeld;
export type OrderEventKind = OrderEvent['kind'];

/** What a venue (simulated or real) reports: it does not know strategies; the execution engine adds strategyId. */
export type VenueOrderEvent = DistributiveOmit<
  OrderAccepted | OrderRejected | OrderCanceled | OrderCancelRejected | OrderUpdated | OrderModifyRejected | OrderExpired | OrderFilled,
  'strategyId' | 'tsInit'
>;
