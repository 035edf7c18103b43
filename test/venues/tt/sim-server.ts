/**
 * TT REST API 2.0 simulator on loopback (adapters/tt/CONTRACT.md). Every request passes, in order: the lowercase-path
 * rule (403), redirects (303: the early routes, and `redirectChain`), service and environment (404), requestId (400),
 * x-api-key (401), the per-key rate limit (429 + Retry-After), then ttid's token endpoint or the bearer token (401),
 * then the resource; a JSON answer over the size limit is 413 unless the request accepts gzip.
 *
 *   const sim = await startTtSimulator({ tokenTtlSeconds: 2 });
 *   sim.baseUrl                      // http://127.0.0.1:<port>
 *   sim.faults.expireTokens();
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createSimData, type SimData, type SimFill } from './data.js';
import { DEMO_APPS, EARLY_ROUTES, ENVIRONMENTS, REQUEST_ID, SERVICES, stringifyWithBigInts, type TtApp, type TtEnvironment } from './protocol.js';
import { route } from './routes.js';
import { createTtid, type Ttid } from './ttid.js';

export interface TtSimulatorOptions {
  readonly host?: string;
  readonly port?: number;
  readonly seed?: number;
  readonly apps?: readonly TtApp[];
  /** Lifetime of a token (seconds_until_expiry); default 3600. */
  readonly tokenTtlSeconds?: number;
  /** Requests per key per window before 429; default 20 per 1,000 ms. */
  readonly rateLimit?: { readonly requests: number; readonly windowMs: number };
  /** Records per page of ttpds / ttmonitor / ttaccount listings; default 500. */
  readonly pageSize?: number;
  /** Fills per ttledger page; default 500. */
  readonly fillsPerPage?: number;
  /** A JSON answer longer than this (bytes) is 413 unless gzip is accepted; default 32 KiB. */
  readonly maxPlainBytes?: number;
}

export interface TtRequestRecord {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly status: number;
  readonly gzip: boolean;
  readonly requestId: string | null;
  /** performance.now() when it arrived. */
  readonly at: number;
}

export interface TtFaults {
  /** Every token issued so far expires now. */
  expireTokens(): void;
  /** Every token issued so far expires once `n` more requests have been answered (a token expiring mid-run). */
  expireTokensAfter(n: number): void;
  /** Tokens issued from now on live this long. */
  setTokenTtl(seconds: number): void;
  /** The next GET to a resource goes through `hops` 303 redirects before it is served. */
  redirectChain(hops: number): void;
  setRateLimit(requests: number, windowMs: number): void;
  /** A fill made elsewhere (by hand, another system), added to the account's ledger and positions. */
  addFill(fill: SimFill): void;
}

export interface TtSimulator {
  readonly host: string;
  readonly port: number;
  /** http://host:port — the adapter's baseUrl (TT's is https://ttrestapi.trade.tt). */
  readonly baseUrl: string;
  readonly apps: readonly TtApp[];
  readonly data: SimData;
  readonly ttid: Ttid;
  readonly faults: TtFaults;
  /** Every request answered, in order. */
  readonly requests: TtRequestRecord[];
  close(): Promise<void>;
}

export const appOf = (environment: TtEnvironment, apps: readonly TtApp[] = DEMO_APPS): TtApp => apps.find((a) => a.environment === environment)!;

export async function startTtSimulator(opts: TtSimulatorOptions = {}): Promise<TtSimulator> {
  const host = opts.host ?? '127.0.0.1';
  const apps = opts.apps ?? DEMO_APPS;
  const data = createSimData(opts.seed ?? 1);
  const ttid = createTtid(apps, opts.tokenTtlSeconds ?? 3600);
  let rate = opts.rateLimit ?? { requests: 20, windowMs: 1000 };
  const hits = new Map<string, number[]>();
  const maxPlain = opts.maxPlainBytes ?? 32 * 1024;
  const extraFills = new Map<number, SimFill[]>();
  const routeCtx = { data, pageSize: opts.pageSize ?? 500, fillsPerPage: opts.fillsPerPage ?? 500, extraFills };
  const requests: TtRequestRecord[] = [];
  let chain = 0;
  let expireAfter = -1;

  /** Retry-After seconds when `key` is over its budget, else undefined (and the request is counted). */
  const limited = (key: string, now: number): number | undefined => {
    let list = hits.get(key);
    if (list === undefined) hits.set(key, (list = []));
    while (list.length > 0 && list[0]! <= now - rate.windowMs) list.shift();
    if (list.length >= rate.requests) return Math.max(1, Math.ceil((list[0]! + rate.windowMs - now) / 1000));
    list.push(now);
    return undefined;
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const at = performance.now();
    const requestId = url.searchParams.get('requestId');
    const send = (status: number, payload: Record<string, unknown> | undefined, headers: Record<string, string> = {}): void => {
      const record = (): void => {
        requests.push({ method: req.method ?? '', path: url.pathname, query: url.search, status, gzip, requestId, at });
        if (expireAfter > 0 && --expireAfter === 0) ttid.expireAll(Date.now());
      };
      if (payload === undefined) return void (record(), res.writeHead(status, headers).end());
      const text = stringifyWithBigInts(requestId === null || 'requestId' in payload ? payload : { ...payload, requestId });
      if (!gzip && Buffer.byteLength(text) > maxPlain) return send(413, { status: 'Failed', message: 'response too large: send Accept-Encoding: gzip' });
      record();
      if (gzip) return void res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync(text));
      res.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(text);
    };
    const fail = (status: number, message: string, headers?: Record<string, string>): void => send(status, { status: 'Failed', message }, headers);

    // the lowercase rule: TT answers 403 to /TTUser/… (seed document)
    if (/[A-Z]/.test(url.pathname)) return fail(403, 'Forbidden');
    // redirects: /hop/<n>/… counts down, /edge/… is served; early routes and a requested chain are sent there
    let path = url.pathname;
    const hop = /^\/hop\/(\d+)(\/.*)$/.exec(path);
    if (hop !== null) {
      const n = Number(hop[1]);
      if (n > 0) return send(303, undefined, { location: `/hop/${n - 1}${hop[2]}${url.search}` });
      path = hop[2]!;
    } else if (path.startsWith('/edge/')) path = path.slice(5);
    else if (req.method === 'GET' && chain > 0) {
      const n = chain;
      chain = 0;
      return send(303, undefined, { location: `/hop/${n - 1}${path}${url.search}` });
    }
    const [, service, environment, ...rest] = path.split('/');
    const resource = rest.join('/');
    if (!(SERVICES as readonly string[]).includes(service ?? '')) return fail(404, `unknown service ${service ?? ''}`);
    if (!(ENVIRONMENTS as readonly string[]).includes(environment ?? '')) return fail(404, `unknown environment ${environment ?? ''}`);
    const env = environment as TtEnvironment;
    if (req.method === 'GET' && hop === null && url.pathname === path && EARLY_ROUTES.includes(`${service}/${resource}`)) {
      return send(303, undefined, { location: `/edge${path}${url.search}` });
    }
    if (requestId === null || !REQUEST_ID.test(requestId)) return fail(400, 'requestId missing or not <app_name>-<company_name>--<guid>');
    const apiKey = req.headers['x-api-key'];
    if (typeof apiKey !== 'string' || apiKey === '') return fail(401, 'missing x-api-key');
    const now = Date.now();
    const wait = limited(apiKey, now);
    if (wait !== undefined) return fail(429, 'rate limit exceeded', { 'retry-after': String(wait) });
    if (service === 'ttid' && resource === 'token') {
      if (req.method !== 'POST') return fail(405, 'POST the token request');
      if (!/^application\/x-www-form-urlencoded\b/.test(req.headers['content-type'] ?? '')) return fail(415, 'the body must be application/x-www-form-urlencoded');
      const form = new URLSearchParams(body);
      const out = ttid.issue(env, apiKey, form.get('grant_type'), form.get('app_key'), now);
      if ('refused' in out) return fail(out.status, out.refused);
      return send(200, { status: 'Ok', access_token: out.token.token, token_type: 'bearer', seconds_until_expiry: ttid.ttlSeconds });
    }
    if (!ttid.knows(env, apiKey)) return fail(401, `x-api-key is not an application key of ${env}`);
    const auth = ttid.check(env, apiKey, req.headers.authorization, now);
    if (!auth.ok) return fail(401, auth.message);
    const reply = route(routeCtx, service!, req.method ?? 'GET', resource, url.searchParams);
    send(reply.status, reply.body);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (e) {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'Failed', message: (e as Error).message }));
      }
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve((server.address() as { port: number }).port));
  });

  return {
    host,
    port,
    baseUrl: `http://${host}:${port}`,
    apps,
    data,
    ttid,
    requests,
    faults: {
      expireTokens: () => ttid.expireAll(Date.now()),
      expireTokensAfter: (n) => void (expireAfter = n),
      setTokenTtl: (seconds) => void (ttid.ttlSeconds = seconds),
      redirectChain: (hops) => void (chain = hops),
      setRateLimit: (requests, windowMs) => void (rate = { requests, windowMs }),
      addFill: (fill) => {
        const list = extraFills.get(fill.accountId) ?? [];
        list.push(fill);
        extraFills.set(fill.accountId, list);
      },
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
