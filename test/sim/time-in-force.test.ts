import { describe, expect, it } from 'vitest';
import { createHarness } from './harness.js';

describe('sim venue: time in force', () => {
  it('keeps a GTC remainder resting across later ticks until filled', () => {
    const h = createHarness();
    h.quote(99.9, 100, { askSize: 0.4 });
    const id = h.submit({ side: 'buy', quantity: 1, price: 100 });
    h.quote(99.8, 100.2);
    h.clock.advanceBy(3_600_000);
    h.quote(99.8, 100, { askSize: 5 });
    expect(h.kinds(id)).toEqual(['OrderAccepted', 'OrderFilled', 'OrderFilled']);
    expect(h.fillsOf(id)).toEqual([
      [100, 0.4, 'taker'],
      [100, 0.6, 'maker'],
    ]);
  });

  it('fills an IOC order partially and cancels the rest with reason IOC', () => {
    const h = createHarness();
    h.book([], [[100, 0.4], [100.1, 0.4], [100.5, 9]]);
    const id = h.submit({ side: 'buy', quantity: 1, price: 100.1, timeInForce: 'IOC' });
    expect(h.kinds(id)).toEqual(['OrderAccepted', 'OrderFilled', 'OrderFilled', 'OrderCanceled']);
    expect(h.last(id)).toMatchObject({ kind: 'OrderCanceled', reason: 'IOC' });
    h.book([], [[99, 9]]);
    expect(h.fills(id)).toHaveLength(2);
  });

  it('fills a FOK order completely when the depth up to its limit suffices', () => {
    const h = createHarness();
    h.book([], [[100, 0.4], [100.1, 0.6], [100.5, 9]]);
    const id = h.submit({ side: 'buy', quantity: 1, price: 100.1, timeInForce: 'FOK' });
    expect(h.fillsOf(id)).toEqual([
      [100, 0.4, 'taker'],
      [100.1, 0.6, 'taker'],
    ]);
    expect(h.last(id)?.kind).toBe('OrderFilled');
  });

  it('cancels a FOK order without any fill when the depth up to its limit falls short', () => {
    const h = createHarness();
    h.book([], [[100, 0.4], [100.1, 0.5], [100.5, 9]]);
    const id = h.submit({ side: 'buy', quantity: 1, price: 100.1, timeInForce: 'FOK' });
    expect(h.kinds(id)).toEqual(['OrderAccepted', 'OrderCanceled']);
    expect(h.last(id)).toMatchObject({ reason: 'FOK' });
    const after = h.submit({ side: 'buy', quantity: 0.9, price: 100.1, timeInForce: 'FOK' });
    expect(h.fills(after)).toHaveLength(2); // the failed FOK consumed nothing
  });

  it('expires a GTD order at its expireAt on the clock', () => {
    const h = createHarness();
    h.quote(99.9, 100);
    const id = h.submit({ side: 'buy', quantity: 1, price: 99, timeInForce: 'GTD', expireAt: 5_000 });
    h.clock.advanceTo(4_999);
    expect(h.kinds(id)).toEqual(['OrderAccepted']);
    h.clock.advanceTo(5_000);
    expect(h.of(id).at(-1)).toEqual({ kind: 'OrderExpired', clientOrderId: id, instrumentId: 'BTCUSD.SIM', tsEvent: 5_000 });
    h.quote(98, 98.5);
    expect(h.fills(id)).toHaveLength(0);
  });

  it('does not expire a GTD order that filled before its time', () => {
    const h = createHarness();
    h.quote(99.9, 100);
    const id = h.submit({ side: 'buy', quantity: 1, price: 99, timeInForce: 'GTD', expireAt: 5_000 });
    h.quote(98, 98.5);
    h.clock.advanceTo(10_000);
    expect(h.kinds(id)).toEqual(['OrderAccepted', 'OrderFilled']);
  });

  it('rejects a GTD order without expireAt or with expireAt already past', () => {
    const h = createHarness();
    const missing = h.submit({ side: 'buy', quantity: 1, price: 99, timeInForce: 'GTD' });
    const past = h.submit({ side: 'buy', quantity: 1, price: 99, timeInForce: 'GTD', expireAt: 1_000 });
    expect(h.last(missing)).toMatchObject({ kind: 'OrderRejected', reason: 'MISSING_EXPIRE_AT' });
    expect(h.last(past)).toMatchObject({ kind: 'OrderRejected', reason: 'EXPIRE_AT_IN_PAST' });
  });
});
