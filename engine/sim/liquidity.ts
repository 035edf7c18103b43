import type { Grid } from '../model/decimal.js';
import type { OrderSide } from '../model/order.js';
import type { BookSnapshot, Quote } from '../model/tick.js';

/**
 * Visible depth of one instrument, and what our own orders have already taken from it.
 *
 * RULE — the same liquidity is never used twice by our own orders. Every fill against a quote or book level (a taker
 * fill, or a maker fill of a resting order that the level crossed) adds to `consumed[taker side][level index]` of the
 * current snapshot, and later orders only see `size − consumed` at that level. The consumption lasts until the next
 * quote or book update for the instrument arrives: that update replaces the snapshot and is taken as fresh liquidity
 * (the venue's new view is assumed to already reflect our trades). Trades and bars neither refresh nor consume depth.
 *
 * A quote is a one-level book; a missing quote size means "unknown" and is treated as unlimited liquidity.
 * Sizes are converted to whole qty steps (truncated), so all consumption arithmetic is exact integers.
 * Nothing here allocates per tick: `refreshDepth` keeps a reference to the tick and truncates two arrays.
 */
export interface Depth {
  /** The last quote or book for the instrument; undefined before the first. */
  source: Quote | BookSnapshot | undefined;
  /** Qty units our orders took, by the side of the taker (a buy takes asks) and the level index in `source`. */
  readonly consumed: { readonly buy: number[]; readonly sell: number[] };
}

export function createDepth(): Depth {
  return { source: undefined, consumed: { buy: [], sell: [] } };
}

/** A new quote/book: fresh liquidity, all consumption forgotten. */
export function refreshDepth(depth: Depth, tick: Quote | BookSnapshot): void {
  depth.source = tick;
  // setting an array's length is a slow builtin: only when something was consumed
  if (depth.consumed.buy.length > 0) depth.consumed.buy.length = 0;
  if (depth.consumed.sell.length > 0) depth.consumed.sell.length = 0;
}

/** Whether `marketPrice` is at or through `limit` for a `side` order (undefined limit = market order: always). */
export function crosses(side: OrderSide, limit: number | undefined, marketPrice: number): boolean {
  if (limit === undefined) return true;
  return side === 'buy' ? marketPrice <= limit : marketPrice >= limit;
}

/** Number of levels a `taker` side can hit (asks for a buy, bids for a sell). */
export function levelCount(depth: Depth, taker: OrderSide): number {
  const s = depth.source;
  if (s === undefined) return 0;
  if (s.kind === 'quote') return 1;
  return taker === 'buy' ? s.asks.length : s.bids.length;
}

export function levelPrice(depth: Depth, taker: OrderSide, i: number): number {
  const s = depth.source;
  if (s === undefined) return NaN;
  if (s.kind === 'quote') return taker === 'buy' ? s.ask : s.bid;
  return (taker === 'buy' ? s.asks[i] : s.bids[i])?.price ?? NaN;
}

/** Units still available at level i (Infinity when the size is unknown). */
export function levelAvailable(depth: Depth, taker: OrderSide, i: number, grid: Grid): number {
  const s = depth.source;
  if (s === undefined) return 0;
  let size: number | undefined;
  if (s.kind === 'quote') size = taker === 'buy' ? s.askSize : s.bidSize;
  else size = (taker === 'buy' ? s.asks[i] : s.bids[i])?.size ?? 0;
  const total = size === undefined ? Infinity : size > 0 ? grid.units(size, 'down') : 0;
  return Math.max(0, total - (depth.consumed[taker][i] ?? 0));
}

/**
 * Walks the levels a `taker` order can reach (best first, up to `limit`), taking at most `want` units.
 * With `commit`, marks what was taken as consumed and reports each level through `onLevel(price, units)`.
 * Returns the units taken (or that would be taken).
 */
function walk(
  depth: Depth,
  taker: OrderSide,
  limit: number | undefined,
  want: number,
  grid: Grid,
  commit: boolean,
  onLevel?: (price: number, units: number) => void,
): number {
  const n = levelCount(depth, taker);
  const consumed = depth.consumed[taker];
  let taken = 0;
  for (let i = 0; i < n && taken < want; i++) {
    const price = levelPrice(depth, taker, i);
    if (!crosses(taker, limit, price)) break;
    const avail = levelAvailable(depth, taker, i, grid);
    if (avail <= 0) continue;
    const units = Math.min(avail, want - taken);
    taken += units;
    if (commit) {
      consumed[i] = (consumed[i] ?? 0) + units;
      onLevel?.(price, units);
    }
  }
  return taken;
}

/** Units a `taker` order could take now up to `limit`, capped at `want` (nothing is consumed). */
export function availableUpTo(depth: Depth, taker: OrderSide, limit: number | undefined, want: number, grid: Grid): number {
  return walk(depth, taker, limit, want, grid, false);
}

/** Takes up to `want` units at prices up to `limit`, consuming them; `onLevel` sees one call per level touched. */
export function take(
  depth: Depth,
  taker: OrderSide,
  limit: number | undefined,
  want: number,
  grid: Grid,
  onLevel?: (price: number, units: number) => void,
): number {
  return walk(depth, taker, limit, want, grid, true, onLevel);
}
