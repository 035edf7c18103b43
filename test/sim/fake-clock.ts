import { asyncScheduler } from 'rxjs';
import type { Clock, TimerHandle } from '../../engine/clock/clock.js';
import type { Millis } from '../../engine/model/ids.js';

interface Timer {
  readonly at: Millis;
  readonly seq: number;
  readonly callback: () => void;
  canceled: boolean;
}

/** A manual clock for tests: timers fire in (time, insertion) order when the test advances it, never synchronously. */
export interface FakeClock extends Clock {
  /** Moves time to `t`, firing every timer due at or before it (including timers those timers set). */
  advanceTo(t: Millis): void;
  advanceBy(ms: Millis): void;
  /** Fires the timers due now. */
  flush(): void;
}

export function createFakeClock(start: Millis = 0): FakeClock {
  let now = start;
  let seq = 0;
  const timers: Timer[] = [];

  const nextDue = (t: Millis): Timer | undefined => {
    let best: Timer | undefined;
    for (const timer of timers) {
      if (timer.canceled || timer.at > t) continue;
      if (best === undefined || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq)) best = timer;
    }
    return best;
  };

  const advanceTo = (t: Millis): void => {
    for (let timer = nextDue(t); timer !== undefined; timer = nextDue(t)) {
      timers.splice(timers.indexOf(timer), 1);
      now = Math.max(now, timer.at);
      timer.callback();
    }
    now = Math.max(now, t);
  };

  return {
    now: () => now,
    orderedTimers: true, // (time, insertion) order, as the simulated clock
    setTimer(at: Millis, callback: () => void): TimerHandle {
      const timer: Timer = { at: Math.max(at, now), seq: ++seq, callback, canceled: false };
      timers.push(timer);
      return {
        cancel: () => {
          timer.canceled = true;
        },
      };
    },
    scheduler: asyncScheduler,
    advanceTo,
    advanceBy: (ms) => advanceTo(now + ms),
    flush: () => advanceTo(now),
  };
}
