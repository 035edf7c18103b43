/**
 * The Apifiny simulator as a process of its own for the kill -9 tests: a free port, ALICE's account; prints one JSON
 * line with its URLs, then runs until SIGTERM. The market moves every 100 ms (SIM_MARKET_MS; 0: only by hand); with
 * SIM_CONTROL=1 a test drives it through stdin, one command a line: `moveTo BTCUSD 30030` publishes a book around that
 * price. With SIM_FIX=1 it runs the FIX acceptor too (its port in the first line) and prints a line for every
 * NewOrderSingle it receives.
 */
import { createInterface } from 'node:readline';
import type { FixMessage } from '../../../engine/fix/codec.js';
import { startTestSimulator } from '../../venues/apifiny/test-client.js';

const fix = process.env.SIM_FIX === '1';
const sim = await startTestSimulator({
  marketIntervalMs: Number(process.env.SIM_MARKET_MS ?? 100), pingIntervalMs: 1_000, seed: Number(process.env.SIM_SEED ?? 7),
  // SIM_FIX=1: the FIX acceptor too, and a line for every NewOrderSingle it receives, before it acts on it
  ...(fix ? { fixPort: 0, onFixMessage: (m: FixMessage) => {
    if (m.msgType === 'D') process.stdout.write(`${JSON.stringify({ fixNewOrder: m.get(11), timeInForce: m.get(59) })}\n`);
  } } : {}),
});
process.stdout.write(`${JSON.stringify({
  host: sim.host, port: sim.port, restBaseUrl: sim.restBaseUrl, mdWsUrl: sim.mdWsUrl, orderWsUrl: sim.orderWsUrl, fixPort: sim.fixPort,
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
