import type { Millis } from '../model/ids.js';
import { runDirectly, type Clock, type Runner, type TimerHandle } from './clock.js';
import { createClockScheduler } from './clock-scheduler.js';

interface Timer {
  readonly at: Millis;
  readonly seq: number;
  readonly callback: () => void;
  canceled: boolean;
}

/** Backtest clock: time moves only when the replay calls advanceTo. Timers fire in (time, order set) order. */
export interface SimulatedClock extends Clock {
  /** Fires every timer due at or before `t` (each at its own time), then sets now to `t` (never backwards). */
  advanceTo(t: Millis): void;
  /** Time of the next live timer, if any. */
  nextTimerAt(): Millis | undefined;
  readonly pendingTimers: number;
}

export function createSimulatedClock(opts: { start?: Millis; runner?: Runner } = {}): SimulatedClock {
  let now = opts.start ?? 0;
  let seq = 0;
  let live = 0;
  const runner = opts.runner ?? runDirectly;
  const heap: Timer[] = [];

  const before = (a: Timer, b: Timer): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);
  const push = (t: Timer): void => {
    heap.push(t);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(heap[i]!, heap[p]!)) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const pop = (): Timer | undefined => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  };
  const dropCanceled = (): void => {
    while (heap[0]?.canceled) pop();
  };

  const setTimer = (at: Millis, callback: () => void): TimerHandle => {
    const timer: Timer = { at: Math.max(at, now), seq: seq++, callback, canceled: false };
    push(timer);
    live++;
    return {
      cancel() {
        if (!timer.canceled) {
          timer.canceled = true;
          live--;
        }
      },
    };
  };
  const nowFn = (): Millis => now;

  return {
    now: nowFn,
    setTimer,
    orderedTimers: true, // the heap orders by (time, sequence)
    scheduler: createClockScheduler({ now: nowFn, setTimer }),
    advanceTo(t: Millis): void {
      // no timer pending (a replay's common case): only time moves
      if (heap.length === 0) {
        if (t > now) now = t;
        return;
      }
      for (;;) {
        dropCanceled();
        const top = heap[0];
        if (!top || top.at > t) break;
        pop();
        top.canceled = true;
        live--;
        if (top.at > now) now = top.at;
        runner(top.callback);
      }
      if (t > now) now = t;
    },
    nextTimerAt(): Millis | undefined {
      dropCanceled();
      return heap[0]?.at;
    },
    get pendingTimers() {
      return live;
    },
  };
}
