import type { Liquidity } from '../model/events.js';
import type { Instrument } from '../model/instrument.js';
import type { OrderSide } from '../model/order.js';
import type { Bar } from '../model/tick.js';
import { availableUpTo, createDepth, type Depth } from './liquidity.js';
import { createRestingOrders, removeResting, type RestingOrders } from './matching-book.js';
import { isOpen, type SimOrder } from './sim-order.js';

/** Where matching reports its outcomes; the venue turns them into state changes and events. */
export interface FillSink {
  /**
   * Units `order` may fill now: its leaves; for a reduce-only order capped to what reduces the venue's position
   * (0 = nothing left to reduce: matching cancels the order with reason 'REDUCE_ONLY' instead of filling it).
   * Matching sizes every fill with it, never with `leavesUnits` directly.
   */
  fillable(order: SimOrder): number;
  /** `units` qty steps of `order` traded at `price` (an exact carrier on the price grid). */
  fill(order: SimOrder, units: number, price: number, liquidity: Liquidity): void;
  /** The order's remainder is canceled by the venue (IOC, FOK, no liquidity, reduce-only with nothing to reduce). */
  cancel(order: SimOrder, reason: string): void;
}

/**
 * One resting order's share of a pool of units shared in priority order (a trade's size, a bar's volume), at `price`.
 * Returns what is left in the pool, or undefined when matching stops: the order is still open, so the pool ran out.
 * A reduce-only order with nothing left to reduce is canceled and leaves the pool to the orders behind it.
 */
export function fillFromPool(sink: FillSink, order: SimOrder, pool: number, price: number, liquidity: Liquidity): number | undefined {
  const want = sink.fillable(order);
  if (want === 0) {
    sink.cancel(order, REDUCE_ONLY);
    return pool;
  }
  const units = Math.min(want, pool);
  sink.fill(order, units, price, liquidity);
  return isOpen(order) ? undefined : pool - units;
}

/** Everything the simulator knows about one instrument: market state and our orders in it. */
export interface InstrumentMarket {
  readonly instrument: Instrument;
  readonly depth: Depth;
  readonly resting: RestingOrders;
  /**
   * Orders that need a price now (market, IOC, FOK) but arrived when the instrument had bars and no quote/book:
   * they are decided at the next bar's open, or against the next quote/book if that comes first.
   */
  readonly awaitingOpen: SimOrder[];
  lastBar: Bar | undefined;
}

export function createInstrumentMarket(instrument: Instrument): InstrumentMarket {
  return { instrument, depth: createDepth(), resting: createRestingOrders(), awaitingOpen: [], lastBar: undefined };
}

/** A market order can be priced: a quote/book was seen (walk it) or a bar was (next bar's open). Trades alone are not. */
export function hasMarket(m: InstrumentMarket): boolean {
  return m.depth.source !== undefined || m.lastBar !== undefined;
}

/**
 * Whether a limit order at `price` would take liquidity on arrival: some unconsumed visible liquidity at or through its
 * price; with bars only, whether the price is at or through the last close.
 */
export function wouldTake(m: InstrumentMarket, side: OrderSide, price: number): boolean {
  if (m.depth.source !== undefined) return availableUpTo(m.depth, side, price, 1, m.instrument.qtyGrid) > 0;
  const bar = m.lastBar;
  if (bar === undefined) return false;
  return side === 'buy' ? price >= bar.close : price <= bar.close;
}

/** Takes an open order out of the book or the wait for the next bar (cancel, expiry, modify). */
export function withdraw(m: InstrumentMarket, order: SimOrder): void {
  if (removeResting(m.resting, order)) return;
  const i = m.awaitingOpen.indexOf(order);
  if (i >= 0) m.awaitingOpen.splice(i, 1);
}

/** The cancel reason of a reduce-only order with nothing left to reduce. */
export const REDUCE_ONLY = 'REDUCE_ONLY';

/** Why an order's unfilled remainder is canceled on arrival. */
export function remainderReason(order: SimOrder): string {
  if (order.timeInForce === 'FOK') return 'FOK';
  if (order.timeInForce === 'IOC') return 'IOC';
  return 'INSUFFICIENT_LIQUIDITY';
}

/** A market-data price as an exact carrier on the instrument's price grid (only called when a fill happens). */
export function snapPrice(m: InstrumentMarket, price: number): number {
  return m.instrument.priceGrid.round(price, 'nearest');
}
