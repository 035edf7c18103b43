/** TransAct frames → domain: instruments, ticks, order events (each once), reconciliation reports. */
import type { VenueOrderEvent } from '../../engine/model/events.js';
import type { ClientOrderId, InstrumentId, VenueId } from '../../engine/model/ids.js';
import { defineInstrument, type Instrument } from '../../engine/model/instrument.js';
import type { OrderStatus } from '../../engine/model/order.js';
import type { FillReport, OrderStatusReport } from '../../engine/model/reports.js';
import { createRetention, type RetentionLimits } from '../../engine/model/retention.js';
import type { BookSnapshot, Quote, Trade } from '../../engine/model/tick.js';
import type { TransactFillWire, TransactFrame, TransactInstrumentWire, TransactOrderWire } from './wire.js';

export function toInstrument(i: TransactInstrumentWire, venueId: VenueId): Instrument {
  return defineInstrument({
    id: `${i.symbol}.${venueId}`, venue: venueId, venueSymbol: i.symbol, base: i.root, quote: i.currency,
    tickSize: i.tickSize, stepSize: i.lotSize, minQty: i.minQty, maxQty: i.maxQty, contractSize: i.contractSize,
    makerFee: i.makerFee, takerFee: i.takerFee,
  });
}

export function toBook(id: InstrumentId, f: Extract<TransactFrame, { kind: 'book' }>, now: number): BookSnapshot {
  return {
    kind: 'book', instrumentId: id, tsEvent: f.time, tsInit: now,
    bids: f.bids.map(([price, size]) => ({ price, size })), asks: f.asks.map(([price, size]) => ({ price, size })),
  };
}
export function toQuote(b: BookSnapshot): Quote | undefined {
  const bid = b.bids[0];
  const ask = b.asks[0];
  if (!bid || !ask) return undefined;
  return { kind: 'quote', instrumentId: b.instrumentId, tsEvent: b.tsEvent, tsInit: b.tsInit, bid: bid.price, ask: ask.price, bidSize: bid.size, askSize: ask.size };
}
export function toTrade(id: InstrumentId, f: Extract<TransactFrame, { kind: 'trade' }>, now: number): Trade {
  return {
    kind: 'trade', instrumentId: id, tsEvent: f.time, tsInit: now, price: f.price, size: f.qty,
    ...(f.aggressor ? { aggressor: f.aggressor === 'BUY' ? ('buy' as const) : ('sell' as const) } : {}),
    ...(f.tradeId !== undefined ? { tradeId: f.tradeId } : {}),
  };
}

function engineStatus(o: TransactOrderWire): OrderStatus {
  switch (o.state) {
    case 'PENDING':
      return 'SUBMITTED';
    case 'WORKING':
      return o.filledQty > 0 ? 'PARTIALLY_FILLED' : 'ACCEPTED';
    case 'FILLED':
      return 'FILLED';
    case 'CANCELED':
      return 'CANCELED';
    case 'REJECTED':
      return 'REJECTED';
    case 'EXPIRED':
      return 'EXPIRED';
  }
}

export function toStatusReport(venue: VenueId, instrumentId: InstrumentId, o: TransactOrderWire): OrderStatusReport {
  return {
    venue, instrumentId, venueOrderId: o.orderId, clientOrderId: o.clientId,
    side: o.side === 'BUY' ? 'buy' : 'sell', type: o.type === 'LIMIT' ? 'limit' : 'market', timeInForce: o.tif === 'IOC' || o.type === 'MARKET' ? 'IOC' : 'GTC',
    status: engineStatus(o), quantity: o.qty, filledQty: o.filledQty,
    ...(o.price !== null ? { price: o.price } : {}), ...(o.avgPrice !== null && o.filledQty > 0 ? { avgFillPrice: o.avgPrice } : {}),
    tsLast: o.time,
  };
}

export function toFillReport(venue: VenueId, instrumentId: InstrumentId, f: TransactFillWire): FillReport {
  return {
    venue, instrumentId, venueOrderId: f.orderId, clientOrderId: f.clientId, tradeId: f.fillId, side: f.side === 'BUY' ? 'buy' : 'sell',
    lastQty: f.qty, lastPrice: f.price, fee: f.fee, feeCurrency: f.feeCurrency, liquidity: f.liquidity === 'MAKER' ? 'maker' : 'taker', tsEvent: f.time,
  };
}

interface Tracked {
  accepted: boolean;
  done: boolean;
  readonly fills: Set<string>;
}

/**
 * Turns order and fill topic messages (in any order, repeated) into each engine event once: OrderAccepted on the first
 * sign of life, OrderFilled per new fill_id, one terminal event. A done order is remembered for the retention limits
 * (model/retention.ts, on the `now` clock), then forgotten, so memory does not grow with every order of a long session.
 */
export function createOrderTracker(venue: VenueId, opts: { now?: () => number; retention?: RetentionLimits } = {}) {
  const orders = new Map<ClientOrderId, Tracked>();
  const now = opts.now ?? ((): number => 0);
  const doneOrders = createRetention<ClientOrderId>(opts.retention, (cid) => orders.delete(cid));
  const finish = (cid: ClientOrderId, t: Tracked): void => {
    t.done = true;
    doneOrders.add(cid, now());
  };
  const get = (cid: ClientOrderId): Tracked => {
    let t = orders.get(cid);
    if (!t) orders.set(cid, (t = { accepted: false, done: false, fills: new Set() }));
    return t;
  };
  const accept = (t: Tracked, out: VenueOrderEvent[], cid: ClientOrderId, instrumentId: InstrumentId, orderId: string, ts: number): void => {
    if (t.accepted) return;
    t.accepted = true;
    out.push({ kind: 'OrderAccepted', clientOrderId: cid, instrumentId, tsEvent: ts, venueOrderId: orderId });
  };
  return {
    order(o: TransactOrderWire, instrumentId: InstrumentId): VenueOrderEvent[] {
      const t = get(o.clientId);
      const out: VenueOrderEvent[] = [];
      const base = { clientOrderId: o.clientId, instrumentId, tsEvent: o.time };
      if (t.done || o.state === 'PENDING') return out;
      if (o.state === 'REJECTED') {
        finish(o.clientId, t);
        return [{ kind: 'OrderRejected', ...base, reason: `REJECTED by the venue${o.text ? `: ${o.text}` : ''}` }];
      }
      accept(t, out, o.clientId, instrumentId, o.orderId, o.time);
      if (o.state === 'FILLED') finish(o.clientId, t);
      if (o.state === 'CANCELED') finish(o.clientId, t), out.push({ kind: 'OrderCanceled', ...base });
      if (o.state === 'EXPIRED') finish(o.clientId, t), out.push({ kind: 'OrderExpired', ...base });
      return out;
    },
    fill(f: TransactFillWire, instrumentId: InstrumentId): VenueOrderEvent[] {
      const t = get(f.clientId);
      if (t.fills.has(f.fillId)) return [];
      t.fills.add(f.fillId);
      const out: VenueOrderEvent[] = [];
      accept(t, out, f.clientId, instrumentId, f.orderId, f.time);
      out.push({
        kind: 'OrderFilled', clientOrderId: f.clientId, instrumentId, tsEvent: f.time, venue, venueOrderId: f.orderId, tradeId: f.fillId,
        side: f.side === 'BUY' ? 'buy' : 'sell', lastQty: f.qty, lastPrice: f.price, fee: f.fee, feeCurrency: f.feeCurrency,
        liquidity: f.liquidity === 'MAKER' ? 'maker' : 'taker',
      });
      return out;
    },
    /** A definitive refusal of new_order; false when the order is already settled. */
    reject(cid: ClientOrderId): boolean {
      const t = get(cid);
      if (t.done || t.accepted) return false;
      finish(cid, t);
      return true;
    },
  };
}
export type OrderTracker = ReturnType<typeof createOrderTracker>;
