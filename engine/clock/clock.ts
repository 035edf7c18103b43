import type { SchedulerLike } from 'rxjs';
import type { Millis } from '../model/ids.js';

export interface TimerHandle {
  cancel(): void;
}

/**
 * Engine time. The only source of "now" in engine/ and strategies/. Backtests use SimulatedClock (time moves with the
 * data), live and paper use LiveClock. Timers set for the same instant fire in the order they were set.
 */
export interface Clock {
  now(): Millis;
  /** Runs `callback` at engine time `at` (immediately-next if `at` is not in the future, never synchronously). */
  setTimer(at: Millis, callback: () => void): TimerHandle;
  /** RxJS scheduler on this clock: pass it to time-based operators (bufferTime, debounceTime, interval …). */
  readonly scheduler: SchedulerLike;
  /** True when timers due at the same time run in the order they were set (the simulated clock; a wall clock's need not). */
  readonly orderedTimers?: boolean;
}

/** Wraps every timer callback; the kernel passes its dispatcher so timer work never nests inside strategy code. */
export type Runner = (work: () => void) => void;
export const runDirectly: Runner = (work) => work();
