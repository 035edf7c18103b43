/**
 * TickTrader Feed WebSocket API simulator on loopback: Login (HMAC + optional TOTP two-factor), SessionInfo,
 * CurrencyTypes, Currencies, Symbols, FeedSubscribe / FeedTick, BarFeedSubscribe / FeedBarUpdate, QuoteHistory*.
 * The feed has no order entry, so there is no matching engine here.
 *
 *   const sim = await startTickTraderSimulator({ marketIntervalMs: 0 });
 *   sim.url                       // ws://127.0.0.1:<port>/
 *   sim.market.moveTo('EURUSD', 1.13);
 *   sim.faults.dropConnections();
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { Secret } from 'otpauth';
import type { TickTraderAccountSpec } from './auth.js';
import { createQuoteHistory } from './bars.js';
import { createSimMarket, type SimMarket } from './market.js';
import { createSimSession } from './session.js';
import { DEFAULT_SYMBOLS, type TickTraderSymbolSpec } from './symbols.js';

export interface TickTraderSimulatorOptions {
  readonly host?: string;
  /** Default 0 (any free port). */
  readonly port?: number;
  readonly accounts?: readonly TickTraderAccountSpec[];
  readonly symbols?: readonly TickTraderSymbolSpec[];
  readonly seed?: number;
  /** A market step every N ms; 0 = by hand only. Default 500. */
  readonly marketIntervalMs?: number;
  readonly volatility?: number;
  /** How far a Login Timestamp may be from server time; default 30 s. */
  readonly timestampWindowMs?: number;
  /** How long a two-factor token can be resumed; default 1 h. */
  readonly twoFactorTtlMs?: number;
  /** The 500 ms of "once per 2^FrequencyPriority × 500 ms"; tests may shorten it. Default 500. */
  readonly throttleBaseMs?: number;
  /** Websocket-level ping interval; default 10 000. */
  readonly pingIntervalMs?: number;
}

export interface TickTraderFaults {
  /** Terminates every connection abruptly. */
  dropConnections(): void;
  /** No frame (answers, ticks, pings) is sent while silenced. */
  silence(): void;
  resume(): void;
  /** Closes the listener and every connection (the market keeps its state). */
  stop(): Promise<void>;
  restart(): Promise<void>;
}

export interface TickTraderSimulator {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  readonly accounts: readonly TickTraderAccountSpec[];
  readonly market: SimMarket;
  readonly faults: TickTraderFaults;
  /** Requests received, by name (Login, TwoFactor, FeedSubscribe …); a TwoFactor resume also counts as `TwoFactor(resume)`. */
  readonly requests: ReadonlyMap<string, number>;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/** A demo account with a generated key, secret and (optionally) TOTP secret. */
export function demoAccount(opts: { twoFactor?: boolean } = {}): TickTraderAccountSpec {
  return {
    webApiId: randomBytes(8).toString('hex'),
    webApiKey: randomBytes(8).toString('hex'),
    secret: randomBytes(24).toString('base64url'),
    ...(opts.twoFactor ? { totpSecret: new Secret({ size: 20 }).base32 } : {}),
  };
}

export async function startTickTraderSimulator(opts: TickTraderSimulatorOptions = {}): Promise<TickTraderSimulator> {
  const host = opts.host ?? '127.0.0.1';
  const now = () => Date.now();
  const accounts = opts.accounts ?? [demoAccount()];
  const market = createSimMarket(opts.symbols ?? DEFAULT_SYMBOLS, { seed: opts.seed ?? 1, volatility: opts.volatility ?? 0.0002, now });
  const history = createQuoteHistory(now(), now);
  const requests = new Map<string, number>();
  const twoFactorTokens = new Map<string, number>();
  const sockets = new Set<WebSocket>();
  let silenced = false;
  let connections = 0;

  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (ws: WebSocket) => {
    connections++;
    sockets.add(ws);
    const session = createSimSession((text) => ws.readyState === ws.OPEN && ws.send(text), {
      accounts, market, history, now, twoFactorTokens,
      timestampWindowMs: opts.timestampWindowMs ?? 30_000,
      twoFactorTtlMs: opts.twoFactorTtlMs ?? 3_600_000,
      throttleBaseMs: opts.throttleBaseMs ?? 500,
      silenced: () => silenced,
      onRequest: (name) => void requests.set(name, (requests.get(name) ?? 0) + 1),
    });
    ws.on('message', (data) => session.handle(String(data)));
    ws.on('close', () => {
      sockets.delete(ws);
      session.dispose();
    });
    ws.on('error', () => undefined);
  });
  const pinger = setInterval(() => {
    if (!silenced) for (const ws of sockets) ws.ping();
  }, opts.pingIntervalMs ?? 10_000);

  let server: Server | undefined;
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const s = createServer((_req, res) => res.writeHead(426).end('websocket only'));
      s.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
      s.once('error', reject);
      s.listen(port, host, () => {
        server = s;
        const a = s.address();
        resolve(typeof a === 'object' && a ? a.port : port);
      });
    });
  const stopListening = async (): Promise<void> => {
    for (const ws of sockets) ws.terminate();
    sockets.clear();
    const s = server;
    server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  const port = await listen(opts.port ?? 0);
  market.start(opts.marketIntervalMs ?? 500);

  return {
    host,
    port,
    url: `ws://${host}:${port}/`,
    accounts,
    market,
    requests,
    get connections() {
      return connections;
    },
    faults: {
      dropConnections: () => {
        for (const ws of sockets) ws.terminate();
      },
      silence: () => void (silenced = true),
      resume: () => void (silenced = false),
      stop: stopListening,
      restart: async () => {
        if (!server) await listen(port);
      },
    },
    async close() {
      clearInterval(pinger);
      market.stop();
      await stopListening();
      wss.close();
    },
  };
}
