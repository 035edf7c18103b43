import { describe, expect, it } from 'vitest';
import { createHarness } from './harness.js';

describe('sim venue: limit orders', () => {
  it('takes the levels up to its limit on arrival, then rests the remainder', () => {
    const h = createHarness();
    h.book([[99.9, 1]], [[100, 0.3], [100.1, 0.3], [100.2, 1]]);
    const id = h.submit({ side: 'buy', quantity: 1, price: 100.1 });
    expect(h.kinds(id)).toEqual(['OrderAccepted', 'OrderFilled', 'OrderFilled']);
    expect(h.fillsOf(id)).toEqual([
      [100, 0.3, 'taker'],
      [100.1, 0.3, 'taker'],
    ]);
    return h.venue.openOrders().then((open) => {
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({ clientOrderId: id, status: 'PARTIALLY_FILLED', quantity: 1, filledQty: 0.6, price: 100.1 });
      expect(open[0]!.avgFillPrice).toBe(100.05);
    });
  });

  it('rests without filling when it does not cross, and when there is no market data yet', () => {
    const h = createHarness();
    const early = h.submit({ side: 'buy', quantity: 1, price: 99 });
    h.quote(99.9, 100);
    const late = h.submit({ side: 'buy', quantity: 1, price: 99.5 });
    expect(h.kinds(early)).toEqual(['OrderAccepted']);
    expect(h.kinds(late)).toEqual(['OrderAccepted']);
  });

  it('fills a resting buy as maker at its limit when the ask drops through it', () => {
    const h = createHarness();
    h.quote(99.9, 100);
    const id = h.submit({ side: 'buy', quantity: 1, price: 99.5 });
    h.quote(99.0, 99.4, { askSize: 0.4 });
    expect(h.fillsOf(id)).toEqual([[99.5, 0.4, 'maker']]);
    h.quote(99.0, 99.5);
    expect(h.fillsOf(id)).toEqual([
      [99.5, 0.4, 'maker'],
      [99.5, 0.6, 'maker'],
    ]);
    expect(h.last(id)?.kind).toBe('OrderFilled');
  });

  it('fills a resting sell as maker at its limit when the bid rises through it', () => {
    const h = createHarness();
    h.quote(99.9, 100);
    const id = h.submit({ side: 'sell', quantity: 1, price: 100.5 });
    h.quote(100.6, 100.7);
    expect(h.fillsOf(id)).toEqual([[100.5, 1, 'maker']]);
  });

  it('fills a resting order on a trade at or through its price, limited by the trade size', () => {
    const h = createHarness();
    const buy = h.submit({ side: 'buy', quantity: 1, price: 100 });
    const sell = h.submit({ side: 'sell', quantity: 1, price: 101 });
    h.trade(100.1, 5);
    expect(h.fills(buy)).toHaveLength(0);
    h.trade(100, 0.25);
    h.trade(99.5, 0.5);
    h.trade(101, 2);
    expect(h.fillsOf(buy)).toEqual([
      [100, 0.25, 'maker'],
      [100, 0.5, 'maker'],
    ]);
    expect(h.fillsOf(sell)).toEqual([[101, 1, 'maker']]);
  });

  it('fills a resting order from the book levels that cross it, with one fill per tick', () => {
    const h = createHarness();
    const id = h.submit({ side: 'buy', quantity: 2, price: 100 });
    h.book([[99.5, 1]], [[99.8, 0.5], [99.9, 0.5], [100, 0.5], [100.1, 10]]);
    expect(h.fillsOf(id)).toEqual([[100, 1.5, 'maker']]);
  });

  it('fills resting orders in price-time priority, best price first then arrival', () => {
    const h = createHarness();
    const first = h.submit({ side: 'buy', quantity: 1, price: 100 });
    const second = h.submit({ side: 'buy', quantity: 1, price: 100 });
    const better = h.submit({ side: 'buy', quantity: 1, price: 100.2 });
    h.book([], [[99.9, 1.5]]);
    expect(h.fillsOf(better)).toEqual([[100.2, 1, 'maker']]);
    expect(h.fillsOf(first)).toEqual([[100, 0.5, 'maker']]);
    expect(h.fills(second)).toHaveLength(0);
    const tradeIds = h.events.filter((e) => e.kind === 'OrderFilled').map((e) => e.clientOrderId);
    expect(tradeIds).toEqual([better, first]);
  });

  it('does not let resting orders reuse liquidity consumed by a taker before the next snapshot', () => {
    const h = createHarness();
    h.quote(99.9, 100.5, { askSize: 1 });
    const resting = h.submit({ side: 'buy', quantity: 1, price: 100 });
    h.trade(100.5, 1); // no effect on depth
    const taker = h.submit({ side: 'buy', quantity: 1, price: 100.5 });
    expect(h.fillsOf(taker)).toEqual([[100.5, 1, 'taker']]);
    h.quote(99.9, 99.9, { askSize: 0.3 });
    expect(h.fillsOf(resting)).toEqual([[100, 0.3, 'maker']]);
    const ioc = h.submit({ side: 'buy', quantity: 1, price: 100, timeInForce: 'IOC' });
    expect(h.kinds(ioc)).toEqual(['OrderAccepted', 'OrderCanceled']);
  });

  it('never fills an order beyond its quantity', () => {
    const h = createHarness();
    const id = h.submit({ side: 'sell', quantity: 0.5, price: 100 });
    h.quote(100.5, 101);
    h.quote(100.5, 101);
    h.trade(101, 10);
    expect(h.fillsOf(id)).toEqual([[100, 0.5, 'maker']]);
  });

  it('rejects a limit without a price and an unknown instrument', () => {
    const h = createHarness();
    const noPrice = h.submit({ side: 'buy', quantity: 1, type: 'limit' });
    const unknown = h.submit({ side: 'buy', quantity: 1, price: 100, instrumentId: 'ETHUSD.SIM' });
    expect(h.last(noPrice)).toMatchObject({ kind: 'OrderRejected', reason: 'MISSING_PRICE' });
    expect(h.last(unknown)).toMatchObject({ kind: 'OrderRejected', reason: 'UNKNOWN_INSTRUMENT' });
  });

  it('rejects off-grid prices and quantities and a reused client order id', () => {
    const h = createHarness();
    const offTick = h.submit({ side: 'buy', quantity: 1, price: 100.05 });
    const offStep = h.submit({ side: 'buy', quantity: 0.0005, price: 100 });
    const ok = h.submit({ side: 'buy', quantity: 1, price: 100 });
    const dup = h.submit({ side: 'buy', quantity: 1, price: 100, clientOrderId: ok });
    expect(h.last(offTick)).toMatchObject({ kind: 'OrderRejected', reason: 'INVALID_PRICE' });
    expect(h.last(offStep)).toMatchObject({ kind: 'OrderRejected', reason: 'INVALID_QUANTITY' });
    expect(h.events.filter((e) => e.clientOrderId === dup).map((e) => e.kind)).toEqual(['OrderAccepted', 'OrderRejected']);
    expect(h.last(dup)).toMatchObject({ reason: 'DUPLICATE_CLIENT_ORDER_ID' });
  });
});

describe('sim venue: post-only', () => {
  it('rejects a post-only order that would take on arrival', () => {
    const h = createHarness();
    h.quote(99.9, 100);
    const id = h.submit({ side: 'buy', quantity: 1, price: 100, postOnly: true });
    expect(h.of(id)).toEqual([
      { kind: 'OrderRejected', clientOrderId: id, instrumentId: 'BTCUSD.SIM', tsEvent: 1000, reason: 'POST_ONLY_WOULD_TAKE' },
    ]);
  });

  it('accepts a post-only order that does not cross, and it later fills as maker', () => {
    const h = createHarness();
    h.quote(99.9, 100);
    const id = h.submit({ side: 'buy', quantity: 1, price: 99.9, postOnly: true });
    expect(h.kinds(id)).toEqual(['OrderAccepted']);
    h.quote(99.5, 99.8);
    expect(h.fillsOf(id)).toEqual([[99.9, 1, 'maker']]);
  });
});
