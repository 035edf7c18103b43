import type { Liquidity } from '../model/events.js';
import type { OrderSide } from '../model/order.js';
import type { Bar } from '../model/tick.js';
import { crosses } from './liquidity.js';
import { dropClosedHead } from './matching-book.js';
import { fillFromPool, REDUCE_ONLY, remainderReason, snapPrice, type FillSink, type InstrumentMarket } from './instrument-market.js';
import { isOpen, type SimOrder } from './sim-order.js';

/**
 * Fills from a bar (tsEvent = its close). The bar's volume caps what our buys can get, and separately what our sells can
 * get (each trade in the volume had a buyer and a seller); a volume of 0 means unknown → unlimited.
 *
 * 1. Orders waiting for an open (market, IOC, FOK that arrived after the previous bar) trade at this bar's open as
 *    taker, in arrival order; an IOC/FOK limit only if the open is at or through its limit. Remainders are canceled.
 * 2. Resting limits, in price-time priority, fill when the bar's range reaches their price (buy: low ≤ price, sell:
 *    high ≥ price): at their limit as maker; but when the bar OPENS through the limit, at the open as taker — that is
 *    where the market traded, and the order was marketable there (the Lean/backtrader convention). A post-only order
 *    never takes: it fills at its limit as maker even on a gap.
 *
 * Fills are sized by `sink.fillable` (reduce-only cap); a reduce-only order the bar would fill with nothing left to
 * reduce is canceled ('REDUCE_ONLY') without using the volume.
 */
export function matchBar(m: InstrumentMarket, bar: Bar, sink: FillSink): void {
  if (m.awaitingOpen.length === 0 && m.resting.buy.length === 0 && m.resting.sell.length === 0) {
    m.lastBar = bar;
    return;
  }
  const cap = bar.volume > 0 ? m.instrument.qtyGrid.units(bar.volume, 'down') : Infinity;
  let buyPool = cap;
  let sellPool = cap;
  if (m.awaitingOpen.length > 0) {
    const open = snapPrice(m, bar.open);
    for (const order of m.awaitingOpen.splice(0)) {
      const pool = order.side === 'buy' ? buyPool : sellPool;
      const used = fillAtOpen(order, bar.open, open, pool, sink);
      if (order.side === 'buy') buyPool -= used;
      else sellPool -= used;
    }
  }
  if (m.resting.buy.length > 0) matchResting(m, m.resting.buy, 'buy', bar, buyPool, sink);
  if (m.resting.sell.length > 0) matchResting(m, m.resting.sell, 'sell', bar, sellPool, sink);
  m.lastBar = bar;
}

/** Returns the units used from the pool. */
function fillAtOpen(order: SimOrder, rawOpen: number, open: number, pool: number, sink: FillSink): number {
  const want = sink.fillable(order);
  if (want === 0) {
    sink.cancel(order, REDUCE_ONLY);
    return 0;
  }
  if (!crosses(order.side, order.price, rawOpen) || (order.timeInForce === 'FOK' && pool < want)) {
    sink.cancel(order, remainderReason(order));
    return 0;
  }
  const units = Math.min(want, pool);
  if (units > 0) sink.fill(order, units, open, 'taker');
  if (isOpen(order)) sink.cancel(order, remainderReason(order));
  return units;
}

function matchResting(m: InstrumentMarket, list: SimOrder[], side: OrderSide, bar: Bar, pool: number, sink: FillSink): void {
  const extreme = side === 'buy' ? bar.low : bar.high;
  for (const order of list) {
    if (pool <= 0) break;
    const limit = order.price ?? NaN;
    let price: number;
    let liquidity: Liquidity;
    if (crosses(side, limit, bar.open) && !order.postOnly) {
      price = snapPrice(m, bar.open);
      liquidity = 'taker';
    } else if (crosses(side, limit, extreme)) {
      price = limit;
      liquidity = 'maker';
    } else break;
    const left = fillFromPool(sink, order, pool, price, liquidity);
    if (left === undefined) break; // the volume is used up
    pool = left;
  }
  dropClosedHead(list);
}
