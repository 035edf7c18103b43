/** Apifiny frames → engine domain: ticks, venue order events (with per-order dedupe), reports. */
import type { VenueOrderEvent } from '../../engine/model/events.js';
import type { ClientOrderId, InstrumentId, VenueId } from '../../engine/model/ids.js';
import type { OrderStatus } from '../../engine/model/order.js';
import type { FillReport, OrderStatusReport } from '../../engine/model/reports.js';
import { createRetention, type RetentionLimits } from '../../engine/model/retention.js';
import type { BookSnapshot, Quote, Trade } from '../../engine/model/tick.js';
import type { ApifinyOrderStatus } from './constants.js';
import type { ApifinyFillWire, ApifinyLastFillWire, ApifinyLevelWire, ApifinyOrderUpdateWire, ApifinyOrderWire, ApifinyTradeWire } from './wire.js';

const levels = (ls: readonly ApifinyLevelWire[]) => ls.map(([price, size]) => ({ price, size }));

export function toBook(instrumentId: InstrumentId, f: { updatedAt: number; bids: readonly ApifinyLevelWire[]; asks: readonly ApifinyLevelWire[] }, now: number): BookSnapshot {
  return { kind: 'book', instrumentId, tsEvent: f.updatedAt, tsInit: now, bids: levels(f.bids), asks: levels(f.asks) };
}

/** Top of book; undefined while a side is empty. */
export function toQuote(book: BookSnapshot): Quote | undefined {
  const b = book.bids[0];
  const a = book.asks[0];
  if (!b || !a) return undefined;
  return { kind: 'quote', instrumentId: book.instrumentId, tsEvent: book.tsEvent, tsInit: book.tsInit, bid: b.price, ask: a.price, bidSize: b.size, askSize: a.size };
}

/** `side` is the maker's side ("buy side indicates a down-tick"): the aggressor is the other one. */
export function toTrade(instrumentId: InstrumentId, t: ApifinyTradeWire, now: number): Trade {
  return {
    kind: 'trade', instrumentId, tsEvent: t.tradeTime, tsInit: now, price: t.price, size: t.qty,
    aggressor: t.side === 'BUY' ? 'sell' : 'buy',
    ...(t.exchangeID !== undefined ? { tradeId: t.exchangeID } : {}),
  };
}

export const fillKey = (orderId: string, f: { filledCumulativeQuantity: number } & Pick<ApifinyLastFillWire, 'tradeId'>): string =>
  f.tradeId ?? `${orderId}:${f.filledCumulativeQuantity}`;

export function engineStatus(s: ApifinyOrderStatus, filledQty: number): OrderStatus {
  switch (s) {
    case 'PENDING_SUBMIT':
      return 'SUBMITTED';
    case 'SUBMITTED':
      return filledQty > 0 ? 'PARTIALLY_FILLED' : 'ACCEPTED';
    case 'PART_FILLED':
    case 'CANCELLED':
      return 'CANCELED';
    case 'FILLED':
      return 'FILLED';
    case 'REJECTED':
      return 'REJECTED';
  }
}

export function toStatusReport(venue: VenueId, instrumentId: InstrumentId, o: ApifinyOrderWire, clientOrderId: ClientOrderId | undefined): OrderStatusReport {
  return {
    venue, instrumentId, venueOrderId: o.orderId,
    ...(clientOrderId !== undefined ? { clientOrderId } : {}),
    side: o.orderSide === 'BUY' ? 'buy' : 'sell',
    type: o.orderType === 'LIMIT' ? 'limit' : 'market',
    timeInForce: o.timeInForce === 3 || o.orderType === 'MARKET' ? 'IOC' : 'GTC',
    status: engineStatus(o.orderStatus, o.filledCumulativeQuantity),
    quantity: o.quantity,
    filledQty: o.filledCumulativeQuantity,
    ...(o.limitPrice !== null ? { price: o.limitPrice } : {}),
    ...(o.filledCumulativeQuantity > 0 ? { avgFillPrice: o.filledAveragePrice } : {}),
    tsLast: o.updatedAt,
  };
}

export function toFillReport(venue: VenueId, instrumentId: InstrumentId, f: ApifinyFillWire, clientOrderId: ClientOrderId | undefined): FillReport {
  return {
    venue, instrumentId, venueOrderId: f.orderId,
    ...(clientOrderId !== undefined ? { clientOrderId } : {}),
    tradeId: fillKey(f.orderId, f),
    side: f.orderSide === 'BUY' ? 'buy' : 'sell',
    lastQty: f.lastFilledQuantity, lastPrice: f.lastFilledPrice,
    fee: f.lastCommission, feeCurrency: f.lastCommissionCurrency,
    liquidity: f.isTaker ? 'taker' : 'maker',
    tsEvent: f.lastFilledCreatedAt,
  };
}

interface Tracked {
  accepted: boolean;
  done: boolean;
  readonly fills: Set<string>;
  /** The quantity of the fills above. */
  filled: number;
}

/**
 * Turns successive states of our orders (REST answers and stream updates, in any order and repeated) into each engine
 * event once: OrderAccepted on the first working state, OrderFilled per new fill, one terminal event. A done order is
 * remembered for the retention limits (model/retention.ts), then forgotten (`onForget`), so memory does not grow with
 * every order a long session places.
 */
export function createOrderTracker(venue: VenueId, opts: { retention?: RetentionLimits; onForget?: (orderId: string) => void } = {}) {
  const orders = new Map<string, Tracked>();
  const doneOrders = createRetention<string>(opts.retention, (orderId) => {
    orders.delete(orderId);
    opts.onForget?.(orderId);
  });
  const finish = (orderId: string, t: Tracked, now: number): void => {
    t.done = true;
    doneOrders.add(orderId, now);
  };
  const get = (orderId: string): Tracked => {
    let t = orders.get(orderId);
    if (!t) orders.set(orderId, (t = { accepted: false, done: false, fills: new Set(), filled: 0 }));
    return t;
  };
  return {
    /** Events for one observed state of an order. */
    observe(o: ApifinyOrderUpdateWire, clientOrderId: ClientOrderId, instrumentId: InstrumentId, now: number): VenueOrderEvent[] {
      const t = get(o.orderId);
      const out: VenueOrderEvent[] = [];
      const base = { clientOrderId, instrumentId, tsEvent: o.updatedAt || now };
      if (t.done || o.orderStatus === 'PENDING_SUBMIT') return out;
      if (o.orderStatus === 'REJECTED') {
        finish(o.orderId, t, now);
        return [{ kind: 'OrderRejected', ...base, reason: 'REJECTED by the venue' }];
      }
      if (!t.accepted) {
        t.accepted = true;
        out.push({ kind: 'OrderAccepted', ...base, venueOrderId: o.orderId });
      }
      const f = o.lastFill;
      if (f !== undefined && f.lastFilledQuantity > 0) {
        const key = fillKey(o.orderId, Object.assign({}, f, { filledCumulativeQuantity: o.filledCumulativeQuantity }));
        if (!t.fills.has(key)) {
          t.fills.add(key);
          t.filled += f.lastFilledQuantity;
          out.push({
            kind: 'OrderFilled', ...base, tsEvent: f.lastFilledCreatedAt, venue, venueOrderId: o.orderId, tradeId: key,
            side: o.orderSide === 'BUY' ? 'buy' : 'sell', lastQty: f.lastFilledQuantity, lastPrice: f.lastFilledPrice,
            fee: f.lastCommission, feeCurrency: f.lastCommissionCurrency, liquidity: f.isTaker ? 'taker' : 'maker',
          });
        }
      }
      if (o.orderStatus === 'FILLED') finish(o.orderId, t, now);
      if (o.orderStatus === 'CANCELLED' || o.orderStatus === 'PART_FILLED') {
        finish(o.orderId, t, now);
        out.push({ kind: 'OrderCanceled', ...base });
      }
      return out;
    },
    /** A definitive refusal of the order (an error answer to newOrder). */
    reject(orderId: string, now: number): boolean {
      const t = get(orderId);
      if (t.done) return false;
      finish(orderId, t, now);
      return true;
    },
    isDone: (orderId: string): boolean => orders.get(orderId)?.done ?? false,
    /** Whether the order is known here and not done. */
    isOpen: (orderId: string): boolean => orders.get(orderId)?.done === false,
    /** The quantity of the fills reported for the order so far (0 when it is not known). */
    filledOf: (orderId: string): number => orders.get(orderId)?.filled ?? 0,
  };
}
export type OrderTracker = ReturnType<typeof createOrderTracker>;
