/**
 * The control plane's server: the JSON API under /api/v1/, the live stream (WebSocket) at /api/v1/stream and the
 * dashboard's static files. Built on node:http and the `ws` package, both already in the project: no new dependency,
 * a small surface we read end to end, and nothing between a request and the source but our own code.
 *
 * It only reads the source's snapshots and hands actions to it (DESIGN.md "Reliability rules": a status or control
 * server never runs on or delays the tick → order path). It is I/O code, which is why it may open sockets here under
 * engine/control/ and take wall-clock time (Date.now) for the audit entries' timestamps.
 *
 * Routes and answers: engine/control/API.md.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Logger } from '../log/logger.js';
import { matchActionRoute } from './action-body.js';
import { handleAction } from './action-routes.js';
import {
  ACCESS_MESSAGES, ACTIONS_NEED_TOKEN, FOREIGN_HOST_MESSAGE, STREAM_PROTOCOL, accessOf, bearerFromAuthorization, bearerFromSubprotocol,
  checkBinding, hostHeaderIsLoopback, type Access,
} from './auth.js';
import { errorBody, sendError, sendJson } from './http-util.js';
import { isReadRoute, readView, statusView } from './read-routes.js';
import type { ControlSource } from './source.js';
import { serveStatic } from './static-files.js';
import { createStreamHub } from './stream-hub.js';

export interface ControlServerOptions {
  readonly source: ControlSource;
  readonly host: string;
  /** 0 picks a free port (see `ControlServer.port`). */
  readonly port: number;
  /** The value of ENGINE_CONTROL_TOKEN; undefined: loopback only, reads allowed, every action refused. */
  readonly token: string | undefined;
  readonly log: Logger;
  /** Folder holding the dashboard's index.html and its files; undefined: `/` says the dashboard is not installed. */
  readonly dashboardDir?: string;
  /** Files served at /vendor/<name>: name → absolute path (e.g. uPlot from node_modules/uplot/dist). */
  readonly assets?: Record<string, string>;
  /** Stream heartbeat period (default 15 s). */
  readonly heartbeatMs?: number;
  /** Wall-clock time for audit entries (default Date.now). */
  readonly now?: () => number;
}

export interface ControlServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const API_PREFIX = '/api/v1/';
const STREAM_PATH = '/api/v1/stream';
const STREAM_MAX_PAYLOAD = 4096;

const splitUrl = (url: string | undefined): { pathname: string; query: URLSearchParams } => {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return { pathname: q < 0 ? raw : raw.slice(0, q), query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
};

const decodeSegments = (rest: string): string[] | undefined => {
  try {
    return rest.split('/').map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
};

/** Answers an upgrade request that is refused, on the raw socket, and closes it. */
function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify(errorBody(message));
  socket.on('error', () => undefined);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nconnection: close\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

export function startControlServer(opts: ControlServerOptions): Promise<ControlServer> {
  const { source, host, port, token, log } = opts;
  const binding = checkBinding(host, token);
  if (!binding.ok) return Promise.reject(new Error(binding.error));
  if (token !== undefined && token.length < 16) log.warn('the control token is shorter than 16 characters: use a long random value (e.g. `openssl rand -hex 32`)');

  // I/O code: the audit entries' wall-clock timestamp (see the header); the session may pass its clock instead
  const now = opts.now ?? Date.now;
  const staticOpts = { dashboardDir: opts.dashboardDir, assets: opts.assets ?? {} };
  const hub = createStreamHub(source.stream$, log, opts.heartbeatMs);
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload: STREAM_MAX_PAYLOAD,
    // never select the bearer.<token> protocol: that would echo the token in the answer's headers
    handleProtocols: (protocols) => (protocols.has(STREAM_PROTOCOL) ? STREAM_PROTOCOL : false),
  });

  const refuseAccess = (access: Exclude<Access, 'granted'>, req: IncomingMessage, path: string): string => {
    log.warn({ remote: req.socket.remoteAddress, path }, `control request refused: ${access} token`);
    return ACCESS_MESSAGES[access];
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, pathname: string, query: URLSearchParams): Promise<void> => {
    if (token === undefined && !hostHeaderIsLoopback(req)) return sendError(res, 403, FOREIGN_HOST_MESSAGE);
    const access = accessOf(token, bearerFromAuthorization(req));
    if (access !== 'granted') return sendError(res, 401, refuseAccess(access, req, pathname), { 'www-authenticate': 'Bearer' });
    const segments = pathname.startsWith(API_PREFIX) ? decodeSegments(pathname.slice(API_PREFIX.length)) : undefined;
    if (segments === undefined) return sendError(res, 404, `no such route: ${req.method} ${pathname} (the API is under ${API_PREFIX})`);
    const method = req.method ?? 'GET';
    const [first] = segments;
    if (segments.length === 1 && first !== undefined && isReadRoute(first)) {
      if (method !== 'GET' && method !== 'HEAD') return sendError(res, 405, `${pathname} answers GET only`, { allow: 'GET, HEAD' });
      const view = readView(source, first, query);
      return view.ok ? sendJson(res, 200, view.value) : sendError(res, 400, view.error);
    }
    const action = matchActionRoute(segments);
    if (action !== undefined) {
      if (method !== 'POST') return sendError(res, 405, `${pathname} answers POST only`, { allow: 'POST' });
      if (token === undefined) return sendError(res, 401, ACTIONS_NEED_TOKEN, { 'www-authenticate': 'Bearer' });
      return handleAction(req, res, action, { source, log, now });
    }
    if (pathname === STREAM_PATH) return sendError(res, 426, `${STREAM_PATH} is a WebSocket: connect with a WebSocket client`, { upgrade: 'websocket' });
    sendError(res, 404, `no such route: ${method} ${pathname}`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { pathname, query } = splitUrl(req.url);
    if (pathname === '/api' || pathname.startsWith('/api/')) return handleApi(req, res, pathname, query);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const isStatic = pathname === '/' || pathname === '/index.html' || pathname.startsWith('/static/') || pathname.startsWith('/vendor/');
      return isStatic ? sendError(res, 405, `${pathname} answers GET only`, { allow: 'GET, HEAD' }) : sendError(res, 404, `no such route: ${req.method} ${pathname}`);
    }
    const served = serveStatic(res, pathname, staticOpts);
    if (served === false) return sendError(res, 404, `no such route: ${req.method} ${pathname}`);
    return served;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      log.error({ err: e, path: splitUrl(req.url).pathname }, 'control request failed');
      if (!res.headersSent) sendError(res, 500, 'internal error in the control server (see the engine log)');
      else res.destroy();
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const { pathname, query } = splitUrl(req.url);
    if (pathname !== STREAM_PATH) return refuseUpgrade(socket, 404, `no WebSocket at ${pathname}: the stream is at ${STREAM_PATH}`);
    const orders = query.get('orders') ?? 'all';
    if (orders !== 'all' && orders !== 'changes') return refuseUpgrade(socket, 400, `orders=${orders}: "all" (every order event, the default) or "changes" (what changes the open orders)`);
    if (token === undefined && !hostHeaderIsLoopback(req)) return refuseUpgrade(socket, 403, FOREIGN_HOST_MESSAGE);
    const access = accessOf(token, bearerFromAuthorization(req) ?? bearerFromSubprotocol(req));
    if (access !== 'granted') return refuseUpgrade(socket, 401, refuseAccess(access, req, pathname));
    wss.handleUpgrade(req, socket, head, (ws) => {
      let hello: Record<string, unknown>;
      try {
        hello = { schema: 'engine.stream/1', type: 'hello', status: statusView(source) };
      } catch (e) {
        log.error({ err: e }, 'control stream: the status view failed');
        ws.close(1011, 'internal error in the control server');
        return;
      }
      hub.add(ws, hello, orders);
    });
  });

  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      hub.close();
      reject(new Error(`the control server cannot listen on ${host}:${port}: ${e.code ?? e.message}`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      server.on('error', (e) => log.error({ err: e }, 'control server error'));
      const address = server.address();
      const actual = typeof address === 'object' && address !== null ? address.port : port;
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${actual}`;
      log.info({ url, auth: token === undefined ? 'none: loopback, reads only' : 'token' }, 'control server listening');
      resolve({
        url,
        port: actual,
        close: () =>
          new Promise<void>((done) => {
            hub.close();
            wss.close();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
