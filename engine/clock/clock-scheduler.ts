import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';
import type { Clock, TimerHandle } from './clock.js';

/**
 * An RxJS scheduler whose time is an engine Clock: `bufferTime(1000, clock.scheduler)` waits one second of *engine*
 * time, so in a backtest it follows the recorded ticks, deterministically and without real waiting.
 */
export function createClockScheduler(clock: Pick<Clock, 'now' | 'setTimer'>): SchedulerLike {
  return {
    now: () => clock.now(),
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
      return new ClockAction<T>(clock, work).schedule(state, delay);
    },
  };
}

class ClockAction<T> extends Subscription implements SchedulerAction<T> {
  private handle: TimerHandle | undefined;
  private pending = false;
  private state: T | undefined;

  constructor(
    private readonly clock: Pick<Clock, 'now' | 'setTimer'>,
    private readonly work: (this: SchedulerAction<T>, state?: T) => void,
  ) {
    super();
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.state = state;
    this.handle?.cancel();
    this.pending = true;
    this.handle = this.clock.setTimer(this.clock.now() + Math.max(0, delay), () => this.execute());
    return this;
  }

  private execute(): void {
    if (this.closed) return;
    this.pending = false;
    this.handle = undefined;
    try {
      this.work.call(this, this.state);
    } catch (error) {
      this.unsubscribe();
      throw error;
    }
    // an action that did not reschedule itself is done (as RxJS's own AsyncAction behaves)
    if (!this.pending) this.unsubscribe();
  }

  override unsubscribe(): void {
    this.handle?.cancel();
    this.handle = undefined;
    super.unsubscribe();
  }
}
