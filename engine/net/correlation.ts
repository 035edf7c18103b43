import type { Clock, TimerHandle } from '../clock/clock.js';
import { DisconnectedError, TimeoutError } from './errors.js';

/** A request id as the protocol carries it. `1` and `'1'` are different ids: normalise in the adapter. */
export type CorrelationId = string | number;

export interface CorrelatorOptions {
  readonly clock: Pick<Clock, 'now' | 'setTimer'>;
  /** Default deadline per request, in engine time. */
  readonly timeoutMs: number;
  /** Prefix for error messages, e.g. the venue name. */
  readonly name?: string;
}

/**
 * Request/response correlation for JSON-over-websocket protocols (ids, req_id). Timeouts and `rejectAll` reject with
 * UnknownOutcomeError subclasses (TimeoutError, DisconnectedError): the request may have been acted on.
 */
export interface Correlator<T> {
  /** Waits for the answer to `id`. Registering an id that is already pending is a bug and throws. */
  register(id: CorrelationId, timeoutMs?: number): Promise<T>;
  /** Delivers the answer; false when the id is unknown, already answered or timed out (a late reply). */
  resolve(id: CorrelationId, value: T): boolean;
  /** Delivers a definitive error answer (e.g. the venue's error envelope); false when the id is not pending. */
  reject(id: CorrelationId, error: Error): boolean;
  /** Rejects every pending request with a DisconnectedError (call on disconnect or close). */
  rejectAll(reason: string): void;
  has(id: CorrelationId): boolean;
  readonly pending: number;
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
  timer: TimerHandle;
}

export function createCorrelator<T>(opts: CorrelatorOptions): Correlator<T> {
  const waiters = new Map<CorrelationId, Waiter<T>>();
  const prefix = opts.name ? `${opts.name}: ` : '';

  const take = (id: CorrelationId): Waiter<T> | undefined => {
    const w = waiters.get(id);
    if (!w) return undefined;
    waiters.delete(id);
    w.timer.cancel();
    return w;
  };

  return {
    register(id, timeoutMs = opts.timeoutMs) {
      if (waiters.has(id)) throw new Error(`${prefix}request id ${String(id)} is already pending`);
      return new Promise<T>((resolve, reject) => {
        const timer = opts.clock.setTimer(opts.clock.now() + timeoutMs, () => {
          if (waiters.get(id)?.timer !== timer) return;
          waiters.delete(id);
          reject(new TimeoutError(`${prefix}no answer to request ${String(id)} within ${timeoutMs} ms`, timeoutMs));
        });
        waiters.set(id, { resolve, reject, timer });
      });
    },
    resolve(id, value) {
      const w = take(id);
      w?.resolve(value);
      return w !== undefined;
    },
    reject(id, error) {
      const w = take(id);
      w?.reject(error);
      return w !== undefined;
    },
    rejectAll(reason) {
      const all = [...waiters.keys()];
      for (const id of all) take(id)?.reject(new DisconnectedError(`${prefix}request ${String(id)} unanswered: ${reason}`));
    },
    has: (id) => waiters.has(id),
    get pending() {
      return waiters.size;
    },
  };
}
