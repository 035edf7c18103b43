/** Shared setup for the TickTrader adapter tests: the loopback simulator and adapters with captured log lines. */
import { pino } from 'pino';
import { createLiveClock } from '../../../engine/clock/live-clock.js';
import createTickTraderAdapter, { type TickTraderAdapter } from '../../../adapters/ticktrader/index.js';
import type { TickTraderAccountSpec } from '../../venues/ticktrader/auth.js';
import type { TickTraderSimulator } from '../../venues/ticktrader/sim-server.js';

export const INSTRUMENT = 'EURUSD.TICKTRADER';

export { captureLog } from '../capture-log.js';

export const envOf = (a: TickTraderAccountSpec): Record<string, string> => ({
  TICKTRADER_ID: a.webApiId,
  TICKTRADER_KEY: a.webApiKey,
  TICKTRADER_SECRET: a.secret,
  ...(a.totpSecret ? { TICKTRADER_TOTP_SECRET: a.totpSecret } : {}),
});

export function makeAdapter(
  sim: TickTraderSimulator,
  account: TickTraderAccountSpec,
  opts: { log?: pino.Logger; options?: Record<string, unknown>; env?: Record<string, string> } = {},
): TickTraderAdapter {
  return createTickTraderAdapter(
    { wsUrl: sim.url, requestTimeoutMs: 1_000, idleTimeoutMs: 2_000, bookDepth: 3, ...opts.options },
    { log: opts.log ?? pino({ level: 'silent' }), clock: createLiveClock(), env: opts.env ?? envOf(account), random: () => 0.5 },
  );
}

export const totalRequests = (sim: TickTraderSimulator): number => [...sim.requests].filter(([name]) => !name.endsWith('(resume)')).reduce((a, [, n]) => a + n, 0);
