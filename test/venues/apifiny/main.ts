/**
 * `npm run venue:apifiny [-- --port N --fix-port N]`: the Apifiny Connect simulator on fixed ports until Ctrl-C. A port
 * in use ends it with one line and exit 1.
 *
 * Environment: APIFINY_SIM_HOST (127.0.0.1), APIFINY_SIM_PORT (18700; REST, market data and user streams share it;
 * --port wins),
 * APIFINY_SIM_VENUE (VENUE1), APIFINY_SIM_SEED (1), APIFINY_SIM_MARKET_MS (1000), APIFINY_SIM_PING_MS (30000),
 * APIFINY_SIM_ACCOUNT_ID (STA-00000001), APIFINY_SIM_KEY_ID / APIFINY_SIM_SECRET (generated when unset),
 * APIFINY_SIM_FIX_PORT (18701; the FIX 4.2 order-entry acceptor, fix-acceptor.ts; --fix-port wins).
 */
import { SIM_PORTS, simPorts, startOrExit } from '../sim-cli.js';
import { demoAccount, startApifinySimulator } from './sim-server.js';

const env = process.env;
const num = (v: string | undefined, dflt: number): number => (v === undefined || v === '' ? dflt : Number(v));

const demo = demoAccount();
const key = demo.keys[0]!;
const account = {
  accountId: env.APIFINY_SIM_ACCOUNT_ID ?? demo.accountId,
  keys: [{ secretKeyId: env.APIFINY_SIM_KEY_ID ?? key.secretKeyId, secret: env.APIFINY_SIM_SECRET ?? key.secret }],
};

const NAME = 'Apifiny simulator';
const ports = simPorts(NAME, process.argv.slice(2), {
  port: { option: 'port', env: env.APIFINY_SIM_PORT, envName: 'APIFINY_SIM_PORT', dflt: SIM_PORTS.apifiny },
  fixPort: { option: 'fix-port', env: env.APIFINY_SIM_FIX_PORT, envName: 'APIFINY_SIM_FIX_PORT', dflt: SIM_PORTS.apifinyFix },
});
const sim = await startOrExit(NAME, () => startApifinySimulator({
  host: env.APIFINY_SIM_HOST ?? '127.0.0.1',
  port: ports.port,
  venue: env.APIFINY_SIM_VENUE ?? 'VENUE1',
  seed: num(env.APIFINY_SIM_SEED, 1),
  marketIntervalMs: num(env.APIFINY_SIM_MARKET_MS, 1000),
  pingIntervalMs: num(env.APIFINY_SIM_PING_MS, 30_000),
  accounts: [account],
  fixPort: ports.fixPort,
}));

const k = account.keys[0]!;
console.log(`Apifiny Connect simulator (venue ${sim.venue})
  REST base        ${sim.restBaseUrl}            e.g. GET ${sim.restBaseUrl}/utils/listSymbolInfo
  market data REST ${sim.mdRestBaseUrl}/md/orderbook/v1/{SYMBOL}/${sim.venue}
  market data WS   ${sim.mdWsUrl}
  order updates    ${sim.orderWsUrl}
  asset updates    ${sim.assetWsUrl}
  FIX 4.2 orders   tcp://${sim.host}:${sim.fixPort}   (SenderCompID = the account id, TargetCompID APIFINY, a JWT in RawData 96)
  symbols          ${sim.market.specs.map((s) => s.symbol).join(', ')}
  demo account     accountId=${account.accountId}
                   secretKeyId=${k.secretKeyId}
                   secret=${k.secret}
  (a simulator: the demo secret is printed on purpose; never print a real one)
Ctrl-C to stop.`);

const shutdown = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
