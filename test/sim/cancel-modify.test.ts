import { describe, expect, it } from 'vitest';
import { createHarness } from './harness.js';

describe('sim venue: cancel', () => {
  it('cancels a resting order, which then never fills', () => {
    const h = createHarness();
    const id = h.submit({ side: 'buy', quantity: 1, price: 99 });
    h.cancel(id);
    expect(h.kinds(id)).toEqual(['OrderAccepted', 'OrderCanceled']);
    h.quote(98, 98.5);
    expect(h.fills(id)).toHaveLength(0);
    return h.venue.openOrders().then((open) => expect(open).toEqual([]));
  });

  it('cancels by venue order id', () => {
    const h = createHarness();
    const id = h.submit({ side: 'sell', quantity: 1, price: 101 });
    h.cancel(id, 'SIM-1');
    expect(h.last(id)?.kind).toBe('OrderCanceled');
  });

  it('rejects the cancel of an unknown order', () => {
    const h = createHarness();
    h.cancel('nobody-1-1');
    expect(h.events).toEqual([
      { kind: 'OrderCancelRejected', clientOrderId: 'nobody-1-1', instrumentId: 'BTCUSD.SIM', tsEvent: 1000, reason: 'UNKNOWN_ORDER' },
    ]);
  });

  it('rejects the cancel of a filled order and of an already canceled one', () => {
    const h = createHarness();
    h.quote(99.9, 100);
    const filled = h.submit({ side: 'buy', quantity: 1 });
    h.cancel(filled);
    const canceled = h.submit({ side: 'buy', quantity: 1, price: 90 });
    h.cancel(canceled);
    h.cancel(canceled);
    expect(h.last(filled)).toMatchObject({ kind: 'OrderCancelRejected', reason: 'ALREADY_FILLED' });
    expect(h.last(canceled)).toMatchObject({ kind: 'OrderCancelRejected', reason: 'ALREADY_CANCELED' });
  });
});

describe('sim venue: modify', () => {
  it('updates a resting order price and fills as taker when the new price crosses', () => {
    const h = createHarness();
    h.book([[99.9, 1]], [[100, 0.3], [100.1, 5]]);
    const id = h.submit({ side: 'buy', quantity: 1, price: 99.5 });
    h.modify(id, { price: 100 });
    expect(h.kinds(id)).toEqual(['OrderAccepted', 'OrderUpdated', 'OrderFilled']);
    expect(h.of(id)[1]).toMatchObject({ kind: 'OrderUpdated', price: 100, quantity: 1 });
    expect(h.fillsOf(id)).toEqual([[100, 0.3, 'taker']]);
    return h.venue.openOrders().then((open) => expect(open[0]).toMatchObject({ price: 100, filledQty: 0.3 }));
  });

  it('rejects a quantity at or below what is already filled', () => {
    const h = createHarness();
    h.quote(99.9, 100, { askSize: 0.4 });
    const id = h.submit({ side: 'buy', quantity: 1, price: 100 });
    h.modify(id, { quantity: 0.4 });
    expect(h.last(id)).toMatchObject({ kind: 'OrderModifyRejected', reason: 'QTY_NOT_ABOVE_FILLED' });
    h.modify(id, { quantity: 0.5 });
    expect(h.last(id)).toMatchObject({ kind: 'OrderUpdated', quantity: 0.5, price: 100 });
  });

  it('rejects a post-only modify into a cross and leaves the order as it was', () => {
    const h = createHarness();
    h.quote(99.9, 100);
    const id = h.submit({ side: 'buy', quantity: 1, price: 99.5, postOnly: true });
    h.modify(id, { price: 100 });
    expect(h.last(id)).toMatchObject({ kind: 'OrderModifyRejected', reason: 'POST_ONLY_WOULD_TAKE' });
    h.quote(99.0, 99.5);
    expect(h.fillsOf(id)).toEqual([[99.5, 1, 'maker']]);
  });

  it('rejects a modify of an unknown or finished order', () => {
    const h = createHarness();
    h.modify('nobody-1-1', { price: 100 });
    h.quote(99.9, 100);
    const filled = h.submit({ side: 'buy', quantity: 1 });
    h.modify(filled, { price: 100 });
    expect(h.events[0]).toMatchObject({ kind: 'OrderModifyRejected', reason: 'UNKNOWN_ORDER' });
    expect(h.last(filled)).toMatchObject({ kind: 'OrderModifyRejected', reason: 'ALREADY_FILLED' });
  });

  it('keeps time priority on a quantity decrease and loses it on a price change', () => {
    const h = createHarness();
    const a = h.submit({ side: 'buy', quantity: 2, price: 100 });
    const b = h.submit({ side: 'buy', quantity: 1, price: 100 });
    h.modify(a, { quantity: 1 });
    h.trade(100, 1);
    expect(h.fills(a)).toHaveLength(1);
    expect(h.fills(b)).toHaveLength(0);
    const c = h.submit({ side: 'buy', quantity: 1, price: 100 });
    h.modify(b, { price: 100.1 });
    h.modify(b, { price: 100 });
    h.trade(100, 1);
    expect(h.fills(c)).toHaveLength(1);
    expect(h.fills(b)).toHaveLength(0);
  });
});
