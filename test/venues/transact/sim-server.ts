/**
 * TransAct Futures venue simulator on loopback (adapters/transact/CONTRACT.md): the authentication, orders and prices
 * WebSocket connections on one port, fills from the engine's matching engine, and fault switches.
 *
 *   const sim = await startTransactSimulator({ marketIntervalMs: 0 });
 *   sim.urls.auth            // ws://127.0.0.1:<port>/auth
 *   sim.market.moveTo('ESZ6', 4990);
 *   sim.faults.expireSessions();
 */
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createLiveClock } from '../../../engine/clock/live-clock.js';
import { createCommandHandler, type CommandStats, type SimConnection } from './commands.js';
import type { SimMarket } from './market.js';
import { DEFAULT_SYMBOLS, PATHS, type ConnectionKind, type TransactSymbolSpec } from './protocol.js';
import { createVenueCore, type TransactUser } from './venue-core.js';

export interface TransactSimulatorOptions {
  readonly host?: string;
  readonly port?: number;
  /** Engine venue id of the matching engine's instruments; default TRANSACT. */
  readonly venue?: string;
  readonly seed?: number;
  readonly symbols?: readonly TransactSymbolSpec[];
  readonly users?: readonly TransactUser[];
  /** A market step every N ms; 0 = only by hand. Default 1000. */
  readonly marketIntervalMs?: number;
  /** Heartbeat topic interval on every connection; default 5000, 0 = none. */
  readonly heartbeatMs?: number;
  /** Session key lifetime; default 24 h (the document's maximum). */
  readonly sessionTtlMs?: number;
  /** Where a command's data messages go: before its status (default) or after it; the document allows both. */
  readonly dataOrder?: DataOrder;
}

export type DataOrder = 'before' | 'after';

export interface TransactFaults {
  /** Terminates every open connection (the listener stays up). */
  dropConnections(): void;
  /** Acts on the next `cmd` (by name) but sends neither its data nor its status. */
  swallowNext(cmd: string): void;
  /** Every session key issued so far expires now. */
  expireSessions(): void;
  /** Session keys issued from now on live this long. */
  setSessionTtl(ms: number): void;
  silenceHeartbeat(on: boolean): void;
  /** Refuses every login with -1 from now on (credentials revoked), or stops doing so. */
  rejectLogins(on: boolean): void;
  /** Sends the data messages of every command from now on before or after its status. */
  setDataOrder(order: DataOrder): void;
  /** Closes the listener and every connection; state (orders, fills, sessions, market) is kept. */
  stop(): Promise<void>;
  restart(): Promise<void>;
}

export interface TransactSimulator {
  readonly host: string;
  readonly port: number;
  readonly urls: Readonly<Record<ConnectionKind, string>>;
  readonly users: readonly TransactUser[];
  readonly market: SimMarket;
  readonly faults: TransactFaults;
  readonly stats: CommandStats;
  /** Open connections per kind (tests). */
  connections(kind?: ConnectionKind): number;
  close(): Promise<void>;
}

export const DEMO_USER: TransactUser = { username: 'demo', password: 'demo-password-1', apiKey: 'demo-api-key-1' };

export async function startTransactSimulator(opts: TransactSimulatorOptions = {}): Promise<TransactSimulator> {
  const host = opts.host ?? '127.0.0.1';
  const clock = createLiveClock();
  const users = opts.users ?? [DEMO_USER];
  const core = createVenueCore({ venue: opts.venue ?? 'TRANSACT', clock, seed: opts.seed ?? 1, symbols: opts.symbols ?? DEFAULT_SYMBOLS, users, sessionTtlMs: opts.sessionTtlMs ?? 86_400_000 });
  const stats: CommandStats = { logins: 0, commands: [], newOrders: new Map() };
  const swallow = new Map<string, number>();
  const commandFaults = { swallow, rejectLogins: false, dataAfterStatus: opts.dataOrder === 'after' };
  const handle = createCommandHandler(core, commandFaults, stats);
  const conns = new Map<WebSocket, SimConnection>();
  let silenced = false;

  core.setSink({
    order: (u, order) => {
      for (const c of conns.values()) if (c.kind === 'orders' && c.username === u && c.topics.has('orders')) c.send({ topic: 'order', order });
    },
    fill: (u, fill) => {
      for (const c of conns.values()) if (c.kind === 'orders' && c.username === u && c.topics.has('fills')) c.send({ topic: 'fill', fill });
    },
  });
  const unhook = core.market.onUpdate((u) => {
    for (const c of conns.values()) if (c.kind === 'prices' && c.symbols.has(u.symbol)) for (const f of u.frames) c.send(f);
  });

  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<Socket>();
  const kindOf = (path: string): ConnectionKind | undefined => (Object.keys(PATHS) as ConnectionKind[]).find((k) => PATHS[k] === path);
  const onServer = (server: Server): void => {
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    server.on('upgrade', (req, socket, head) => {
      const kind = kindOf(new URL(req.url ?? '/', 'http://x').pathname);
      if (!kind) return void socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      wss.handleUpgrade(req, socket, head, (ws) => {
        const conn: SimConnection = {
          kind,
          topics: new Set(),
          symbols: new Set(),
          send: (frame) => {
            if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
          },
        };
        conns.set(ws, conn);
        ws.on('message', (data) => void handle(conn, String(data)).catch(() => conn.send({ status: -99, seq: null, cmd: null, text: 'internal error' })));
        ws.on('close', () => conns.delete(ws));
        ws.on('error', () => conns.delete(ws));
      });
    });
  };

  let server = createServer((_req, res) => res.writeHead(426).end('websocket only'));
  onServer(server);
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve((server.address() as { port: number }).port));
    });
  const port = await listen(opts.port ?? 0);
  let running = true;
  const closeAll = async (): Promise<void> => {
    for (const ws of conns.keys()) ws.terminate();
    conns.clear();
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  };

  const heartbeatMs = opts.heartbeatMs ?? 5_000;
  const beat = heartbeatMs > 0 ? setInterval(() => {
    if (silenced) return;
    for (const c of conns.values()) c.send({ topic: 'heartbeat', time: clock.now() });
  }, heartbeatMs) : undefined;
  core.market.start(opts.marketIntervalMs ?? 1000);

  const base = `ws://${host}:${port}`;
  return {
    host,
    port,
    urls: { auth: base + PATHS.auth, orders: base + PATHS.orders, prices: base + PATHS.prices },
    users,
    market: core.market,
    stats,
    connections: (kind) => [...conns.values()].filter((c) => kind === undefined || c.kind === kind).length,
    faults: {
      dropConnections: () => {
        for (const ws of conns.keys()) ws.terminate();
      },
      swallowNext: (cmd) => void swallow.set(cmd, (swallow.get(cmd) ?? 0) + 1),
      expireSessions: () => {
        for (const [k, s] of core.sessions) core.sessions.set(k, { ...s, expiresAt: clock.now() });
      },
      setSessionTtl: (ms) => void (core.sessionTtlMs = ms),
      silenceHeartbeat: (on) => void (silenced = on),
      rejectLogins: (on) => void (commandFaults.rejectLogins = on),
      setDataOrder: (order) => void (commandFaults.dataAfterStatus = order === 'after'),
      async stop() {
        if (!running) return;
        running = false;
        await closeAll();
      },
      async restart() {
        if (running) return;
        server = createServer((_req, res) => res.writeHead(426).end('websocket only'));
        onServer(server);
        await listen(port);
        running = true;
      },
    },
    async close() {
      if (beat) clearInterval(beat);
      unhook();
      core.dispose();
      if (running) await closeAll();
      running = false;
      wss.close();
    },
  };
}
