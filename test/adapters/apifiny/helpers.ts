/** Shared setup for the Apifiny adapter tests: the loopback simulator, an adapter with captured log lines. */
import { pino } from 'pino';
import type { Observable } from 'rxjs';
import { createLiveClock } from '../../../engine/clock/live-clock.js';
import type { SubmitOrder } from '../../../engine/model/commands.js';
import createApifinyAdapter, { type ApifinyAdapter } from '../../../adapters/apifiny/index.js';
import type { ApifinySimulator } from '../../venues/apifiny/sim-server.js';
import { ALICE, type Creds } from '../../venues/apifiny/test-client.js';

export const INSTRUMENT = 'BTCUSD.VENUE1';

export { captureLog } from '../capture-log.js';

export const envOf = (c: Creds): Record<string, string> => ({ APIFINY_ACCOUNT_ID: c.accountId, APIFINY_KEY_ID: c.secretKeyId, APIFINY_SECRET: c.secret });

export function makeAdapter(sim: Pick<ApifinySimulator, 'restBaseUrl' | 'mdWsUrl' | 'orderWsUrl'>, opts: { creds?: Creds; log?: pino.Logger; options?: Record<string, unknown> } = {}): ApifinyAdapter {
  return createApifinyAdapter(
    {
      restBaseUrl: sim.restBaseUrl,
      mdWsUrl: sim.mdWsUrl,
      userWsBaseUrl: sim.orderWsUrl.replace(/\/[^/]+\/order$/, ''),
      venue: 'VENUE1',
      requestTimeoutMs: 1_000,
      idleTimeoutMs: 2_000,
      ...opts.options,
    },
    { log: opts.log ?? pino({ level: 'silent' }), clock: createLiveClock(), env: envOf(opts.creds ?? ALICE), random: () => 0.5 },
  );
}

let counter = 0;
export function limit(side: 'buy' | 'sell', price: number, quantity: number, extra: Partial<SubmitOrder> = {}): SubmitOrder {
  counter += 1;
  return {
    kind: 'SubmitOrder', clientOrderId: `mm-7-${counter}`, strategyId: 'mm', instrumentId: INSTRUMENT, side, type: 'limit',
    quantity, price, timeInForce: 'GTC', postOnly: false, reduceOnly: false, tsInit: Date.now(), ...extra,
  };
}

/** Every value of `source$` from now on, and a wait for the first one matching. */
export interface Recorder<T> {
  readonly seen: T[];
  next<S extends T>(pred: (v: T) => v is S, timeoutMs?: number): Promise<S>;
  next(pred: (v: T) => boolean, timeoutMs?: number): Promise<T>;
  stop(): void;
}

export function record<T>(source$: Observable<T>): Recorder<T> {
  const seen: T[] = [];
  const waiters: { pred: (v: T) => boolean; resolve: (v: T) => void }[] = [];
  const sub = source$.subscribe((v) => {
    seen.push(v);
    for (const w of [...waiters]) if (w.pred(v)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(v));
  });
  return {
    seen,
    stop: () => sub.unsubscribe(),
    next(pred: (v: T) => boolean, timeoutMs = 4_000): Promise<T> {
      const hit = seen.find(pred);
      if (hit !== undefined) return Promise.resolve(hit);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no matching value in time')), timeoutMs);
        waiters.push({ pred, resolve: (v) => (clearTimeout(timer), resolve(v)) });
      });
    },
  };
}
