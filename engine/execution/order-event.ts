/**
 * A venue's event as the engine's order event: the strategy and the engine time added, built as one fixed-shape
 * literal per kind (the same properties in the same order every time, optional ones included as undefined). A generic
 * copy (Object.assign) cost a hidden-class transition per property on every order event and left later reads of the
 * events polymorphic across kinds' many shapes.
 */
import type { OrderEvent, VenueOrderEvent } from '../model/events.js';
import type { Millis, StrategyId } from '../model/ids.js';

export function orderEventOf(ev: VenueOrderEvent, strategyId: StrategyId, tsInit: Millis): OrderEvent {
  const { clientOrderId, instrumentId, tsEvent } = ev;
  switch (ev.kind) {
    case 'OrderAccepted':
      return { kind: ev.kind, clientOrderId, strategyId, instrumentId, tsEvent, tsInit, venueOrderId: ev.venueOrderId };
    case 'OrderRejected':
      return { kind: ev.kind, clientOrderId, strategyId, instrumentId, tsEvent, tsInit, reason: ev.reason };
    case 'OrderCanceled':
      return { kind: ev.kind, clientOrderId, strategyId, instrumentId, tsEvent, tsInit, reason: ev.reason };
    case 'OrderCancelRejected':
      return { kind: ev.kind, clientOrderId, strategyId, instrumentId, tsEvent, tsInit, reason: ev.reason };
    case 'OrderUpdated':
      return { kind: ev.kind, clientOrderId, strategyId, instrumentId, tsEvent, tsInit, price: ev.price, quantity: ev.quantity, triggerPrice: ev.triggerPrice };
    case 'OrderModifyRejected':
      return { kind: ev.kind, clientOrderId, strategyId, instrumentId, tsEvent, tsInit, reason: ev.reason };
    case 'OrderExpired':
      return { kind: ev.kind, clientOrderId, strategyId, instrumentId, tsEvent, tsInit };
    case 'OrderFilled':
      return {
        kind: ev.kind, clientOrderId, strategyId, instrumentId, tsEvent, tsInit, venue: ev.venue, venueOrderId: ev.venueOrderId,
        tradeId: ev.tradeId, side: ev.side, lastQty: ev.lastQty, lastPrice: ev.lastPrice, fee: ev.fee, feeCurrency: ev.feeCurrency,
        liquidity: ev.liquidity,
      };
  }
}
