import type { OrderSide } from '../model/order.js';
import type { BookSnapshot, Quote, Tick, Trade } from '../model/tick.js';
import { assertNever } from '../model/result.js';
import { availableUpTo, crosses, levelCount, levelPrice, refreshDepth, take } from './liquidity.js';
import { dropClosedHead } from './matching-book.js';
import { matchBar } from './bar-matching.js';
import { arrive } from './order-arrival.js';
import { fillFromPool, REDUCE_ONLY, type FillSink, type InstrumentMarket } from './instrument-market.js';
import { isOpen, type SimOrder } from './sim-order.js';

/**
 * Market data for one instrument: updates its state and fills our resting orders it crosses, as maker at their own
 * limit price, in price-time priority. A tick that crosses nothing costs a few comparisons and allocates nothing.
 * Fills are sized by `sink.fillable` (reduce-only cap); a reduce-only order the market reaches with nothing left to
 * reduce is canceled ('REDUCE_ONLY') and the orders behind it carry on.
 */
export function onMarketTick(m: InstrumentMarket, tick: Tick, sink: FillSink): void {
  switch (tick.kind) {
    case 'quote':
    case 'book':
      return onDepth(m, tick, sink);
    case 'trade':
      return onTrade(m, tick, sink);
    case 'bar':
      return matchBar(m, tick, sink);
    default:
      return assertNever(tick, 'tick');
  }
}

function onDepth(m: InstrumentMarket, tick: Quote | BookSnapshot, sink: FillSink): void {
  refreshDepth(m.depth, tick);
  // Orders that were waiting for a bar's open get the first fresh depth instead, in arrival order.
  if (m.awaitingOpen.length > 0) for (const order of m.awaitingOpen.splice(0)) arrive(m, order, sink);
  if (m.resting.buy.length > 0) matchRestingOnDepth(m, m.resting.buy, 'buy', sink);
  if (m.resting.sell.length > 0) matchRestingOnDepth(m, m.resting.sell, 'sell', sink);
}

/** Each resting order takes from the levels its limit crosses (respecting consumption); one maker fill per order. */
function matchRestingOnDepth(m: InstrumentMarket, list: SimOrder[], side: OrderSide, sink: FillSink): void {
  const depth = m.depth;
  if (levelCount(depth, side) === 0 || !crosses(side, list[0]!.price, levelPrice(depth, side, 0))) return;
  const grid = m.instrument.qtyGrid;
  for (const order of list) {
    const want = sink.fillable(order);
    if (want === 0) {
      // reduce-only with nothing to reduce: canceled if the depth would fill it now
      if (availableUpTo(depth, side, order.price, 1, grid) === 0) break;
      sink.cancel(order, REDUCE_ONLY);
      continue;
    }
    const units = take(depth, side, order.price, want, grid);
    if (units === 0) break; // orders behind it have worse prices: they cross a subset of the same levels
    sink.fill(order, units, order.price!, 'maker');
    if (isOpen(order)) break; // it took all it could reach; closed = filled, or a capped reduce-only canceled
  }
  dropClosedHead(list);
}

function onTrade(m: InstrumentMarket, trade: Trade, sink: FillSink): void {
  if (m.resting.buy.length > 0) matchRestingOnTrade(m, m.resting.buy, 'buy', trade, sink);
  if (m.resting.sell.length > 0) matchRestingOnTrade(m, m.resting.sell, 'sell', trade, sink);
}

/**
 * A trade at or through a resting limit fills it as maker at its limit, up to the trade's size, shared in priority
 * order (our buys and our sells each get up to the full size). The aggressor side is not used.
 */
function matchRestingOnTrade(m: InstrumentMarket, list: SimOrder[], side: OrderSide, trade: Trade, sink: FillSink): void {
  if (!crosses(side, list[0]!.price, trade.price) || !(trade.size > 0)) return;
  let pool: number | undefined = m.instrument.qtyGrid.units(trade.size, 'down');
  for (const order of list) {
    if (pool === undefined || pool <= 0 || !crosses(side, order.price, trade.price)) break;
    pool = fillFromPool(sink, order, pool, order.price!, 'maker');
  }
  dropClosedHead(list);
}
