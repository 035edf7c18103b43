import { describe, expect, it } from 'vitest';
import { createHarness } from './harness.js';

describe('sim venue: market orders', () => {
  it('walks the book levels best first with one taker fill per level', () => {
    const h = createHarness();
    h.book([[99.9, 1]], [[100, 0.5], [100.1, 0.7], [100.2, 5]]);
    const id = h.submit({ side: 'buy', quantity: 1.5 });
    expect(h.fillsOf(id)).toEqual([
      [100, 0.5, 'taker'],
      [100.1, 0.7, 'taker'],
      [100.2, 0.3, 'taker'],
    ]);
    expect(h.kinds(id)).toEqual(['OrderAccepted', 'OrderFilled', 'OrderFilled', 'OrderFilled']);
  });

  it('walks the bids for a sell', () => {
    const h = createHarness();
    h.book([[99.9, 0.2], [99.8, 1]], [[100, 1]]);
    const id = h.submit({ side: 'sell', quantity: 0.5 });
    expect(h.fillsOf(id)).toEqual([
      [99.9, 0.2, 'taker'],
      [99.8, 0.3, 'taker'],
    ]);
  });

  it('emits OrderAccepted before any fill, with a counter venue order id and trade ids', () => {
    const h = createHarness();
    h.quote(99.9, 100);
    const id = h.submit({ side: 'buy', quantity: 1 });
    const [accepted, filled] = h.of(id);
    expect(accepted).toMatchObject({ kind: 'OrderAccepted', venueOrderId: 'SIM-1' });
    expect(filled).toMatchObject({ kind: 'OrderFilled', venue: 'SIM', venueOrderId: 'SIM-1', tradeId: 'SIM-T1' });
  });

  it('treats a quote without a size as unlimited liquidity', () => {
    const h = createHarness();
    h.quote(99.9, 100);
    const id = h.submit({ side: 'buy', quantity: 1000 });
    expect(h.fillsOf(id)).toEqual([[100, 1000, 'taker']]);
  });

  it('never lets two market orders use the same liquidity between two snapshots', () => {
    const h = createHarness();
    h.book([[99.9, 1]], [[100, 1], [100.1, 1]]);
    const a = h.submit({ side: 'buy', quantity: 0.6 });
    const b = h.submit({ side: 'buy', quantity: 0.6 });
    expect(h.fillsOf(a)).toEqual([[100, 0.6, 'taker']]);
    expect(h.fillsOf(b)).toEqual([
      [100, 0.4, 'taker'],
      [100.1, 0.2, 'taker'],
    ]);
  });

  it('takes the consumed quote size into account too', () => {
    const h = createHarness();
    h.quote(99.9, 100, { askSize: 1 });
    const a = h.submit({ side: 'buy', quantity: 0.7 });
    const b = h.submit({ side: 'buy', quantity: 0.7 });
    expect(h.fillsOf(a)).toEqual([[100, 0.7, 'taker']]);
    expect(h.fillsOf(b)).toEqual([[100, 0.3, 'taker']]);
    expect(h.last(b)).toMatchObject({ kind: 'OrderCanceled', reason: 'INSUFFICIENT_LIQUIDITY' });
  });

  it('does not let a market order reuse quote size a resting order just took as maker', () => {
    const h = createHarness();
    const resting = h.submit({ side: 'buy', quantity: 0.4, price: 100 });
    h.quote(99.8, 99.9, { askSize: 1 });
    const market = h.submit({ side: 'buy', quantity: 1 });
    expect(h.fillsOf(resting)).toEqual([[100, 0.4, 'maker']]);
    expect(h.fillsOf(market)).toEqual([[99.9, 0.6, 'taker']]);
  });

  it('sees a new snapshot as fresh liquidity', () => {
    const h = createHarness();
    h.book([[99.9, 1]], [[100, 1]]);
    const a = h.submit({ side: 'buy', quantity: 1 });
    h.book([[99.9, 1]], [[100, 1]]);
    const b = h.submit({ side: 'buy', quantity: 1 });
    expect(h.fillsOf(a)).toEqual([[100, 1, 'taker']]);
    expect(h.fillsOf(b)).toEqual([[100, 1, 'taker']]);
  });

  it('does not let a sell use liquidity a buy consumed on the other side', () => {
    const h = createHarness();
    h.quote(99.9, 100, { bidSize: 1, askSize: 1 });
    const buy = h.submit({ side: 'buy', quantity: 1 });
    const sell = h.submit({ side: 'sell', quantity: 1 });
    expect(h.fillsOf(buy)).toEqual([[100, 1, 'taker']]);
    expect(h.fillsOf(sell)).toEqual([[99.9, 1, 'taker']]);
  });

  it('cancels the remainder when the visible depth runs out', () => {
    const h = createHarness();
    h.book([[99.9, 1]], [[100, 0.25], [100.5, 0.25]]);
    const id = h.submit({ side: 'buy', quantity: 1 });
    expect(h.fillsOf(id)).toEqual([
      [100, 0.25, 'taker'],
      [100.5, 0.25, 'taker'],
    ]);
    expect(h.kinds(id)).toEqual(['OrderAccepted', 'OrderFilled', 'OrderFilled', 'OrderCanceled']);
    expect(h.last(id)).toMatchObject({ kind: 'OrderCanceled', reason: 'INSUFFICIENT_LIQUIDITY' });
  });

  it('cancels a market order entirely when its side of the book is empty', () => {
    const h = createHarness();
    h.book([[99.9, 1]], []);
    const id = h.submit({ side: 'buy', quantity: 1 });
    expect(h.kinds(id)).toEqual(['OrderAccepted', 'OrderCanceled']);
  });

  it('rejects a market order with NO_MARKET before any quote, book or bar', () => {
    const h = createHarness();
    h.trade(100, 1);
    const id = h.submit({ side: 'buy', quantity: 1 });
    expect(h.of(id)).toEqual([{ kind: 'OrderRejected', clientOrderId: id, instrumentId: 'BTCUSD.SIM', tsEvent: 1000, reason: 'NO_MARKET' }]);
  });

  it('keeps quantities exact across many partial fills', () => {
    const h = createHarness();
    h.book([], [[100, 0.1], [100.1, 0.2], [100.2, 0.1], [100.3, 5]]);
    const id = h.submit({ side: 'buy', quantity: 0.7 });
    const qtys = h.fills(id).map((f) => f.lastQty);
    expect(qtys).toEqual([0.1, 0.2, 0.1, 0.3]);
    return h.venue.fills(0).then((fills) => expect(fills.map((f) => f.lastQty)).toEqual(qtys));
  });
});
