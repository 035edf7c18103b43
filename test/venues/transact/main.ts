/**
 * `npm run venue:transact [-- --port N]`: the TransAct Futures simulator on a fixed port until Ctrl-C. A port in use
 * ends it with one line and exit 1.
 *
 * Environment: TRANSACT_SIM_HOST (127.0.0.1), TRANSACT_SIM_PORT (18720; the three connections share it; --port wins),
 * TRANSACT_SIM_SEED (1), TRANSACT_SIM_MARKET_MS (1000), TRANSACT_SIM_HEARTBEAT_MS (5000),
 * TRANSACT_SIM_SESSION_TTL_MS (86400000), TRANSACT_SIM_USERNAME / _PASSWORD / _API_KEY (the demo user's when unset).
 */
import { SIM_PORTS, simPorts, startOrExit } from '../sim-cli.js';
import { DEMO_USER, startTransactSimulator } from './sim-server.js';

const env = process.env;
const num = (v: string | undefined, dflt: number): number => (v === undefined || v === '' ? dflt : Number(v));
const user = {
  username: env.TRANSACT_SIM_USERNAME ?? DEMO_USER.username,
  password: env.TRANSACT_SIM_PASSWORD ?? DEMO_USER.password,
  apiKey: env.TRANSACT_SIM_API_KEY ?? DEMO_USER.apiKey,
};
const NAME = 'TransAct simulator';
const { port } = simPorts(NAME, process.argv.slice(2), { port: { option: 'port', env: env.TRANSACT_SIM_PORT, envName: 'TRANSACT_SIM_PORT', dflt: SIM_PORTS.transact } });
const sim = await startOrExit(NAME, () => startTransactSimulator({
  host: env.TRANSACT_SIM_HOST ?? '127.0.0.1',
  port,
  seed: num(env.TRANSACT_SIM_SEED, 1),
  marketIntervalMs: num(env.TRANSACT_SIM_MARKET_MS, 1000),
  heartbeatMs: num(env.TRANSACT_SIM_HEARTBEAT_MS, 5000),
  sessionTtlMs: num(env.TRANSACT_SIM_SESSION_TTL_MS, 86_400_000),
  users: [user],
}));

console.log(`TransAct Futures simulator
  authentication  ${sim.urls.auth}
  orders          ${sim.urls.orders}
  prices          ${sim.urls.prices}
  symbols         ${sim.market.specs.map((s) => s.symbol).join(', ')}
  demo user       TRANSACT_USERNAME=${user.username} TRANSACT_PASSWORD=${user.password} TRANSACT_API_KEY=${user.apiKey}
  (a simulator: the demo credentials are printed on purpose; never print real ones)
Ctrl-C to stop.`);

const shutdown = (): void => void sim.close().then(() => process.exit(0));
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
