import type { Millis } from '../model/ids.js';
import { runDirectly, type Clock, type Runner, type TimerHandle } from './clock.js';
import { createClockScheduler } from './clock-scheduler.js';

/** Wall-clock time for live and paper modes: the one place in engine/ that reads Date.now(). */
export function createLiveClock(opts: { runner?: Runner; now?: () => Millis } = {}): Clock {
  const runner = opts.runner ?? runDirectly;
  const now = opts.now ?? (() => Date.now());
  const setTimer = (at: Millis, callback: () => void): TimerHandle => {
    const id = setTimeout(() => runner(callback), Math.max(0, at - now()));
    return { cancel: () => clearTimeout(id) };
  };
  return { now, setTimer, scheduler: createClockScheduler({ now, setTimer }) };
}
