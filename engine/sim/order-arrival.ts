import { availableUpTo, take } from './liquidity.js';
import { insertResting } from './matching-book.js';
import { REDUCE_ONLY, remainderReason, snapPrice, type FillSink, type InstrumentMarket } from './instrument-market.js';
import { isOpen, type SimOrder } from './sim-order.js';

/**
 * An accepted order (or a modified one) meets the market: it takes what it can as taker at the visible prices up to
 * its limit (one fill per level), then its remainder rests (GTC, GTD limits) or is canceled (market, IOC, FOK).
 * FOK checks the whole quantity is available before taking anything.
 * With no quote/book yet: market/IOC/FOK wait for the next bar's open when bars are known; limits simply rest.
 * A reduce-only order with nothing to reduce is canceled ('REDUCE_ONLY') before anything else; one that can reduce
 * takes at most the position (FOK: the whole capped quantity), and the ledger cancels what is left once it is flat.
 */
export function arrive(m: InstrumentMarket, order: SimOrder, sink: FillSink): void {
  const want = sink.fillable(order);
  if (want === 0) return sink.cancel(order, REDUCE_ONLY); // only a reduce-only order: open orders have leaves > 0
  const immediate = order.type === 'market' || order.timeInForce === 'IOC' || order.timeInForce === 'FOK';
  if (m.depth.source === undefined) {
    if (!immediate) insertResting(m.resting, order);
    else if (m.lastBar !== undefined) m.awaitingOpen.push(order);
    else sink.cancel(order, remainderReason(order));
    return;
  }
  const grid = m.instrument.qtyGrid;
  if (order.timeInForce === 'FOK' && availableUpTo(m.depth, order.side, order.price, want, grid) < want) {
    sink.cancel(order, 'FOK');
    return;
  }
  take(m.depth, order.side, order.price, want, grid, (price, units) => sink.fill(order, units, snapPrice(m, price), 'taker'));
  if (!isOpen(order)) return; // filled, or a reduce-only remainder canceled
  if (immediate) sink.cancel(order, remainderReason(order));
  else insertResting(m.resting, order);
}
