/**
 * The latency benchmark's venue: the Apifiny loopback simulator on a worker thread of the benchmark's process, driving
 * its own market. On its own thread it does not take the CPU from the engine it measures (on one thread, answering
 * 10k orders a second saturated the core, so the figures were the simulator's queueing, not the engine's path).
 *
 * Messages in: { run: { rate, seconds } } streams `rate` book updates a second for `seconds`, then posts
 * { done: { steps, elapsed } }; { close: true } stops the simulator and ends the thread.
 * Posts first: { ready: { restBaseUrl, mdWsUrl, orderWsUrl, fixUrl } } (the FIX acceptor runs too).
 */
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { startTestSimulator } from '../test/venues/apifiny/test-client.js';

const port = parentPort!;
const sim = await startTestSimulator({ rateLimitPerSecond: 1e9, pingIntervalMs: 30_000, fixPort: 0 });
port.postMessage({ ready: { restBaseUrl: sim.restBaseUrl, mdWsUrl: sim.mdWsUrl, orderWsUrl: sim.orderWsUrl, fixUrl: `tcp://${sim.host}:${sim.fixPort}` } });

port.on('message', (msg: { run?: { rate: number; seconds: number }; close?: boolean }) => {
  if (msg.close) {
    void sim.close().then(() => port.close());
    return;
  }
  if (!msg.run) return;
  const perMs = msg.run.rate / 1000;
  const seconds = msg.run.seconds;
  let price = 30_000;
  let steps = 0;
  const t0 = performance.now();
  const timer = setInterval(() => {
    const due = Math.floor((performance.now() - t0) * perMs) - steps;
    for (let i = 0; i < due; i++, steps++) sim.market.moveTo('BTCUSD', (price += steps % 2 === 0 ? 0.5 : -0.5));
    const elapsed = (performance.now() - t0) / 1000;
    if (elapsed >= seconds) {
      clearInterval(timer);
      port.postMessage({ done: { steps, elapsed } });
    }
  }, 1);
});
