/** Hand-built orders and events for the persistence tests, and temp files that clean up after themselves. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addExact } from '../../engine/model/decimal.js';
import type { OrderAccepted, OrderCanceled, OrderFilled, OrderSubmitted, Liquidity } from '../../engine/model/events.js';
import { formatClientOrderId } from '../../engine/model/ids.js';
import type { Order, OrderSide } from '../../engine/model/order.js';

export const INSTRUMENT = 'BTCUSD.SIM';
export const VENUE = 'SIM';
export const STRATEGY = 'ema-cross';
export const PORTFOLIO = 'main';

let nextCounter = 1;

export function newOrder(over: Partial<Order> = {}): Order {
  return {
    clientOrderId: formatClientOrderId(STRATEGY, 1, nextCounter++),
    strategyId: STRATEGY,
    instrumentId: INSTRUMENT,
    venue: VENUE,
    side: 'buy',
    type: 'limit',
    timeInForce: 'GTC',
    postOnly: false,
    reduceOnly: false,
    tsInit: 1_000,
    quantity: 0.3,
    price: 100.1,
    status: 'INITIALIZED',
    filledQty: 0,
    tsLast: 1_000,
    ...over,
  };
}

const base = (o: Order, ts: number) => ({
  clientOrderId: o.clientOrderId,
  strategyId: o.strategyId,
  instrumentId: o.instrumentId,
  tsEvent: ts,
  tsInit: ts + 0.5,
});

/** Each builder moves the order as the execution engine would and returns the event. */
export function submit(o: Order, ts = 1_001): OrderSubmitted {
  o.status = 'SUBMITTED';
  o.tsLast = ts;
  return { kind: 'OrderSubmitted', ...base(o, ts), venue: o.venue };
}

export function accept(o: Order, venueOrderId = `V-${o.clientOrderId}`, ts = 1_002): OrderAccepted {
  o.status = 'ACCEPTED';
  o.venueOrderId = venueOrderId;
  o.tsLast = ts;
  return { kind: 'OrderAccepted', ...base(o, ts), venueOrderId };
}

export function cancel(o: Order, ts = 1_003): OrderCanceled {
  o.status = 'CANCELED';
  o.tsLast = ts;
  return { kind: 'OrderCanceled', ...base(o, ts) };
}

export interface FillSpec {
  readonly tradeId: string;
  readonly qty: number;
  readonly price: number;
  readonly fee?: number;
  readonly ts?: number;
  readonly liquidity?: Liquidity;
}

export function fill(o: Order, f: FillSpec): OrderFilled {
  const ts = f.ts ?? 1_010;
  o.filledQty = addExact(o.filledQty, f.qty);
  o.status = o.filledQty >= o.quantity ? 'FILLED' : 'PARTIALLY_FILLED';
  o.avgFillPrice = f.price;
  o.tsLast = ts;
  return {
    kind: 'OrderFilled',
    ...base(o, ts),
    venue: o.venue,
    venueOrderId: o.venueOrderId ?? `V-${o.clientOrderId}`,
    tradeId: f.tradeId,
    side: o.side,
    lastQty: f.qty,
    lastPrice: f.price,
    fee: f.fee ?? 0,
    feeCurrency: 'USD',
    liquidity: f.liquidity ?? 'taker',
  };
}

/** An accepted order of `side` and `qty` (not yet filled). */
export function acceptedOrder(side: OrderSide, qty: number, price: number): Order {
  const o = newOrder({ side, quantity: qty, price });
  submit(o);
  accept(o);
  return o;
}

/** A fresh temp folder; call `remove()` in afterEach. */
export function tempDir(): { path: (name: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'engine-persistence-'));
  return { path: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
