import { describe, expect, it } from 'vitest';
import { createSimulatedClock } from '../../engine/clock/simulated-clock.js';
import { createCorrelator } from '../../engine/net/correlation.js';
import { DisconnectedError, TimeoutError, isUnknownOutcome } from '../../engine/net/errors.js';

const settle = () => new Promise((r) => setImmediate(r));

describe('correlation', () => {
  it('resolves a registered request when its answer arrives before the deadline', async () => {
    const clock = createSimulatedClock();
    const c = createCorrelator<string>({ clock, timeoutMs: 1_000 });
    const answer = c.register(7);
    expect(c.pending).toBe(1);
    clock.advanceTo(999);
    expect(c.resolve(7, 'done')).toBe(true);
    await expect(answer).resolves.toBe('done');
    expect(c.pending).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects with a TimeoutError (an unknown outcome) when no answer arrives in time', async () => {
    const clock = createSimulatedClock();
    const c = createCorrelator<string>({ clock, timeoutMs: 1_000, name: 'deriv' });
    const answer = c.register('a1');
    const caught = answer.catch((e: unknown) => e);
    clock.advanceTo(1_000);
    const error = await caught;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(isUnknownOutcome(error)).toBe(true);
    expect((error as TimeoutError).message).toBe('deriv: no answer to request a1 within 1000 ms');
    expect(c.pending).toBe(0);
  });

  it('returns false for a late answer and for an id it never saw', async () => {
    const clock = createSimulatedClock();
    const c = createCorrelator<number>({ clock, timeoutMs: 10 });
    const caught = c.register(1).catch(() => 'timed out');
    clock.advanceTo(10);
    expect(await caught).toBe('timed out');
    expect(c.resolve(1, 42)).toBe(false);
    expect(c.resolve(2, 42)).toBe(false);
  });

  it('honours a per-request deadline', async () => {
    const clock = createSimulatedClock();
    const c = createCorrelator<number>({ clock, timeoutMs: 1_000 });
    let failed = false;
    c.register(1, 50).catch(() => (failed = true));
    clock.advanceTo(50);
    await settle();
    expect(failed).toBe(true);
  });

  it('rejects every pending request with a DisconnectedError on rejectAll', async () => {
    const clock = createSimulatedClock();
    const c = createCorrelator<number>({ clock, timeoutMs: 1_000 });
    const all = [c.register(1), c.register(2), c.register(3)].map((p) => p.catch((e: unknown) => e));
    c.rejectAll('connection lost');
    const errors = await Promise.all(all);
    for (const e of errors) {
      expect(e).toBeInstanceOf(DisconnectedError);
      expect(isUnknownOutcome(e)).toBe(true);
    }
    expect((errors[1] as Error).message).toBe('request 2 unanswered: connection lost');
    expect(c.pending).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('passes a definitive error answer through reject', async () => {
    const c = createCorrelator<number>({ clock: createSimulatedClock(), timeoutMs: 1_000 });
    const answer = c.register('x');
    expect(c.reject('x', new Error('InvalidSymbol'))).toBe(true);
    await expect(answer).rejects.toThrow('InvalidSymbol');
    expect(c.reject('x', new Error('again'))).toBe(false);
  });

  it('throws when an id is registered twice while pending (a bug in the caller)', () => {
    const c = createCorrelator<number>({ clock: createSimulatedClock(), timeoutMs: 1_000 });
    void c.register(5).catch(() => undefined);
    expect(() => c.register(5)).toThrow(/already pending/);
    expect(c.has(5)).toBe(true);
    c.rejectAll('test over');
  });
});
