import type { ClientOrderId, InstrumentId, Millis, StrategyId, VenueOrderId } from './ids.js';
import type { EmulatedOrderType, OrderSide, OrderType, TimeInForce, Trigger, TriggerType } from './order.js';

/** What a strategy asks for. Numbers may be off-grid here; the risk layer rounds or denies. */
export interface SubmitIntent {
  readonly kind: 'submit';
  readonly instrumentId: InstrumentId;
  readonly side: OrderSide;
  readonly type?: OrderType | EmulatedOrderType;
  readonly quantity: number | string;
  readonly price?: number | string;
  /** Emulated types: the price that releases the order, and what it watches (default `last`). */
  readonly triggerPrice?: number | string;
  readonly triggerType?: TriggerType;
  readonly timeInForce?: TimeInForce;
  readonly expireAt?: Millis;
  readonly postOnly?: boolean;
  readonly reduceOnly?: boolean;
  readonly tag?: string;
  /** One-cancels-other with this open order of the same strategy and instrument (and the rest of its group). */
  readonly ocoWith?: ClientOrderId;
  /** One-triggers-other: held until this order fills, sized to what it filled (contingent.ts). */
  readonly parentId?: ClientOrderId;
}
export interface CancelIntent {
  readonly kind: 'cancel';
  readonly clientOrderId: ClientOrderId;
}
export interface CancelAllIntent {
  readonly kind: 'cancelAll';
  readonly instrumentId?: InstrumentId;
}
export interface ModifyIntent {
  readonly kind: 'modify';
  readonly clientOrderId: ClientOrderId;
  readonly price?: number | string;
  readonly quantity?: number | string;
}
export type OrderIntent = SubmitIntent | CancelIntent | CancelAllIntent | ModifyIntent;

/** Commands carry a client order id and reach the risk layer, then (if approved) a venue. */
export interface SubmitOrder {
  readonly kind: 'SubmitOrder';
  readonly clientOrderId: ClientOrderId;
  readonly strategyId: StrategyId;
  readonly instrumentId: InstrumentId;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: number;
  readonly price?: number;
  /** Emulated: held by the engine until touched, then sent as `type` without it. */
  readonly trigger?: Trigger;
  readonly timeInForce: TimeInForce;
  readonly expireAt?: Millis;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  readonly tag?: string;
  readonly tsInit: Millis;
  /** One-cancels-other with this order (and its group). */
  readonly ocoWith?: ClientOrderId;
  /** One-triggers-other: held until this order fills. */
  readonly parentId?: ClientOrderId;
}
export interface CancelOrder {
  readonly kind: 'CancelOrder';
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId?: VenueOrderId;
  readonly strategyId: StrategyId;
  readonly instrumentId: InstrumentId;
  readonly tsInit: Millis;
}
export interface ModifyOrder {
  readonly kind: 'ModifyOrder';
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId?: VenueOrderId;
  readonly strategyId: StrategyId;
  readonly instrumentId: InstrumentId;
  readonly side: OrderSide;
  /** New price / total quantity; undefined leaves it unchanged. */
  readonly price?: number;
  readonly quantity?: number;
  readonly tsInit: Millis;
}
export type TradingCommand = SubmitOrder | CancelOrder | ModifyOrder;
