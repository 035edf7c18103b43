/** A TT adapter wired to a simulator, with its log lines kept (tests). */
import { createLiveClock } from '../../../engine/clock/live-clock.js';
import { createTtAdapter, type TtAdapter } from '../../../adapters/tt/index.js';
import { appOf, startTtSimulator, type TtSimulator, type TtSimulatorOptions } from '../../venues/tt/sim-server.js';
import { captureLog } from '../capture-log.js';

export interface Kit {
  readonly sim: TtSimulator;
  readonly adapter: TtAdapter;
  readonly lines: string[];
  close(): Promise<void>;
}

/** An adapter on `sim` with the UAT demo key (or `env`); `lines` collects its log. */
export function makeAdapter(sim: TtSimulator, options: Record<string, unknown> = {}, env?: Record<string, string>, lines?: string[]): TtAdapter {
  const app = appOf('ext_uat_cert', sim.apps);
  const captured = captureLog();
  if (lines !== undefined) captured.lines.push = (...l: string[]) => lines.push(...l);
  return createTtAdapter(
    { baseUrl: sim.baseUrl, appName: 'enginetest', companyName: 'acme', rateLimit: '100/1s', ...options },
    { log: captured.log, clock: createLiveClock(), random: () => 0.5, env: env ?? { TT_APP_KEY: app.key, TT_APP_SECRET: app.secret } },
  );
}

export async function startKit(simOpts: TtSimulatorOptions = {}, options: Record<string, unknown> = {}, env?: Record<string, string>): Promise<Kit> {
  const sim = await startTtSimulator(simOpts);
  const lines: string[] = [];
  const adapter = makeAdapter(sim, options, env, lines);
  return {
    sim, adapter, lines,
    async close() {
      await adapter.close();
      await sim.close();
    },
  };
}

/** Requests the simulator answered, as `STATUS METHOD PATH` (no query). */
export const answered = (sim: TtSimulator, path?: RegExp): string[] =>
  sim.requests.filter((r) => path === undefined || path.test(r.path)).map((r) => `${r.status} ${r.method} ${r.path}`);
