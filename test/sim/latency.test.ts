import { describe, expect, it } from 'vitest';
import { createHarness } from './harness.js';

describe('sim venue: latency and asynchrony', () => {
  it('never answers a command synchronously, even with zero latency', () => {
    const h = createHarness();
    h.quote(99.9, 100);
    h.venue.submit(h.submitCommand({ side: 'buy', quantity: 1 }));
    expect(h.events).toEqual([]);
    h.clock.flush();
    expect(h.events.map((e) => e.kind)).toEqual(['OrderAccepted', 'OrderFilled']);
  });

  it('processes a submit only at now + submit latency, against the market of that time', () => {
    const h = createHarness({ latency: { submitMs: 50 } });
    h.quote(99.9, 100);
    h.venue.submit(h.submitCommand({ side: 'buy', quantity: 1 }));
    h.clock.advanceTo(1_049);
    expect(h.events).toEqual([]);
    h.quote(100.4, 100.5); // the market moved while the order was in flight
    h.clock.advanceTo(1_050);
    expect(h.events.map((e) => [e.kind, e.tsEvent])).toEqual([
      ['OrderAccepted', 1_050],
      ['OrderFilled', 1_050],
    ]);
    expect(h.events[1]).toMatchObject({ lastPrice: 100.5 });
  });

  it('delays cancels and modifies by their own latencies', () => {
    const h = createHarness({ latency: { cancelMs: 20, modifyMs: 10 } });
    const a = h.submit({ side: 'buy', quantity: 1, price: 90 });
    const b = h.submit({ side: 'buy', quantity: 1, price: 90 });
    h.venue.cancel(h.cancelCommand(a));
    h.venue.modify(h.modifyCommand(b, { price: 91 }));
    h.clock.advanceTo(1_009);
    expect(h.kinds(a)).toEqual(['OrderAccepted']);
    expect(h.kinds(b)).toEqual(['OrderAccepted']);
    h.clock.advanceTo(1_010);
    expect(h.last(b)).toMatchObject({ kind: 'OrderUpdated', tsEvent: 1_010 });
    h.clock.advanceTo(1_019);
    expect(h.kinds(a)).toEqual(['OrderAccepted']);
    h.clock.advanceTo(1_020);
    expect(h.last(a)).toMatchObject({ kind: 'OrderCanceled', tsEvent: 1_020 });
  });

  it('lets a fill that happens during the cancel latency win over the cancel', () => {
    const h = createHarness({ latency: { cancelMs: 20 } });
    const id = h.submit({ side: 'buy', quantity: 1, price: 100 });
    h.venue.cancel(h.cancelCommand(id));
    h.clock.advanceTo(1_010);
    h.trade(100, 1);
    h.clock.advanceTo(1_020);
    expect(h.kinds(id)).toEqual(['OrderAccepted', 'OrderFilled', 'OrderCancelRejected']);
    expect(h.last(id)).toMatchObject({ reason: 'ALREADY_FILLED' });
  });
});
