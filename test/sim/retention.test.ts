import { describe, expect, it } from 'vitest';
import { createHarness } from './harness.js';

describe('simulated venue: closed orders and fills kept in memory', () => {
  it('forgets closed orders past its retention (a cancel of one is refused as unknown) and reports only the fills it keeps', async () => {
    const h = createHarness({ retention: { keep: 1, minAgeMs: 1_000 } });
    h.quote(100, 100.5);
    const first = h.submit({ side: 'buy', quantity: 1 });
    h.clock.advanceTo(5_000);
    h.quote(100, 100.5);
    const second = h.submit({ side: 'buy', quantity: 1 });
    const resting = h.submit({ side: 'buy', quantity: 1, price: 90 });

    h.cancel(first);
    expect(h.last(first)).toMatchObject({ kind: 'OrderCancelRejected', reason: 'UNKNOWN_ORDER' });
    h.cancel(second);
    expect(h.last(second)).toMatchObject({ kind: 'OrderCancelRejected' });
    expect(h.last(second)).not.toMatchObject({ reason: 'UNKNOWN_ORDER' });
    expect((await h.venue.fills!(0)).map((f) => f.clientOrderId)).toEqual([second]);
    // an open order stays, however old
    h.clock.advanceTo(1_000_000);
    h.quote(100, 100.5);
    h.submit({ side: 'sell', quantity: 1 });
    expect((await h.venue.openOrders!()).map((r) => r.clientOrderId)).toEqual([resting]);
  });
});
