import { availableUpTo, take } from './liquidity.js';
import { insertResting } from './matching-book.js';
import { remainderReason, snapPrice, type FillSink, type InstrumentMarket } from './instrument-market.js';
import { isDone, leavesUnits, type SimOrder } from './sim-order.js';

/**
 * An accepted order (or a modified one) meets the market: it takes what it can as taker at the visible prices up to
 * its limit (one fill per level), then its remainder rests (GTC, GTD limits) or is canceled (market, IOC, FOK).
 * FOK checks the whole quantity is available before taking anything.
 * With no quote/book yet: market/IOC/FOK wait for the next bar's open when bars are known; limits simply rest.
 */
export function arrive(m: InstrumentMarket, order: SimOrder, sink: FillSink): void {
  const immediate = order.type === 'market' || order.timeInForce === 'IOC' || order.timeInForce === 'FOK';
  if (m.depth.source === undefined) {
    if (!immediate) insertResting(m.resting, order);
    else if (m.lastBar !== undefined) m.awaitingOpen.push(order);
    else sink.cancel(order, remainderReason(order));
    return;
  }
  const grid = m.instrument.qtyGrid;
  const want = leavesUnits(order);
  if (order.timeInForce === 'FOK' && availableUpTo(m.depth, order.side, order.price, want, grid) < want) {
    sink.cancel(order, 'FOK');
    return;
  }
  take(m.depth, order.side, order.price, want, grid, (price, units) => sink.fill(order, units, snapPrice(m, price), 'taker'));
  if (isDone(order)) return;
  if (immediate) sink.cancel(order, remainderReason(order));
  else insertResting(m.resting, order);
}
