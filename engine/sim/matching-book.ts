import type { OrderSide } from '../model/order.js';
import { isOpen, type SimOrder } from './sim-order.js';

/**
 * Our resting limit orders of one instrument, per side, in price-time priority: best price first (highest buy, lowest
 * sell), then lowest `seq` (arrival order). Arrays stay small (a strategy's own orders), so insertion is a binary search
 * plus splice. Matching closes only a prefix of a side (orders filled, or reduce-only orders canceled as they are
 * reached), so those leave with one `splice(0, k)`; cancels and expiries from outside remove their order directly.
 */
export interface RestingOrders {
  readonly buy: SimOrder[];
  readonly sell: SimOrder[];
}

export function createRestingOrders(): RestingOrders {
  return { buy: [], sell: [] };
}

/** Whether `a` has priority over `b` on the same side. */
function ranksAhead(side: OrderSide, a: SimOrder, b: SimOrder): boolean {
  const pa = a.price ?? NaN;
  const pb = b.price ?? NaN;
  if (pa !== pb) return side === 'buy' ? pa > pb : pa < pb;
  return a.seq < b.seq;
}

export function insertResting(book: RestingOrders, order: SimOrder): void {
  const list = book[order.side];
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ranksAhead(order.side, list[mid]!, order)) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, order);
}

/** Removes `order` if it is resting; returns whether it was. */
export function removeResting(book: RestingOrders, order: SimOrder): boolean {
  const list = book[order.side];
  const i = list.indexOf(order);
  if (i < 0) return false;
  list.splice(i, 1);
  return true;
}

/** Drops the closed orders (filled, or canceled by matching) at the head of a side: matching only closes a prefix. */
export function dropClosedHead(list: SimOrder[]): void {
  let k = 0;
  while (k < list.length && !isOpen(list[k]!)) k++;
  if (k > 0) list.splice(0, k);
}
