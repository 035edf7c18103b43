import { describe, expect, it } from 'vitest';
import { createHarness } from './harness.js';

/** A scripted session touching every path: the same commands and ticks must give the same events. */
function session(): string {
  const h = createHarness({ latency: { submitMs: 5, cancelMs: 3, modifyMs: 2 } });
  const step = (ms: number) => h.clock.advanceBy(ms);
  h.book([[99.9, 0.4], [99.8, 1]], [[100, 0.3], [100.1, 0.5], [100.3, 2]]);
  h.venue.submit(h.submitCommand({ side: 'buy', quantity: 1 }));
  h.venue.submit(h.submitCommand({ side: 'sell', quantity: 0.5, price: 100.2 }));
  h.venue.submit(h.submitCommand({ side: 'buy', quantity: 0.8, price: 99.5, timeInForce: 'GTD', expireAt: 1_500 }));
  h.venue.submit(h.submitCommand({ side: 'buy', quantity: 2, price: 99.9, timeInForce: 'FOK' }));
  step(10);
  h.trade(100.2, 0.2);
  h.venue.modify(h.modifyCommand('s-1-3', { price: 99.7, quantity: 1.1 }));
  h.venue.cancel(h.cancelCommand('s-1-2'));
  step(10);
  h.quote(99.4, 99.6, { askSize: 0.5 });
  step(1_000);
  h.bar(99.6, 100, 99, 99.8, 3);
  return JSON.stringify(h.events);
}

describe('sim venue: determinism', () => {
  it('gives identical event sequences for the same commands and ticks', () => {
    const first = session();
    expect(JSON.parse(first).length).toBeGreaterThan(10);
    expect(session()).toBe(first);
  });
});
