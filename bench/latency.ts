/**
 * Tick → order latency through the whole engine and the Apifiny adapter, in one process, against the loopback
 * simulator (on a worker thread of this process) streaming `rate` BTC/USD book updates a second; a strategy submits an
 * IOC order on every quote.
 * Measured from outside the engine, in nanoseconds:
 *  - t0: the WebSocket frame is handed to the adapter (the `ws` 'message' event);
 *  - t1: the signed, encoded order is handed to the HTTP stack (the http client's HTTP_HANDOFF_CHANNEL): parse, tick, strategy,
 *    risk, execution, JWT signing and JSON encoding (orders go out in order, so each POST takes the oldest waiting t0);
 *  - t2: the request's bytes were handed to the socket (HTTP_SENT_CHANNEL).
 * With `orderEntry: 'fix'` orders go over the FIX acceptor instead: t1 = t2 = the NewOrderSingle's bytes handed to the
 * socket (FIX_SENT_CHANNEL; the session writes synchronously, on one connection that never waits for another).
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import WebSocket from 'ws';
import { spawn } from 'node:child_process';
import { resolveConfig } from '../engine/config/config.js';
import { createAuditStore } from '../engine/control/audit-store.js';
import { dashboardFiles } from '../engine/control/dashboard/index.js';
import { createNodeSource } from '../engine/control/node-source.js';
import { startControlServer } from '../engine/control/server.js';
import { startLiveSession, type LiveSession } from '../engine/kernel/live-session.js';
import { silentLogger } from '../engine/log/logger.js';
import { FIX_SENT_CHANNEL } from '../engine/net/fix-initiator.js';
import { HTTP_HANDOFF_CHANNEL, HTTP_SENT_CHANNEL } from '../engine/net/http-client.js';
import { openDatabase } from '../engine/persistence/index.js';
import { defineStrategy } from '../engine/strategy/define-strategy.js';
import { makeAdapter } from '../test/adapters/apifiny/helpers.js';

export interface LatencyResult {
  frames: number;
  orders: number;
  ratePerSecond: number;
  /** µs: frame received → order handed to the adapter (parse, tick, strategy, risk, execution: synchronous). */
  toAdapter: { p50: number; p99: number; p999: number };
  /** The same, only frames handled cold: IDLE_GAP_NS or more after the last frame, or after a frame of another socket. */
  toAdapterAfterIdle: { p50: number; p99: number; p999: number; count: number };
  /** µs: frame received → signed, encoded request handed to the connection pool (adds the adapter's encoding). */
  toHandoff: { p50: number; p99: number; p999: number };
  /** µs: frame received → request body written to the socket. */
  toSent: { p50: number; p99: number; p999: number };
  /** Requests whose body was written while ticks were streaming (the rest were still waiting for a connection). */
  sentCount: number;
  /** With a dashboard connected: the stream messages and polls it got. */
  dashboard?: { messages: number; bytes: number; polls: number };
}

/** The session's control plane (as `engine live` runs it) and a dashboard client process polling it and on its stream. */
async function startDashboard(session: LiveSession): Promise<{ stop(): Promise<{ messages: number; bytes: number; polls: number }> }> {
  const token = 'bench-token-0123456789abcdef';
  const db = openDatabase(':memory:');
  const source = createNodeSource({
    node: session.node, venues: session.venues, venueIds: ['VENUE1'], storedFills: [], equity: () => [],
    auditStore: createAuditStore(db, session.node.runId), lastOperatorCounter: 0, startedAt: session.node.clock.now(),
  });
  const files = dashboardFiles();
  const server = await startControlServer({ source, host: '127.0.0.1', port: 0, token, log: silentLogger(), dashboardDir: files.dir, assets: files.assets });
  const client = spawn(process.execPath, ['--import', 'tsx', new URL('./dashboard-client.ts', import.meta.url).pathname, server.url, token], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  client.stdout!.on('data', (d: Buffer) => void (out += d.toString()));
  await new Promise((r) => setTimeout(r, 1_500)); // connected, first polls answered
  return {
    async stop() {
      const exited = once(client, 'exit');
      client.kill('SIGTERM');
      await exited;
      await server.close();
      source.close();
      db.close();
      return JSON.parse(out.trim() || '{"messages":0,"bytes":0,"polls":0}') as { messages: number; bytes: number; polls: number };
    },
  };
}

/** A frame that starts this long after the last one ended found the engine idle (its caches cooling). */
const IDLE_GAP_NS = 200_000n;

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: pct(s, 0.5), p99: pct(s, 0.99), p999: pct(s, 0.999) };
};

export async function benchLatency(opts: { rate?: number; seconds?: number; warmupSeconds?: number; warmupRate?: number; dashboard?: boolean; orderEntry?: 'rest' | 'fix' } = {}): Promise<LatencyResult> {
  const rate = opts.rate ?? 10_000;
  const seconds = opts.seconds ?? 3;
  const warmupSeconds = opts.warmupSeconds ?? 2;
  // the simulator on a thread of its own (bench/latency-sim.ts), so it does not take the engine's CPU
  const venue = new Worker(new URL('./latency-sim-entry.mjs', import.meta.url));
  const emit = WebSocket.prototype.emit;
  // hooks set below; whatever happens, they are undone and the simulator's thread is stopped
  let onHandoff = (_msg: unknown): void => undefined;
  let onBodySent = (_msg: unknown): void => undefined;
  let onFixSent = (_msg: unknown): void => undefined;
  try {
    type FromVenue = { ready?: { restBaseUrl: string; mdWsUrl: string; orderWsUrl: string; fixUrl: string }; done?: { steps: number; elapsed: number } };
    const fromVenue = async (): Promise<FromVenue> => (await once(venue, 'message'))[0] as FromVenue;
    const sim = (await fromVenue()).ready!;
    const fix = opts.orderEntry === 'fix' ? { orderEntry: 'fix', fixUrl: sim.fixUrl } : {};
    const adapter = makeAdapter(sim, { options: { requestTimeoutMs: 30_000, rateLimit: '1000000/1s', idleTimeoutMs: 60_000, ...fix } });

    // t0 at every frame the client sockets get; t1 at every request handed to the pool while a frame is being handled
    let frameStart: bigint | undefined;
    let frames = 0;
    // a frame handled right after another (same socket read, or less than IDLE_GAP_NS later) runs on warm caches
    let lastFrameEnd = 0n;
    let frameAfterIdle = true;
    let lastFrameSocket: WebSocket | undefined;
    const afterIdle: number[] = [];
    const handoff: number[] = [];
    const pendingSend: bigint[] = [];
    const sent: number[] = [];
    WebSocket.prototype.emit = function (this: WebSocket, event: string | symbol, ...args: unknown[]) {
      if (event !== 'message') return emit.call(this, event, ...args);
      frameStart = process.hrtime.bigint();
      frameAfterIdle = frameStart - lastFrameEnd > IDLE_GAP_NS || lastFrameSocket !== this;
      lastFrameSocket = this;
      frames++;
      try {
        return emit.call(this, event, ...args);
      } finally {
        frameStart = undefined;
        lastFrameEnd = process.hrtime.bigint();
      }
    } as typeof emit;
    // the engine hands the order to the adapter inside the frame's handling: queue that frame's t0 for its POST
    const waiting: bigint[] = [];
    const execution = adapter.execution!;
    const submit = execution.submit.bind(execution);
    const toAdapter: number[] = [];
    execution.submit = (cmd) => {
      if (frameStart !== undefined) {
        const ns = Number(process.hrtime.bigint() - frameStart);
        toAdapter.push(ns);
        if (frameAfterIdle) afterIdle.push(ns);
        waiting.push(frameStart);
      }
      submit(cmd);
    };
    onHandoff = (msg: unknown): void => {
      const t0 = (msg as { method?: string }).method === 'POST' ? waiting.shift() : undefined;
      if (t0 !== undefined) {
        handoff.push(Number(process.hrtime.bigint() - t0));
        pendingSend.push(t0);
      }
    };
    subscribe(HTTP_HANDOFF_CHANNEL, onHandoff);
    onBodySent = (msg: unknown): void => {
      if ((msg as { method?: string }).method !== 'POST') return;
      const t0 = pendingSend.shift();
      if (t0 !== undefined) sent.push(Number(process.hrtime.bigint() - t0));
    };
    subscribe(HTTP_SENT_CHANNEL, onBodySent);
    onFixSent = (msg: unknown): void => {
      if ((msg as { msgType?: string }).msgType !== 'D') return;
      const t0 = waiting.shift();
      if (t0 === undefined) return;
      const ns = Number(process.hrtime.bigint() - t0);
      handoff.push(ns);
      sent.push(ns);
    };
    subscribe(FIX_SENT_CHANNEL, onFixSent);

    const trader = defineStrategy({
      name: 'every_quote',
      onTick(ctx, tick) {
        if (tick.kind !== 'quote' || tick.instrumentId !== 'BTCUSD.VENUE1') return;
        // far below the market, IOC: it never fills, it never rests
        ctx.submit({ instrumentId: tick.instrumentId, side: 'buy', quantity: 0.001, price: Math.round(tick.bid * 0.9), timeInForce: 'IOC' });
      },
    });
    const config = resolveConfig({ mode: 'live', strategies: [{ use: 'every_quote' }], storage: { path: ':memory:', flushIntervalMs: 5 }, log: { level: 'silent' } });
    const session = await startLiveSession({
      config, definitions: new Map([['every_quote', trader]]), adapters: [adapter], instruments: [], db: openDatabase(':memory:'), log: silentLogger(),
    });
    await new Promise((r) => setTimeout(r, 300)); // subscriptions settle, reconciliation done
    // optionally the control plane with a dashboard's traffic from another process: it must not slow tick → order
    const dashboard = opts.dashboard ? await startDashboard(session) : undefined;
    // warm-up: the same path at a fifth of the rate until V8 has optimised it (the first few thousand orders run in the
    // interpreter at several times the cost), then a pause for the answers to drain; what it measured is discarded
    venue.postMessage({ run: { rate: opts.warmupRate ?? rate / 5, seconds: warmupSeconds } });
    await fromVenue();
    await new Promise((r) => setTimeout(r, 500));
    frames = 0;
    handoff.length = 0;
    toAdapter.length = 0;
    afterIdle.length = 0;
    sent.length = 0;
    pendingSend.length = 0;
    waiting.length = 0;

    venue.postMessage({ run: { rate, seconds } });
    const { steps, elapsed } = (await fromVenue()).done!;
    const sentCount = sent.length;
    await new Promise((r) => setTimeout(r, 500));
    const dashboardSeen = await dashboard?.stop();
    await session.stop(500).catch(() => undefined);
    venue.postMessage({ close: true });
    await once(venue, 'exit');
    return {
      frames, orders: handoff.length, ratePerSecond: steps / elapsed,
      toAdapter: summary(toAdapter.map((ns) => ns / 1000)),
      toAdapterAfterIdle: { ...summary(afterIdle.map((ns) => ns / 1000)), count: afterIdle.length },
      toHandoff: summary(handoff.map((ns) => ns / 1000)), toSent: summary(sent.map((ns) => ns / 1000)), sentCount,
      ...(dashboardSeen !== undefined && { dashboard: dashboardSeen }),
    };
  } finally {
    WebSocket.prototype.emit = emit;
    unsubscribe(HTTP_HANDOFF_CHANNEL, onHandoff);
    unsubscribe(HTTP_SENT_CHANNEL, onBodySent);
    unsubscribe(FIX_SENT_CHANNEL, onFixSent);
    await venue.terminate();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchLatency({ rate: Number(process.argv[2] ?? 10_000), dashboard: process.argv.includes('--dashboard'), orderEntry: process.argv.includes('--fix') ? 'fix' : 'rest' });
  console.log(JSON.stringify(r, null, 2));
  process.exit(0);
}
