/**
 * The Apifiny simulator as a process of its own for the kill -9 tests: a free port, ALICE's account; prints one JSON
 * line with its URLs, then runs until SIGTERM. The market moves every 100 ms (SIM_MARKET_MS; 0: only by hand); with
 * SIM_CONTROL=1 a test drives it through stdin, one command a line: `moveTo BTCUSD 30030` publishes a book around that
 * price.
 */
import { createInterface } from 'node:readline';
import { startTestSimulator } from '../../venues/apifiny/test-client.js';

const sim = await startTestSimulator({
  marketIntervalMs: Number(process.env.SIM_MARKET_MS ?? 100), pingIntervalMs: 1_000, seed: Number(process.env.SIM_SEED ?? 7),
});
process.stdout.write(`${JSON.stringify({
  host: sim.host, port: sim.port, restBaseUrl: sim.restBaseUrl, mdWsUrl: sim.mdWsUrl, orderWsUrl: sim.orderWsUrl,
})}\n`);
if (process.env.SIM_CONTROL === '1') {
  createInterface({ input: process.stdin }).on('line', (line) => {
    const [command, symbol, price] = line.trim().split(/\s+/);
    if (command === 'moveTo' && symbol !== undefined && Number.isFinite(Number(price))) sim.market.moveTo(symbol, Number(price));
    else process.stderr.write(`sim-process: unknown command ${JSON.stringify(line)}\n`);
  });
}
const shutdown = (): void => void sim.close().then(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
