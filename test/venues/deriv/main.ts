/**
 * `npm run venue:deriv [-- --port N]`: the Deriv API simulator on a fixed port until Ctrl-C. A port in use ends it
 * with one line and exit 1.
 *
 * Environment: DERIV_SIM_HOST (127.0.0.1), DERIV_SIM_PORT (18800; --port wins), DERIV_SIM_SEED (1),
 * DERIV_SIM_MARKET_MS (1000).
 * Demo tokens are fixed (see sim-server.ts) and printed: they are simulator tokens, never real ones.
 */
import { SIM_PORTS, simPorts, startOrExit } from '../sim-cli.js';
import { DEMO_TOKEN, READ_ONLY_TOKEN, startDerivSimulator } from './sim-server.js';

const env = process.env;
const num = (v: string | undefined, dflt: number): number => (v === undefined || v === '' ? dflt : Number(v));

const NAME = 'Deriv simulator';
const { port } = simPorts(NAME, process.argv.slice(2), { port: { option: 'port', env: env.DERIV_SIM_PORT, envName: 'DERIV_SIM_PORT', dflt: SIM_PORTS.deriv } });
const sim = await startOrExit(NAME, () => startDerivSimulator({
  host: env.DERIV_SIM_HOST ?? '127.0.0.1',
  port,
  seed: num(env.DERIV_SIM_SEED, 1),
  marketIntervalMs: num(env.DERIV_SIM_MARKET_MS, 1000),
}));

console.log(`Deriv API simulator
  websocket      ${sim.url}?app_id=1
  symbols        ${sim.market.specs.map((s) => s.symbol).join(', ')}
  demo token     ${DEMO_TOKEN}   (scopes: read trade trading_information payments admin)
  read-only      ${READ_ONLY_TOKEN}   (scopes: read trading_information — buys get PermissionDenied)
  export DERIV_APP_ID=1 DERIV_API_TOKEN=${DEMO_TOKEN}
  (a simulator: its demo tokens are printed on purpose; never print a real one)
Ctrl-C to stop.`);

const shutdown = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
