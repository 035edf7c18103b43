/**
 * `npm run venue:tt [-- --port N]`: the TT REST API 2.0 simulator on a fixed port until Ctrl-C. A port in use ends it
 * with one line and exit 1.
 *
 * Environment: TT_SIM_HOST (127.0.0.1), TT_SIM_PORT (18730; --port wins), TT_SIM_SEED (1), TT_SIM_TOKEN_TTL_S (3600),
 * TT_SIM_RATE (20 requests a second per application key).
 */
import { SIM_PORTS, simPorts, startOrExit } from '../sim-cli.js';
import { DEMO_ACCOUNT } from './data.js';
import { appOf, startTtSimulator } from './sim-server.js';

const env = process.env;
const num = (v: string | undefined, dflt: number): number => (v === undefined || v === '' ? dflt : Number(v));
const NAME = 'TT simulator';
const { port } = simPorts(NAME, process.argv.slice(2), { port: { option: 'port', env: env.TT_SIM_PORT, envName: 'TT_SIM_PORT', dflt: SIM_PORTS.tt } });
const sim = await startOrExit(NAME, () => startTtSimulator({
  host: env.TT_SIM_HOST ?? '127.0.0.1',
  port,
  seed: num(env.TT_SIM_SEED, 1),
  tokenTtlSeconds: num(env.TT_SIM_TOKEN_TTL_S, 3600),
  rateLimit: { requests: num(env.TT_SIM_RATE, 20), windowMs: 1000 },
}));
const uat = appOf('ext_uat_cert', sim.apps);
const live = appOf('ext_prod_live', sim.apps);
const fills = sim.data.fills.get(DEMO_ACCOUNT)?.length ?? 0;

console.log(`TT REST API 2.0 simulator
  base URL        ${sim.baseUrl}/   (services at <base URL>/<service>/<environment>, e.g. ${sim.baseUrl}/ttpds/ext_uat_cert/markets)
  products        ${sim.data.products.map((p) => p.name).join(', ')} (${sim.data.instruments.length} instruments)
  accounts        ${sim.data.accounts.map((a) => `${a.id} ${a.name}`).join(', ')} (${fills} fills on ${DEMO_ACCOUNT}, ${sim.data.days[0]} to ${sim.data.days.at(-1)})
  demo keys (a simulator: printed on purpose; never print real credentials)
    ext_uat_cert    export TT_APP_KEY=${uat.key} TT_APP_SECRET=${uat.secret}
    ext_prod_live   export TT_APP_KEY=${live.key} TT_APP_SECRET=${live.secret}
  try             npm run engine -- instruments --venue tt --option baseUrl=${sim.baseUrl} --out data/instruments-tt.json
Ctrl-C to stop.`);

const shutdown = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
