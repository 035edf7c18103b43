import { bufferTime, debounceTime, interval, Subject, take } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createSimulatedClock } from '../../engine/clock/simulated-clock.js';

describe('simulated clock', () => {
  it('fires timers in time order, and same-time timers in the order they were set', () => {
    const clock = createSimulatedClock({ start: 0 });
    const seen: string[] = [];
    clock.setTimer(20, () => seen.push('b@20'));
    clock.setTimer(10, () => seen.push('a@10'));
    clock.setTimer(20, () => seen.push('c@20'));
    clock.advanceTo(15);
    expect(seen).toEqual(['a@10']);
    expect(clock.now()).toBe(15);
    clock.advanceTo(20);
    expect(seen).toEqual(['a@10', 'b@20', 'c@20']);
  });

  it('shows each timer its own time as now while it fires', () => {
    const clock = createSimulatedClock();
    const at: number[] = [];
    clock.setTimer(5, () => at.push(clock.now()));
    clock.setTimer(7, () => at.push(clock.now()));
    clock.advanceTo(100);
    expect(at).toEqual([5, 7]);
  });

  it('never fires a timer synchronously, even one set for the past', () => {
    const clock = createSimulatedClock({ start: 50 });
    let fired = false;
    clock.setTimer(10, () => (fired = true));
    expect(fired).toBe(false);
    clock.advanceTo(50);
    expect(fired).toBe(true);
  });

  it('does not fire a canceled timer and does not go backwards', () => {
    const clock = createSimulatedClock({ start: 100 });
    let fired = false;
    clock.setTimer(110, () => (fired = true)).cancel();
    clock.advanceTo(200);
    clock.advanceTo(150);
    expect(fired).toBe(false);
    expect(clock.now()).toBe(200);
    expect(clock.pendingTimers).toBe(0);
  });

  it('fires timers that timers set for a time still inside the advance', () => {
    const clock = createSimulatedClock();
    const seen: number[] = [];
    clock.setTimer(10, () => clock.setTimer(clock.now() + 5, () => seen.push(clock.now())));
    clock.advanceTo(30);
    expect(seen).toEqual([15]);
  });

  it('runs every callback through the injected runner', () => {
    const wrapped: string[] = [];
    const clock = createSimulatedClock({ runner: (work) => { wrapped.push('in'); work(); wrapped.push('out'); } });
    clock.setTimer(1, () => wrapped.push('work'));
    clock.advanceTo(1);
    expect(wrapped).toEqual(['in', 'work', 'out']);
  });
});

describe('RxJS on the engine clock', () => {
  it('runs interval on simulated time, without real waiting', () => {
    const clock = createSimulatedClock({ start: 1_000 });
    const seen: Array<[number, number]> = [];
    interval(1_000, clock.scheduler).pipe(take(3)).subscribe((n) => seen.push([n, clock.now()]));
    clock.advanceTo(10_000);
    expect(seen).toEqual([[0, 2_000], [1, 3_000], [2, 4_000]]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('buffers ticks by engine time with bufferTime', () => {
    const clock = createSimulatedClock({ start: 0 });
    const src = new Subject<number>();
    const out: number[][] = [];
    src.pipe(bufferTime(100, clock.scheduler)).subscribe((b) => out.push(b));
    for (const t of [10, 50, 120, 190, 250]) {
      clock.advanceTo(t);
      src.next(t);
    }
    clock.advanceTo(300);
    expect(out).toEqual([[10, 50], [120, 190], [250]]);
  });

  it('debounces on engine time', () => {
    const clock = createSimulatedClock({ start: 0 });
    const src = new Subject<number>();
    const out: Array<[number, number]> = [];
    src.pipe(debounceTime(50, clock.scheduler)).subscribe((v) => out.push([v, clock.now()]));
    for (const t of [0, 20, 40, 200]) {
      clock.advanceTo(t);
      src.next(t);
    }
    clock.advanceTo(1_000);
    expect(out).toEqual([[40, 90], [200, 250]]);
  });
});
