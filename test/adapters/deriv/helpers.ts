/** Shared setup for the Deriv adapter tests: the loopback simulator and adapters built by the adapter's factory. */
import { pino } from 'pino';
import { createLiveClock } from '../../../engine/clock/live-clock.js';
import type { SubmitOrder } from '../../../engine/model/commands.js';
import createDerivAdapter, { type DerivAdapter } from '../../../adapters/deriv/index.js';
import { DEMO_TOKEN, type DerivSimulator } from '../../venues/deriv/sim-server.js';

export const CALL = 'R_100-CALL.DERIV';
export const UNDERLYING = 'R_100.DERIV';

export { captureLog } from '../capture-log.js';

export function makeDerivAdapter(sim: DerivSimulator, opts: { token?: string; log?: pino.Logger; options?: Record<string, unknown> } = {}): DerivAdapter {
  return createDerivAdapter(
    { url: sim.url, requestTimeoutMs: 1_000, idleTimeoutMs: 3_000, duration: 5, durationUnit: 't', ...opts.options },
    { log: opts.log ?? pino({ level: 'silent' }), clock: createLiveClock(), env: { DERIV_API_TOKEN: opts.token ?? DEMO_TOKEN, DERIV_APP_ID: '1089' }, random: () => 0.5 },
  );
}

let counter = 0;
export function order(side: 'buy' | 'sell', quantity: number, price?: number, extra: Partial<SubmitOrder> = {}): SubmitOrder {
  counter += 1;
  return {
    kind: 'SubmitOrder', clientOrderId: `dv-1-${counter}`, strategyId: 'dv', instrumentId: CALL, side, type: price === undefined ? 'market' : 'limit',
    quantity, ...(price === undefined ? {} : { price }), timeInForce: 'IOC', postOnly: false, reduceOnly: false, tsInit: Date.now(), ...extra,
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
