/** Shared setup for the TransAct adapter tests: the loopback simulator and adapters with captured log lines. */
import { pino } from 'pino';
import { createLiveClock } from '../../../engine/clock/live-clock.js';
import type { SubmitOrder } from '../../../engine/model/commands.js';
import createTransactAdapter, { type TransactAdapter } from '../../../adapters/transact/index.js';
import type { TransactSimulator } from '../../venues/transact/sim-server.js';
import type { TransactUser } from '../../venues/transact/venue-core.js';
import { DEMO_USER } from '../../venues/transact/sim-server.js';

export const INSTRUMENT = 'ESZ6.TRANSACT';

export { captureLog } from '../capture-log.js';

export const envOf = (u: TransactUser): Record<string, string> => ({ TRANSACT_USERNAME: u.username, TRANSACT_PASSWORD: u.password, TRANSACT_API_KEY: u.apiKey });

export function makeAdapter(sim: TransactSimulator, opts: { user?: TransactUser; log?: pino.Logger; options?: Record<string, unknown> } = {}): TransactAdapter {
  return createTransactAdapter(
    { authUrl: sim.urls.auth, ordersUrl: sim.urls.orders, pricesUrl: sim.urls.prices, requestTimeoutMs: 800, idleTimeoutMs: 2_000, ...opts.options },
    { log: opts.log ?? pino({ level: 'silent' }), clock: createLiveClock(), env: envOf(opts.user ?? DEMO_USER), random: () => 0.5 },
  );
}

let counter = 0;
export function limit(side: 'buy' | 'sell', price: number, quantity: number, extra: Partial<SubmitOrder> = {}): SubmitOrder {
  counter += 1;
  return {
    kind: 'SubmitOrder', clientOrderId: `tx-7-${counter}`, strategyId: 'tx', instrumentId: INSTRUMENT, side, type: 'limit',
    quantity, price, timeInForce: 'GTC', postOnly: false, reduceOnly: false, tsInit: Date.now(), ...extra,
  };
}
