/**
 * Apifiny Connect venue simulator: the documented REST API, market data websocket and user data streams on loopback,
 * with fills from the engine's simulated matching engine (engine/sim) fed by a seeded random-walk market.
 *
 *   const sim = await startApifinySimulator({ port: 0, marketIntervalMs: 0 });
 *   sim.restBaseUrl   // http://127.0.0.1:<port>/ac/v2/VENUE1
 *   sim.market.moveTo('BTCUSD', 29_000);   // drive the market by hand
 *   sim.faults.failNext('order/newOrder', 503);
 *   await sim.close();
 */
import { randomBytes } from 'node:crypto';
import { createLiveClock } from '../../../engine/clock/live-clock.js';
import type { ApifinyAccountSpec } from './accounts.js';
import { createFaultState, type ApifinyFaults } from './faults.js';
import { createSimHttpServer } from './http-server.js';
import type { SimMarket } from './market.js';
import type { FixMessage } from '../../../engine/fix/codec.js';
import { startFixAcceptor, type SimFixAcceptor, type SimFixFaults } from './fix-acceptor.js';
import { createMdStream, MD_REQUEST_LIMIT, type MdRequestLimit, type MdRequestRecord } from './md-stream.js';
import { apifinyPaths } from './protocol.js';
import { createRateLimiter } from './rate-limiter.js';
import { accountRoutes } from './rest-account.js';
import { orderRoutes } from './rest-orders.js';
import { marketDataRoutes, utilsRoutes } from './rest-public.js';
import { DEFAULT_SYMBOLS, type ApifinySymbolSpec } from './symbols.js';
import { createUserStreamHub } from './user-stream.js';
import { createVenueCore, type UserStreamSink } from './venue-core.js';

export interface ApifinySimulatorOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0 (any free port). */
  readonly port?: number;
  /** Venue name in the URLs and payloads; default "VENUE1" (the document's). */
  readonly venue?: string;
  /** Seed of the market's random walk; default 1. */
  readonly seed?: number;
  readonly symbols?: readonly ApifinySymbolSpec[];
  /** Default: one demo account STA-00000001 with a generated key and secret. */
  readonly accounts?: readonly ApifinyAccountSpec[];
  /** A market step every N ms; 0 = only when the test calls market.step()/moveTo(). Default 1000. */
  readonly marketIntervalMs?: number;
  /** Per-step volatility of the walk; default 0.0005. */
  readonly volatility?: number;
  /** Heartbeat ping interval; default 30 000 (the venue's). */
  readonly pingIntervalMs?: number;
  /** Pings a client may leave unanswered before it is dropped; default 2. */
  readonly maxMissedPings?: number;
  /** Requests per second per account; default 20. */
  readonly rateLimitPerSecond?: number;
  /** Market-data websocket requests per access key (md-stream.ts); default the document's 1 per second, null: none. */
  readonly mdRequestLimit?: MdRequestLimit | null;
  /** Matching engine delays (the time an order stays PENDING_SUBMIT); default 0. */
  readonly latency?: { readonly submitMs?: number; readonly cancelMs?: number };
  /** How far an orderId's 13-digit timestamp may be from server time; default 24 h. */
  readonly orderIdMaxSkewMs?: number;
  /** How long cancelOrder waits for the matching engine; default 5000. */
  readonly cancelTimeoutMs?: number;
  /** The FIX 4.2 order-entry acceptor (fix-acceptor.ts) on this port (0: any free port); none when undefined. */
  readonly fixPort?: number;
  /** Every order message the FIX acceptor receives, before it acts on it (the kill -9 tests watch for IOCs). */
  readonly onFixMessage?: (m: FixMessage) => void;
}

export interface ApifinySimulator {
  readonly venue: string;
  readonly host: string;
  readonly port: number;
  /** http://host:port/ac/v2/<VENUE> — append /utils/…, /order/… */
  readonly restBaseUrl: string;
  /** http://host:port — append /md/orderbook/v1/{SYMBOL}/{VENUE} … */
  readonly mdRestBaseUrl: string;
  readonly mdWsUrl: string;
  readonly orderWsUrl: string;
  readonly assetWsUrl: string;
  readonly accounts: readonly ApifinyAccountSpec[];
  readonly market: SimMarket;
  readonly faults: ApifinyFaults;
  /** The FIX acceptor's port, when it was asked for (`fixPort`). */
  readonly fixPort: number | undefined;
  /** The FIX acceptor's fault switches, when there is one. */
  readonly fixFaults: SimFixFaults | undefined;
  /** Order messages the FIX acceptor received (SimFixAcceptor.seen), when there is one. */
  readonly fixSeen: ReadonlyMap<string, number> | undefined;
  /** Every market-data websocket request, with its time and whether the rate limit refused it. */
  readonly mdRequests: readonly MdRequestRecord[];
  /** Stops everything (listeners, market timer, matching hooks). */
  close(): Promise<void>;
}

export function demoAccount(): ApifinyAccountSpec {
  return {
    accountId: 'STA-00000001',
    keys: [{ secretKeyId: `key-${randomBytes(8).toString('hex')}`, secret: randomBytes(24).toString('base64url') }],
  };
}

export async function startApifinySimulator(opts: ApifinySimulatorOptions = {}): Promise<ApifinySimulator> {
  const host = opts.host ?? '127.0.0.1';
  const venue = opts.venue ?? 'VENUE1';
  const accounts = opts.accounts ?? [demoAccount()];
  const clock = createLiveClock();
  const faults = createFaultState();
  const heartbeat = { intervalMs: opts.pingIntervalMs ?? 30_000, maxMissed: opts.maxMissedPings ?? 2, now: () => clock.now() };
  const hub = createUserStreamHub({ faults, heartbeat });
  // order updates go to the user stream and, when there is one, to the FIX acceptor's sessions
  let fix: SimFixAcceptor | undefined;
  const streams: UserStreamSink = {
    pushOrder(accountId, frame) {
      hub.pushOrder(accountId, frame);
      fix?.onOrderUpdate(accountId, frame);
    },
    pushAsset: (accountId, frame) => hub.pushAsset(accountId, frame),
  };
  const core = createVenueCore({
    venue,
    clock,
    seed: opts.seed ?? 1,
    symbols: opts.symbols ?? DEFAULT_SYMBOLS,
    accounts,
    ...(opts.latency ? { latency: opts.latency } : {}),
    ...(opts.volatility !== undefined ? { volatility: opts.volatility } : {}),
    orderIdMaxSkewMs: opts.orderIdMaxSkewMs ?? 86_400_000,
    cancelTimeoutMs: opts.cancelTimeoutMs ?? 5_000,
    streams,
  });
  const md = createMdStream({
    venue, market: core.market, faults, heartbeat, now: () => clock.now(),
    requestLimit: opts.mdRequestLimit === null ? undefined : (opts.mdRequestLimit ?? MD_REQUEST_LIMIT),
  });
  const http = createSimHttpServer({
    core,
    acRoutes: [...utilsRoutes(venue, core.market, () => clock.now()), ...accountRoutes(core), ...orderRoutes(core)],
    mdRoutes: marketDataRoutes(venue, core.market),
    md,
    hub,
    faults,
    limiter: createRateLimiter(opts.rateLimitPerSecond ?? 20),
  });

  core.market.step(); // a book for every symbol before the first client arrives
  core.market.start(opts.marketIntervalMs ?? 1000);
  const port = await http.listen(host, opts.port ?? 0);
  if (opts.fixPort !== undefined) fix = await startFixAcceptor(core, { host, port: opts.fixPort, ...(opts.onFixMessage ? { onMessage: opts.onFixMessage } : {}) });
  let running = true;

  const paths = apifinyPaths(venue);
  const faultSwitches: ApifinyFaults = {
    dropConnections: () => {
      http.dropWebSockets();
      fix?.dropConnections();
    },
    swallowNextResponse: (endpoint) => faults.swallow(endpoint),
    get delayMs() {
      return faults.delayMs;
    },
    set delayMs(ms: number) {
      faults.delayMs = ms;
    },
    failNext: (endpoint, status = 502, o = {}) => faults.fail(endpoint, { status, act: o.act ?? false }),
    silenceHeartbeat: () => void (faults.silenced = true),
    resumeHeartbeat: () => void (faults.silenced = false),
    async stop() {
      if (!running) return;
      running = false;
      await Promise.all([http.close(), fix?.stop()]);
    },
    async restart() {
      if (running) return;
      await http.listen(host, port);
      await fix?.restart();
      running = true;
    },
  };

  return {
    venue,
    host,
    port,
    restBaseUrl: `http://${host}:${port}${paths.restBase}`,
    mdRestBaseUrl: `http://${host}:${port}`,
    mdWsUrl: `ws://${host}:${port}${paths.mdWs}`,
    orderWsUrl: `ws://${host}:${port}${paths.orderWs}`,
    assetWsUrl: `ws://${host}:${port}${paths.assetWs}`,
    accounts,
    market: core.market,
    faults: faultSwitches,
    fixPort: fix?.port,
    fixFaults: fix?.faults,
    fixSeen: fix?.seen,
    mdRequests: md.requests,
    async close() {
      await fix?.close();
      core.market.stop();
      md.dispose();
      core.dispose();
      running = false;
      await http.close();
    },
  };
}
