/**
 * The Apifiny simulator as a process of its own for the kill -9 harness: a free port, a market that moves every
 * 100 ms, ALICE's account; prints one JSON line with its URLs, then runs until SIGTERM.
 */
import { startTestSimulator } from '../../venues/apifiny/test-client.js';

const sim = await startTestSimulator({ marketIntervalMs: 100, pingIntervalMs: 1_000, seed: Number(process.env.SIM_SEED ?? 7) });
process.stdout.write(`${JSON.stringify({
  host: sim.host, port: sim.port, restBaseUrl: sim.restBaseUrl, mdWsUrl: sim.mdWsUrl, orderWsUrl: sim.orderWsUrl,
})}\n`);
const shutdown = (): void => void sim.close().then(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
