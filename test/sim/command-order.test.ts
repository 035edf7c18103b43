import { asyncScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../engine/clock/clock.js';
import type { VenueOrderEvent } from '../../engine/model/events.js';
import { createSimVenue } from '../../engine/sim/index.js';
import { createHarness } from './harness.js';

/** A clock that fires timers due at the same instant in the REVERSE of the order they were set (as a wall clock may). */
function lifoClock(start: number) {
  let now = start;
  const timers: { at: number; seq: number; run: () => void }[] = [];
  let seq = 0;
  const clock: Clock = {
    now: () => now,
    setTimer: (at, run) => {
      timers.push({ at: Math.max(at, now), seq: ++seq, run });
      return { cancel: () => undefined };
    },
    scheduler: asyncScheduler,
  };
  const advanceTo = (t: number): void => {
    for (;;) {
      const due = timers.filter((x) => x.at <= t).sort((a, b) => a.at - b.at || b.seq - a.seq)[0];
      if (due === undefined) break;
      timers.splice(timers.indexOf(due), 1);
      now = due.at;
      due.run();
    }
    now = t;
  };
  return { clock, advanceTo };
}

describe('sim venue: commands for one order are processed in the order they were sent', () => {
  it('processes a cancel with a shorter latency than its submit only after the submit, so the order ends canceled', () => {
    const h = createHarness({ latency: { submitMs: 10, cancelMs: 1 } });
    h.quote(99.9, 100);
    const submit = h.submitCommand({ side: 'buy', quantity: 1, price: 90 });
    h.venue.submit(submit);
    h.venue.cancel(h.cancelCommand(submit.clientOrderId));
    h.clock.advanceTo(1_009);
    expect(h.events).toEqual([]);
    h.clock.advanceTo(1_010);
    expect(h.of(submit.clientOrderId).map((e) => [e.kind, e.tsEvent])).toEqual([
      ['OrderAccepted', 1_010],
      ['OrderCanceled', 1_010],
    ]);
    return h.venue.openOrders().then((open) => expect(open).toEqual([]));
  });

  it('keeps submit, modify and cancel of one order in sending order whatever their latencies', () => {
    const h = createHarness({ latency: { submitMs: 10, modifyMs: 5, cancelMs: 1 } });
    const submit = h.submitCommand({ side: 'buy', quantity: 1, price: 90 });
    h.venue.submit(submit);
    h.clock.advanceTo(1_002);
    h.venue.modify(h.modifyCommand(submit.clientOrderId, { price: 91 })); // due 1_007, runs after the submit at 1_010
    h.clock.advanceTo(1_008);
    h.venue.cancel(h.cancelCommand(submit.clientOrderId)); // due 1_009, runs after the modify
    h.clock.advanceTo(1_020);
    expect(h.of(submit.clientOrderId).map((e) => [e.kind, e.tsEvent])).toEqual([
      ['OrderAccepted', 1_010],
      ['OrderUpdated', 1_010],
      ['OrderCanceled', 1_010],
    ]);
  });

  it('keeps sending order when commands without latency skip the queue (a clock that runs same-time timers in order)', () => {
    // all three without latency: each runs from its own timer, in the order sent
    const h = createHarness();
    h.quote(99.9, 100);
    const a = h.submitCommand({ side: 'buy', quantity: 1, price: 90 });
    h.venue.submit(a);
    h.venue.modify(h.modifyCommand(a.clientOrderId, { price: 91 }));
    h.venue.cancel(h.cancelCommand(a.clientOrderId));
    h.clock.flush();
    expect(h.of(a.clientOrderId).map((e) => e.kind)).toEqual(['OrderAccepted', 'OrderUpdated', 'OrderCanceled']);
    // a modify with latency between them: the cancel without latency waits for it, not only for the submit
    const m = createHarness({ latency: { submitMs: 0, modifyMs: 5, cancelMs: 0 } });
    m.quote(99.9, 100);
    const b = m.submitCommand({ side: 'buy', quantity: 1, price: 90 });
    m.venue.submit(b);
    m.venue.modify(m.modifyCommand(b.clientOrderId, { price: 91 }));
    m.venue.cancel(m.cancelCommand(b.clientOrderId));
    m.clock.advanceTo(1_010);
    expect(m.of(b.clientOrderId).map((e) => [e.kind, e.tsEvent])).toEqual([
      ['OrderAccepted', 1_000],
      ['OrderUpdated', 1_005],
      ['OrderCanceled', 1_005],
    ]);
  });

  it('does not hold a command behind an earlier one once that one has run', () => {
    const h = createHarness({ latency: { submitMs: 10, cancelMs: 1 } });
    const submit = h.submitCommand({ side: 'buy', quantity: 1, price: 90 });
    h.venue.submit(submit);
    h.clock.advanceTo(1_015);
    h.venue.cancel(h.cancelCommand(submit.clientOrderId));
    h.clock.advanceTo(1_016);
    expect(h.last(submit.clientOrderId)).toMatchObject({ kind: 'OrderCanceled', tsEvent: 1_016 });
  });

  it('keeps commands for different orders independent', () => {
    const h = createHarness({ latency: { submitMs: 10, cancelMs: 1 } });
    const a = h.submit({ side: 'buy', quantity: 1, price: 90 }); // harness flush: not yet processed
    h.clock.advanceTo(1_010);
    expect(h.kinds(a)).toEqual(['OrderAccepted']);
    const b = h.submitCommand({ side: 'buy', quantity: 1, price: 89 });
    h.venue.submit(b); // due 1_020
    h.venue.cancel(h.cancelCommand(a)); // due 1_011: not held behind b's submit
    h.clock.advanceTo(1_011);
    expect(h.last(a)).toMatchObject({ kind: 'OrderCanceled', tsEvent: 1_011 });
    expect(h.kinds(b.clientOrderId)).toEqual([]);
    h.clock.advanceTo(1_020);
    expect(h.kinds(b.clientOrderId)).toEqual(['OrderAccepted']);
  });

  it('keeps sending order even when the clock fires same-instant timers out of order', () => {
    const { clock, advanceTo } = lifoClock(1_000);
    const h = createHarness(); // for its instrument and command builders
    const venue = createSimVenue({ venue: 'SIM', clock, instruments: new Map([[h.instrument.id, h.instrument]]), latency: { submitMs: 10, cancelMs: 10 } });
    const events: VenueOrderEvent[] = [];
    venue.events$.subscribe((e) => events.push(e));
    const submit = h.submitCommand({ side: 'buy', quantity: 1, price: 90 });
    venue.submit(submit);
    venue.cancel(h.cancelCommand(submit.clientOrderId)); // due at the same instant as the submit
    advanceTo(1_010);
    expect(events.map((e) => e.kind)).toEqual(['OrderAccepted', 'OrderCanceled']);
  });
});
