/**
 * The simulator's listener: REST under /ac/v2/<VENUE>/… (standard envelope, HTTP 200 for application errors — the
 * document lists HTTP errors only for a blocked IP (403) and an unavailable service (502)), market data REST under
 * /md/…, and websocket upgrades for /md/ws/v1 and the user streams /ac/ws/v2/<VENUE>/order|asset (also accepted under
 * /gx/ws/v2/…, the path of the document's Python example). Private routes: JWT → rate limit → accountId / venue
 * parameters → handler. Fault switches are applied here.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { ApifinyFailure, apifinyError, type ApifinyError } from './error-codes.js';
import type { FaultState } from './faults.js';
import { queryDigests, sha256Hex, verifyApifinyToken } from './jwt-auth.js';
import type { MdStream } from './md-stream.js';
import { apifinyPaths, envelopeError, envelopeOk } from './protocol.js';
import type { RateLimiter } from './rate-limiter.js';
import type { RestRoute } from './rest-route.js';
import type { UserStreamHub, UserStreamKind } from './user-stream.js';
import type { VenueCore } from './venue-core.js';

export interface HttpServerDeps {
  readonly core: VenueCore;
  readonly acRoutes: readonly RestRoute[];
  readonly mdRoutes: readonly RestRoute[];
  readonly md: MdStream;
  readonly hub: UserStreamHub;
  readonly faults: FaultState;
  readonly limiter: RateLimiter;
}

export interface SimHttpServer {
  listen(host: string, port: number): Promise<number>;
  close(): Promise<void>;
  /** Terminates every open websocket. */
  dropWebSockets(): void;
}

type Reply = { readonly status: number; readonly body: unknown };
const errorReply = (e: ApifinyError, status = 200): Reply => ({ status, body: envelopeError(e) });

function matchRoute(routes: readonly RestRoute[], path: string): { route: RestRoute; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (m === null) continue;
    const params: Record<string, string> = {};
    route.names.forEach((n, i) => (params[n] = safeDecode(m[i + 1]!)));
    return { route, params };
  }
  return undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // a malformed escape: the raw text names no symbol or venue, so the handler refuses it
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Top-level params without nulls (the SDK sends absent optionals as null). */
function paramsOf(method: string, url: URL, rawBody: string): Record<string, unknown> {
  let raw: Record<string, unknown>;
  if (method === 'GET') raw = Object.fromEntries(url.searchParams);
  else {
    let v: unknown;
    try {
      v = JSON.parse(rawBody);
    } catch {
      throw new ApifinyFailure(apifinyError('BAD_PARAMS', 'the body is not JSON'));
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ApifinyFailure(apifinyError('BAD_PARAMS', 'the body must be a JSON object'));
    raw = v as Record<string, unknown>;
  }
  return Object.fromEntries(Object.entries(raw).filter(([, x]) => x !== null));
}

export function createSimHttpServer(deps: HttpServerDeps): SimHttpServer {
  const { core, faults } = deps;
  const paths = apifinyPaths(core.venue);
  const wss = new WebSocketServer({ noServer: true });
  const swallowed = new Set<ServerResponse>();
  let server: Server | undefined;

  async function execute(req: IncomingMessage, url: URL, route: RestRoute, path: Record<string, string>, rawBody: string): Promise<Reply> {
    try {
      let account;
      let params: Record<string, unknown>;
      if (route.private) {
        const digests = route.method === 'GET' ? queryDigests(url.search.slice(1)) : [sha256Hex(rawBody)];
        const auth = verifyApifinyToken(req.headers.signature as string | undefined, core.accounts, core.clock.now(), digests);
        if (!auth.ok) return errorReply(auth.error);
        if (!deps.limiter.admit(auth.accountId, core.clock.now())) return errorReply(apifinyError('RATE_LIMIT'));
        params = paramsOf(route.method, url, rawBody);
        if (params.accountId === undefined) return errorReply(apifinyError('BAD_PARAMS', 'accountId is required'));
        if (params.accountId !== auth.accountId) return errorReply(apifinyError('PERMISSION_DENIED', 'accountId is not the signed account'));
        const venueOk = params.venue === core.venue || (route.venueAliases ?? []).includes(String(params.venue));
        if (params.venue !== undefined && !venueOk) return errorReply(apifinyError('VENUE_MISMATCH', `venue ${String(params.venue)}`));
        if (route.venueRequired && params.venue === undefined) return errorReply(apifinyError('BAD_PARAMS', 'venue is required'));
        account = core.accounts.get(auth.accountId);
      } else params = paramsOf(route.method, url, rawBody);
      const result = await route.handle({ path, params, account });
      return { status: 200, body: route.envelope ? envelopeOk(result) : result };
    } catch (e) {
      if (e instanceof ApifinyFailure) return errorReply(e.error);
      console.error('apifiny simulator: handler failed', e);
      return errorReply(apifinyError('SERVER_ERROR', e instanceof Error ? e.message : String(e)), 500);
    }
  }

  function send(res: ServerResponse, reply: Reply): void {
    const write = (): void => {
      if (res.destroyed) return;
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    };
    if (faults.delayMs > 0) setTimeout(write, faults.delayMs);
    else write();
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const rawBody = await readBody(req);
    let found;
    if (url.pathname.startsWith('/ac/v2/')) {
      const rest = url.pathname.slice('/ac/v2/'.length);
      const slash = rest.indexOf('/');
      const venue = slash < 0 ? rest : rest.slice(0, slash);
      if (venue !== core.venue) return send(res, errorReply(apifinyError('VENUE_MISMATCH', `venue ${venue} in the url`)));
      found = matchRoute(deps.acRoutes, slash < 0 ? '/' : rest.slice(slash));
    } else found = matchRoute(deps.mdRoutes, url.pathname);
    if (found === undefined) return send(res, errorReply(apifinyError('BAD_PARAMS', `no endpoint ${url.pathname}`), 404));
    const { route, params } = found;
    if (req.method !== route.method) return send(res, errorReply(apifinyError('BAD_PARAMS', `${route.key} takes ${route.method}`), 405));

    const failure = faults.takeFailure(route.key);
    const serverError = (status: number): Reply => errorReply(apifinyError('SERVER_ERROR', 'simulated failure'), status);
    if (failure !== undefined && !failure.act) return send(res, serverError(failure.status));
    const swallow = faults.takeSwallow(route.key);
    const reply = await execute(req, url, route, params, rawBody);
    if (swallow) {
      swallowed.add(res);
      res.on('close', () => swallowed.delete(res));
      return;
    }
    send(res, failure !== undefined ? serverError(failure.status) : reply);
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/$/, '');
    const refuse = (status: number, text: string, e: ApifinyError): void => {
      const body = JSON.stringify(envelopeError(e));
      socket.end(`HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    };
    if (pathname === paths.mdWs) {
      wss.handleUpgrade(req, socket, head, (ws) => deps.md.attach(ws, req));
      return;
    }
    const kind: UserStreamKind | undefined = [paths.orderWs, paths.orderWs.replace('/ac/', '/gx/')].includes(pathname)
      ? 'order'
      : [paths.assetWs, paths.assetWs.replace('/ac/', '/gx/')].includes(pathname)
        ? 'asset'
        : undefined;
    if (kind === undefined) return refuse(404, 'Not Found', apifinyError('BAD_PARAMS', `no stream ${pathname}`));
    const auth = verifyApifinyToken(req.headers.signature as string | undefined, core.accounts, core.clock.now(), undefined);
    if (!auth.ok) return refuse(401, 'Unauthorized', auth.error);
    wss.handleUpgrade(req, socket, head, (ws) => deps.hub.attach(ws, auth.accountId, kind));
  }

  const dropWebSockets = (): void => {
    for (const ws of [...deps.md.clients, ...deps.hub.clients]) ws.terminate();
  };

  return {
    dropWebSockets,
    listen(host, port) {
      const s = createServer((req, res) => {
        onRequest(req, res).catch((e: unknown) => {
          console.error('apifiny simulator: request failed', e);
          send(res, errorReply(apifinyError('SERVER_ERROR', e instanceof Error ? e.message : String(e)), 500));
        });
      });
      s.on('upgrade', onUpgrade);
      server = s;
      return new Promise((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, host, () => {
          const address = s.address();
          resolve(typeof address === 'object' && address !== null ? address.port : port);
        });
      });
    },
    close() {
      const s = server;
      server = undefined;
      dropWebSockets();
      for (const res of swallowed) res.destroy();
      swallowed.clear();
      if (s === undefined) return Promise.resolve();
      s.closeAllConnections();
      return new Promise((resolve) => s.close(() => resolve()));
    },
  };
}
