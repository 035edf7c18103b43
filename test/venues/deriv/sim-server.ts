/**
 * Deriv WebSocket API simulator on loopback: `ws://host:port/websockets/v3?app_id=N`, one JSON request per frame,
 * answers in Deriv's envelope. Fault switches drop connections, stop/restart the listener keeping all state, and
 * act on a request while losing its reply.
 *
 *   const sim = await startDerivSimulator({ port: 0 });
 *   sim.url            // ws://127.0.0.1:<port>/websockets/v3
 *   sim.market.moveTo('R_100', 1001);
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createMarket, type DerivMarket, type DerivSymbolSpec } from './market.js';
import { ALL_SCOPES, errorReply, methodOf, type DerivRequest } from './protocol.js';
import { createSession } from './session.js';
import { createVenueCore, type DerivAccountSpec, type VenueCore } from './venue-core.js';

export interface DerivSimulatorOptions {
  readonly host?: string;
  readonly port?: number;
  readonly symbols?: readonly DerivSymbolSpec[];
  readonly accounts?: readonly DerivAccountSpec[];
  readonly seed?: number;
  /** A random-walk tick every N ms; 0 = only by hand (market.moveTo / step). Default 0. */
  readonly marketIntervalMs?: number;
  /** app_ids accepted; default any positive integer. */
  readonly appIds?: readonly number[];
  /** Ask price as a fraction of the payout; default 0.52. */
  readonly askRate?: number;
  /** The venue settles an expired contract itself this long after expiry; null: only `sell_expired` does. Default 2000. */
  readonly settleDelayMs?: number | null;
}

export interface DerivFaults {
  /** Terminates every client connection. */
  dropConnections(): void;
  /** The next request of `method` is acted on but its reply is lost. */
  loseNextReply(method: string): void;
  /** Closes the listener and connections; state is kept. */
  stop(): Promise<void>;
  restart(): Promise<void>;
}

export interface DerivSimulator {
  readonly host: string;
  readonly port: number;
  /** ws://host:port/websockets/v3 (append ?app_id=N). */
  readonly url: string;
  readonly market: DerivMarket;
  readonly core: VenueCore;
  readonly faults: DerivFaults;
  /** Requests received, in order (method and request). */
  readonly requests: readonly { readonly method: string; readonly req: DerivRequest }[];
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export const DEMO_TOKEN = 'sim-demo-token-a1b2c3';
export const READ_ONLY_TOKEN = 'sim-read-only-token-d4e5';
export const NO_READ_TOKEN = 'sim-payments-only-f6g7';

export function demoAccounts(): DerivAccountSpec[] {
  return [{
    loginid: 'VRTC1000001', currency: 'USD', balance: 10_000,
    tokens: { [DEMO_TOKEN]: ALL_SCOPES, [READ_ONLY_TOKEN]: ['read', 'trading_information'], [NO_READ_TOKEN]: ['payments'] },
  }];
}

export async function startDerivSimulator(opts: DerivSimulatorOptions = {}): Promise<DerivSimulator> {
  const host = opts.host ?? '127.0.0.1';
  const now = (): number => Date.now();
  const market = createMarket({ ...(opts.symbols ? { symbols: opts.symbols } : {}), seed: opts.seed ?? 1, now });
  const core = createVenueCore({
    market, accounts: opts.accounts ?? demoAccounts(), now, ...(opts.askRate ? { askRate: opts.askRate } : {}),
    ...(opts.settleDelayMs !== undefined ? { settleDelayMs: opts.settleDelayMs } : {}),
  });
  const requests: { method: string; req: DerivRequest }[] = [];
  const lose = new Map<string, number>();
  const sockets = new Set<WebSocket>();
  let connections = 0;
  let port = opts.port ?? 0;
  let server: Server | undefined;
  const timer = opts.marketIntervalMs ? setInterval(() => market.step(), opts.marketIntervalMs) : undefined;

  const validApp = (raw: string | null): boolean => {
    const n = Number(raw);
    return raw !== null && Number.isInteger(n) && n > 0 && (opts.appIds === undefined || opts.appIds.includes(n));
  };

  const listen = async (): Promise<void> => {
    const wss = new WebSocketServer({ noServer: true });
    const http = createServer((_req, res) => void res.writeHead(404).end());
    http.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://sim');
      if (url.pathname !== '/websockets/v3') return void socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      wss.handleUpgrade(req, socket, head, (ws) => {
        connections++;
        sockets.add(ws);
        const appOk = validApp(url.searchParams.get('app_id'));
        const send = (frame: Record<string, unknown>): void => void (ws.readyState === ws.OPEN && ws.send(JSON.stringify(frame)));
        const session = createSession({
          market, core, now, send,
          count: (method, r) => void requests.push({ method, req: r }),
          loseReply: (method) => {
            const n = lose.get(method) ?? 0;
            if (n > 0) lose.set(method, n - 1);
            return n > 0;
          },
        });
        ws.on('message', (data) => {
          const text = String(data);
          if (!appOk) {
            let req: DerivRequest = {};
            try {
              req = JSON.parse(text) as DerivRequest;
            } catch { /* answered with the app_id error anyway */ }
            requests.push({ method: methodOf(req) ?? 'error', req });
            return send(errorReply(req, methodOf(req) ?? 'error', 'InvalidAppID'));
          }
          session.handle(text);
        });
        ws.on('close', () => {
          sockets.delete(ws);
          session.close();
        });
        ws.on('error', () => undefined);
      });
    });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(port, host, () => resolve());
    });
    port = (http.address() as AddressInfo).port;
    server = http;
  };
  const stop = async (): Promise<void> => {
    for (const ws of sockets) ws.terminate();
    sockets.clear();
    const s = server;
    server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await listen();

  return {
    host,
    get port() {
      return port;
    },
    get url() {
      return `ws://${host}:${port}/websockets/v3`;
    },
    market,
    core,
    requests,
    get connections() {
      return connections;
    },
    faults: {
      dropConnections: () => {
        for (const ws of sockets) ws.terminate();
      },
      loseNextReply: (method) => void lose.set(method, (lose.get(method) ?? 0) + 1),
      stop,
      restart: listen,
    },
    async close() {
      if (timer) clearInterval(timer);
      await stop();
    },
  };
}
