/**
 * One step of the seeded random walk of one symbol: a new mid (in whole ticks), a book of `levels` levels a side around
 * it, and 0–2 trades at the touch. Prices and sizes are exact carriers on the symbol's grids.
 */
import type { Instrument } from '../../../engine/model/instrument.js';
import type { ApifinyLevel } from './protocol.js';
import type { Prng } from './prng.js';

export interface WalkTrade {
  readonly price: number;
  readonly size: number;
  /** Taker side; the documented trade `side` is the maker's, i.e. the opposite. */
  readonly aggressor: 'buy' | 'sell';
}

export interface WalkStep {
  readonly midTicks: number;
  readonly bids: readonly ApifinyLevel[];
  readonly asks: readonly ApifinyLevel[];
  readonly trades: readonly WalkTrade[];
}

export interface WalkParams {
  /** Per-step volatility of the mid (fraction, e.g. 0.0005). */
  readonly volatility: number;
  readonly levels: number;
  readonly spreadTicks: number;
  readonly typicalSize: number;
}

/** The mid after one random step, in whole ticks, kept inside [minTicks, maxTicks]. */
export function nextMidTicks(rng: Prng, midTicks: number, p: WalkParams, minTicks: number, maxTicks: number): number {
  const moved = Math.round(midTicks * Math.exp(p.volatility * rng.normal()));
  return Math.min(maxTicks, Math.max(minTicks, moved));
}

/** Book and trades around `midTicks`. */
export function stepAround(rng: Prng, instrument: Instrument, midTicks: number, p: WalkParams): WalkStep {
  const price = instrument.priceGrid;
  const qty = instrument.qtyGrid;
  const minTicks = Math.max(1, price.units(instrument.minPrice ?? price.step, 'up'));
  const bestBid = Math.max(minTicks, midTicks - Math.floor(p.spreadTicks / 2));
  const bestAsk = bestBid + Math.max(1, p.spreadTicks);
  const typicalUnits = Math.max(1, qty.units(p.typicalSize, 'down'));
  const size = (): number => qty.fromUnits(Math.max(1, Math.round(typicalUnits * (0.2 + 1.6 * rng.next()))));
  const bids: ApifinyLevel[] = [];
  const asks: ApifinyLevel[] = [];
  for (let i = 0; i < p.levels; i++) {
    if (bestBid - i >= minTicks) bids.push([price.fromUnits(bestBid - i), size()]);
    asks.push([price.fromUnits(bestAsk + i), size()]);
  }
  const trades: WalkTrade[] = [];
  const n = rng.int(0, 2);
  for (let i = 0; i < n; i++) {
    const aggressor = rng.next() < 0.5 ? 'buy' : 'sell';
    const tradeUnits = Math.max(1, Math.round(typicalUnits * 0.2 * rng.next()));
    trades.push({ price: price.fromUnits(aggressor === 'buy' ? bestAsk : bestBid), size: qty.fromUnits(tradeUnits), aggressor });
  }
  return { midTicks, bids, asks, trades };
}
