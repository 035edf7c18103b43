import { describe, expect, it } from 'vitest';
import { createHarness, ID } from './harness.js';

/** Long 1 BTC from a market buy against the quote 99.9 / 100. */
function longOne(h: ReturnType<typeof createHarness>): void {
  h.quote(99.9, 100);
  h.submit({ side: 'buy', quantity: 1 });
}

describe('sim venue: reduce-only orders', () => {
  it('cancels a resting reduce-only take-profit instead of filling it once the position is flat (never flips it)', () => {
    const h = createHarness();
    longOne(h);
    const tp = h.submit({ side: 'sell', quantity: 1, price: 105, reduceOnly: true });
    h.submit({ side: 'sell', quantity: 1 }); // stop-out: flat
    expect(h.kinds(tp)).toEqual(['OrderAccepted']);
    h.quote(106, 106.1); // the market rallies through the take-profit
    expect(h.fills(tp)).toEqual([]);
    expect(h.last(tp)).toMatchObject({ kind: 'OrderCanceled', reason: 'REDUCE_ONLY' });
    h.trade(107, 5);
    expect(h.fills(tp)).toEqual([]);
    return h.venue.openOrders().then((open) => expect(open).toEqual([]));
  });

  it('caps a reduce-only market order to the position and cancels its remainder', () => {
    const h = createHarness();
    longOne(h);
    const id = h.submit({ side: 'sell', quantity: 3, reduceOnly: true });
    expect(h.fillsOf(id)).toEqual([[99.9, 1, 'taker']]);
    expect(h.kinds(id)).toEqual(['OrderAccepted', 'OrderFilled', 'OrderCanceled']);
    expect(h.last(id)).toMatchObject({ reason: 'REDUCE_ONLY' });
  });

  it('cancels a reduce-only order on arrival when there is nothing to reduce', () => {
    const h = createHarness();
    h.quote(99.9, 100);
    const flat = h.submit({ side: 'sell', quantity: 1, price: 105, reduceOnly: true });
    expect(h.kinds(flat)).toEqual(['OrderAccepted', 'OrderCanceled']);
    expect(h.last(flat)).toMatchObject({ reason: 'REDUCE_ONLY' });
    h.submit({ side: 'buy', quantity: 1 });
    const sameSide = h.submit({ side: 'buy', quantity: 1, reduceOnly: true }); // would grow the long
    expect(h.kinds(sameSide)).toEqual(['OrderAccepted', 'OrderCanceled']);
    expect(h.last(sameSide)).toMatchObject({ reason: 'REDUCE_ONLY' });
  });

  it('caps a resting reduce-only limit filled by a trade, and leaves the rest of the trade to the orders behind it', () => {
    const h = createHarness();
    longOne(h);
    const tp = h.submit({ side: 'sell', quantity: 2, price: 105, reduceOnly: true });
    const other = h.submit({ side: 'sell', quantity: 1, price: 105 });
    h.trade(105, 5);
    expect(h.fillsOf(tp)).toEqual([[105, 1, 'maker']]);
    expect(h.last(tp)).toMatchObject({ kind: 'OrderCanceled', reason: 'REDUCE_ONLY' });
    expect(h.fillsOf(other)).toEqual([[105, 1, 'maker']]);
  });

  it('caps a resting reduce-only limit crossed by a book, and leaves the liquidity it did not use to the orders behind it', () => {
    const h = createHarness();
    longOne(h);
    const tp = h.submit({ side: 'sell', quantity: 2, price: 105, reduceOnly: true });
    const other = h.submit({ side: 'sell', quantity: 1, price: 105 });
    h.book([[105.5, 1.5]], [[105.6, 1]]);
    expect(h.fillsOf(tp)).toEqual([[105, 1, 'maker']]);
    expect(h.last(tp)).toMatchObject({ kind: 'OrderCanceled', reason: 'REDUCE_ONLY' });
    expect(h.fillsOf(other)).toEqual([[105, 0.5, 'maker']]);
  });

  it('keeps a reduce-only limit resting while it still reduces, then caps it on a later fill', () => {
    const h = createHarness();
    longOne(h);
    const tp = h.submit({ side: 'sell', quantity: 1, price: 105, reduceOnly: true });
    h.quote(99.9, 100);
    h.submit({ side: 'sell', quantity: 0.4 }); // long 0.6 left
    h.trade(105, 0.25);
    expect(h.kinds(tp)).toEqual(['OrderAccepted', 'OrderFilled']);
    h.trade(105, 5);
    expect(h.fillsOf(tp)).toEqual([
      [105, 0.25, 'maker'],
      [105, 0.35, 'maker'],
    ]);
    expect(h.last(tp)).toMatchObject({ kind: 'OrderCanceled', reason: 'REDUCE_ONLY' });
  });

  it('caps reduce-only fills from bars (a resting limit, and a market order waiting for the open)', () => {
    const h = createHarness();
    h.bar(100, 100, 100, 100);
    h.submit({ side: 'buy', quantity: 1 });
    h.bar(100, 101, 99, 100);
    const tp = h.submit({ side: 'sell', quantity: 3, price: 102, reduceOnly: true });
    h.bar(100, 103, 99, 101);
    expect(h.fillsOf(tp)).toEqual([[102, 1, 'maker']]);
    expect(h.last(tp)).toMatchObject({ kind: 'OrderCanceled', reason: 'REDUCE_ONLY' });

    const buy = h.submit({ side: 'buy', quantity: 0.5 });
    h.bar(101, 101, 101, 101);
    expect(h.fillsOf(buy)).toEqual([[101, 0.5, 'taker']]);
    const close = h.submit({ side: 'sell', quantity: 1, reduceOnly: true }); // decided at the next open
    h.bar(102, 102, 102, 102);
    expect(h.fillsOf(close)).toEqual([[102, 0.5, 'taker']]);
    expect(h.last(close)).toMatchObject({ kind: 'OrderCanceled', reason: 'REDUCE_ONLY' });
  });

  it('reduces a position carried over through initialPositions (paper mode), with exact step arithmetic', () => {
    const h = createHarness({ initialPositions: { [ID]: -0.3, 'OTHER.SIM': 5 } });
    h.quote(99.9, 100);
    const id = h.submit({ side: 'buy', quantity: 0.7, reduceOnly: true });
    expect(h.fillsOf(id)).toEqual([[100, 0.3, 'taker']]);
    expect(h.last(id)).toMatchObject({ kind: 'OrderCanceled', reason: 'REDUCE_ONLY' });
    const again = h.submit({ side: 'buy', quantity: 0.1, reduceOnly: true });
    expect(h.kinds(again)).toEqual(['OrderAccepted', 'OrderCanceled']);
  });

  it('checks a modified reduce-only order again when it arrives', () => {
    const h = createHarness();
    longOne(h);
    const tp = h.submit({ side: 'sell', quantity: 1, price: 105, reduceOnly: true });
    h.submit({ side: 'sell', quantity: 1 });
    h.modify(tp, { price: 104 });
    expect(h.kinds(tp)).toEqual(['OrderAccepted', 'OrderUpdated', 'OrderCanceled']);
    expect(h.last(tp)).toMatchObject({ reason: 'REDUCE_ONLY' });
  });
});
