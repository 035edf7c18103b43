/**
 * `npm run venue:ticktrader [-- --port N]`: the TickTrader Feed simulator on a fixed port until Ctrl-C. A port in use
 * ends it with one line and exit 1.
 *
 * Environment: TICKTRADER_SIM_HOST (127.0.0.1), TICKTRADER_SIM_PORT (18710; --port wins), TICKTRADER_SIM_SEED (1),
 * TICKTRADER_SIM_MARKET_MS (500), and the demo account TICKTRADER_SIM_ID / TICKTRADER_SIM_KEY / TICKTRADER_SIM_SECRET
 * (generated when unset), TICKTRADER_SIM_TOTP_SECRET (base32; set it, or TICKTRADER_SIM_TWO_FACTOR=1 to generate
 * one, to require two-factor authentication).
 */
import { SIM_PORTS, simPorts, startOrExit } from '../sim-cli.js';
import { demoAccount, startTickTraderSimulator } from './sim-server.js';

const env = process.env;
const num = (v: string | undefined, dflt: number): number => (v === undefined || v === '' ? dflt : Number(v));
const demo = demoAccount({ twoFactor: env.TICKTRADER_SIM_TWO_FACTOR === '1' });
const totpSecret = env.TICKTRADER_SIM_TOTP_SECRET ?? demo.totpSecret;
const account = {
  webApiId: env.TICKTRADER_SIM_ID ?? demo.webApiId,
  webApiKey: env.TICKTRADER_SIM_KEY ?? demo.webApiKey,
  secret: env.TICKTRADER_SIM_SECRET ?? demo.secret,
  ...(totpSecret ? { totpSecret } : {}),
};

const NAME = 'TickTrader simulator';
const { port } = simPorts(NAME, process.argv.slice(2), { port: { option: 'port', env: env.TICKTRADER_SIM_PORT, envName: 'TICKTRADER_SIM_PORT', dflt: SIM_PORTS.ticktrader } });
const sim = await startOrExit(NAME, () => startTickTraderSimulator({
  host: env.TICKTRADER_SIM_HOST ?? '127.0.0.1',
  port,
  seed: num(env.TICKTRADER_SIM_SEED, 1),
  marketIntervalMs: num(env.TICKTRADER_SIM_MARKET_MS, 500),
  accounts: [account],
}));

console.log(`TickTrader Feed simulator
  websocket   ${sim.url}
  symbols     ${sim.market.specs.map((s) => s.wire.Symbol).join(', ')}
  demo account (a simulator: printed on purpose; never print real credentials)
    export TICKTRADER_ID=${account.webApiId}
    export TICKTRADER_KEY=${account.webApiKey}
    export TICKTRADER_SECRET=${account.secret}${account.totpSecret ? `\n    export TICKTRADER_TOTP_SECRET=${account.totpSecret}` : ''}
Ctrl-C to stop.`);

const shutdown = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
