import { describe, expect, it } from 'vitest';
import { createHarness } from './harness.js';

describe('sim venue: bars', () => {
  it('fills a market order at the open of the next bar after it was processed', () => {
    const h = createHarness();
    h.bar(100, 101, 99, 100.5);
    const id = h.submit({ side: 'buy', quantity: 1 });
    expect(h.kinds(id)).toEqual(['OrderAccepted']);
    h.clock.advanceBy(60_000);
    h.bar(100.7, 102, 100.2, 101);
    expect(h.fillsOf(id)).toEqual([[100.7, 1, 'taker']]);
  });

  it('limits a bar fill by the bar volume and cancels the market remainder', () => {
    const h = createHarness();
    h.bar(100, 101, 99, 100.5);
    const a = h.submit({ side: 'buy', quantity: 1 });
    const b = h.submit({ side: 'buy', quantity: 1 });
    h.bar(100.7, 102, 100.2, 101, 1.2);
    expect(h.fillsOf(a)).toEqual([[100.7, 1, 'taker']]);
    expect(h.fillsOf(b)).toEqual([[100.7, 0.2, 'taker']]);
    expect(h.last(b)).toMatchObject({ kind: 'OrderCanceled', reason: 'INSUFFICIENT_LIQUIDITY' });
  });

  it('fills a resting buy limit at its price when a later bar trades down to it', () => {
    const h = createHarness();
    h.bar(100, 101, 99, 100.5);
    const id = h.submit({ side: 'buy', quantity: 1, price: 99.5 });
    h.bar(100.5, 101, 99.8, 100);
    expect(h.fills(id)).toHaveLength(0);
    h.bar(100, 100.2, 99.5, 99.9);
    expect(h.fillsOf(id)).toEqual([[99.5, 1, 'maker']]);
  });

  it('fills a resting sell limit at its price when a later bar trades up to it, limited by volume', () => {
    const h = createHarness();
    h.bar(100, 101, 99, 100.5);
    const id = h.submit({ side: 'sell', quantity: 1, price: 101.5 });
    h.bar(100.5, 102, 100.1, 101.8, 0.6);
    h.bar(101.2, 102, 101.1, 101.6, 0.6);
    expect(h.fillsOf(id)).toEqual([
      [101.5, 0.6, 'maker'],
      [101.5, 0.4, 'maker'],
    ]);
  });

  it('fills a resting limit at the open, as taker, when the bar opens through it', () => {
    const h = createHarness();
    h.bar(100, 101, 99, 100.5);
    const id = h.submit({ side: 'buy', quantity: 1, price: 100 });
    h.bar(99.2, 99.8, 98.5, 99);
    expect(h.fillsOf(id)).toEqual([[99.2, 1, 'taker']]);
  });

  it('rejects a post-only limit at or through the last close when only bars are known', () => {
    const h = createHarness();
    h.bar(100, 101, 99, 100.5);
    const crossing = h.submit({ side: 'buy', quantity: 1, price: 100.5, postOnly: true });
    const resting = h.submit({ side: 'buy', quantity: 1, price: 100.4, postOnly: true });
    expect(h.last(crossing)).toMatchObject({ kind: 'OrderRejected', reason: 'POST_ONLY_WOULD_TAKE' });
    h.bar(99, 100, 98, 99.5);
    expect(h.fillsOf(resting)).toEqual([[100.4, 1, 'maker']]);
  });

  it('fills an IOC limit at the next open only if the open is at or through its price', () => {
    const h = createHarness();
    h.bar(100, 101, 99, 100.5);
    const hit = h.submit({ side: 'buy', quantity: 1, price: 101, timeInForce: 'IOC' });
    const miss = h.submit({ side: 'buy', quantity: 1, price: 100, timeInForce: 'IOC' });
    h.bar(100.6, 101, 99, 100);
    expect(h.fillsOf(hit)).toEqual([[100.6, 1, 'taker']]);
    expect(h.kinds(miss)).toEqual(['OrderAccepted', 'OrderCanceled']);
  });

  it('cancels a market order waiting for the next bar', () => {
    const h = createHarness();
    h.bar(100, 101, 99, 100.5);
    const id = h.submit({ side: 'buy', quantity: 1 });
    h.cancel(id);
    h.bar(100.6, 101, 99, 100);
    expect(h.kinds(id)).toEqual(['OrderAccepted', 'OrderCanceled']);
  });
});
