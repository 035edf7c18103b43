import { channel } from 'node:diagnostics_channel';
import { Pool } from 'undici';
import type { Clock } from '../clock/clock.js';
import type { Logger } from '../log/logger.js';
import { describeEndpoint, pathOnly } from './endpoint.js';
import { parseRetryAfter } from './retry-after.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type UnknownReason = 'timeout' | 'network' | 'server-error' | 'rate-limited' | 'bad-response';

/**
 * The outcome of one request. `unknown` means the venue may or may not have acted on it: leave the order in flight
 * and reconcile, never resend under a new id (DESIGN.md, reliability rules).
 */
export type HttpOutcome =
  /** 2xx; body is parsed JSON, the raw text when it is not JSON, undefined when empty. */
  | { readonly kind: 'ok'; readonly status: number; readonly body: unknown }
  /** 4xx other than 408/429: a definitive refusal. */
  | { readonly kind: 'rejected'; readonly status: number; readonly body: unknown }
  | {
      readonly kind: 'unknown';
      readonly reason: UnknownReason;
      readonly status?: number;
      readonly retryAfterMs?: number;
      readonly body?: unknown;
      /** A safe low-level cause: an error code such as ECONNREFUSED, never a message that could echo a url. */
      readonly detail?: string;
    };

export interface HttpRequest {
  readonly method: HttpMethod;
  /** Appended to baseUrl as is; keep the query string in `query` so it stays out of logs. */
  readonly path: string;
  /** Object form is encoded with URLSearchParams (undefined values dropped); string form is sent verbatim (signed queries). */
  readonly query?: string | Readonly<Record<string, string | number | boolean | undefined>>;
  /** A string is sent verbatim (signed bodies); anything else as JSON. `content-type: application/json` unless given. */
  readonly body?: unknown;
  /** Never logged. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Overrides the client's timeout for this request. */
  readonly timeoutMs?: number;
  /** Opt in to an excerpt of the response body in log lines (responses only; request bodies are never logged). */
  readonly logResponseBody?: boolean;
}

export interface HttpClientOptions {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly log: Logger;
  readonly name: string;
  /** Only for a Retry-After given as an HTTP date when the response has no Date header. */
  readonly clock?: Pick<Clock, 'now'>;
  /** Keep-alive connections to the venue (default 8); more requests than that wait for one, in order. */
  readonly maxConnections?: number;
}

export interface HttpClient {
  /** Never throws for transport problems: every failure is an outcome. */
  request(req: HttpRequest): Promise<HttpOutcome>;
  /** Closes the connections (requests in flight finish first). */
  close(): Promise<void>;
}

/**
 * Published with `{ name, method }` when a request, signed and encoded, is handed to the connection pool: the end of
 * the engine's own tick → order work (bench/latency.ts measures up to here). Free when nobody subscribes.
 */
export const HTTP_HANDOFF_CHANNEL = 'engine:http:handoff';
const handoff = channel(HTTP_HANDOFF_CHANNEL);

const EXCERPT_CHARS = 200;
const EXPIRED: unique symbol = Symbol('expired');

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const endpoint = describeEndpoint(base);
  const log = opts.log.child({ http: opts.name });
  // undici's own request API over a keep-alive pool: about a third of fetch's cost per request here (no WHATWG
  // Request/Response/streams), and a bounded number of connections instead of one per request in flight
  const baseUrl = new URL(base);
  const prefix = baseUrl.pathname.replace(/\/+$/, '');
  const pool = new Pool(baseUrl.origin, { connections: opts.maxConnections ?? 8 });

  return {
    async request(req) {
      const timeoutMs = req.timeoutMs ?? opts.timeoutMs;
      const path = pathOnly(req.path);
      const query = queryString(req.query);
      const joined = prefix + (req.path.startsWith('/') ? req.path : `/${req.path}`);
      const target = query === '' ? joined : joined + (joined.includes('?') ? '&' : '?') + query;
      const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
      let body: string | undefined;
      if (req.body !== undefined) {
        body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
        if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
      }
      let text: string | undefined;
      const context = (status: number | undefined) => ({
        endpoint,
        method: req.method,
        path,
        status,
        ...(req.logResponseBody && text !== undefined ? { body: text.slice(0, EXCERPT_CHARS) } : {}),
      });
      const unknown = (reason: UnknownReason, extra: UnknownExtra, what: string): HttpOutcome => {
        const { detail, retryAfterMs, ...rest } = extra;
        const after = reason === 'timeout' && extra.status === undefined ? ` after ${timeoutMs} ms` : '';
        log.warn(
          Object.assign({}, context(extra.status), { reason, detail, retryAfterMs }),
          `${opts.name} ${req.method} ${path}: outcome unknown (${reason}${after}): ${what}`,
        );
        return {
          kind: 'unknown',
          reason,
          ...rest,
          ...(detail === undefined ? {} : { detail }),
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        };
      };

      // One timer for the whole exchange, waiting for a connection included (AbortSignal.timeout costs ~10 µs a call).
      // undici settles an aborted request only when it gets a connection (or its connect attempt fails), so the outcome
      // does not wait for that: the timer answers 'timeout' itself, and a late answer is dropped (its body destroyed).
      const abort = new AbortController();
      let timedOut = false;
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<typeof EXPIRED>((resolve) => {
        timer = setTimeout(() => {
          timedOut = true;
          abort.abort();
          resolve(EXPIRED);
        }, timeoutMs);
      });
      const reasonOf = (error: unknown): 'timeout' | 'network' => (timedOut || transportReason(error) === 'timeout' ? 'timeout' : 'network');
      let status: number;
      let responseHeaders: Record<string, string | string[] | undefined>;
      try {
        if (handoff.hasSubscribers) handoff.publish({ name: opts.name, method: req.method });
        const pending = pool.request({ method: req.method, path: target, headers, body, signal: abort.signal });
        const response = await Promise.race([pending, expired]);
        if (response === EXPIRED) {
          pending.then((late) => late.body.destroy(), () => undefined);
          return unknown('timeout', {}, 'no response');
        }
        status = response.statusCode;
        responseHeaders = response.headers;
        try {
          const read = await Promise.race([response.body.text(), expired]);
          if (read === EXPIRED) {
            response.body.destroy();
            return unknown('timeout', { status }, 'response body not read');
          }
          text = read;
        } catch (error) {
          return unknown(reasonOf(error) === 'timeout' ? 'timeout' : 'bad-response', { status, detail: errorCode(error) }, 'response body not read');
        }
      } catch (error) {
        return unknown(reasonOf(error), { detail: errorCode(error) }, 'no response');
      } finally {
        clearTimeout(timer);
      }
      const parsed = parseBody(text);
      const header = (name: string): string | null => {
        const v = responseHeaders[name];
        return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
      };

      if (status >= 200 && status < 300) return { kind: 'ok', status, body: parsed };
      if (status === 429) {
        const retryAfterMs = parseRetryAfter(header('retry-after'), header('date'), opts.clock);
        return unknown('rate-limited', { status, body: parsed, retryAfterMs }, 'rate limited');
      }
      if (status === 408) return unknown('timeout', { status, body: parsed }, 'request timeout');
      if (status >= 500) return unknown('server-error', { status, body: parsed }, 'server error');
      if (status >= 400) {
        log.info(context(status), `${opts.name} ${req.method} ${path}: rejected with HTTP ${status}`);
        return { kind: 'rejected', status, body: parsed };
      }
      return unknown('bad-response', { status, body: parsed }, 'unexpected status');
    },
    close: () => pool.close(),
  };
}

interface UnknownExtra {
  readonly status?: number;
  readonly body?: unknown;
  readonly retryAfterMs?: number | undefined;
  readonly detail?: string | undefined;
}

/** A readable one-line account of an outcome for error messages: method and path, never query, headers or bodies. */
export function describeHttpOutcome(req: Pick<HttpRequest, 'method' | 'path'>, outcome: HttpOutcome): string {
  const head = `${req.method} ${pathOnly(req.path)}`;
  switch (outcome.kind) {
    case 'ok':
      return `${head}: HTTP ${outcome.status}`;
    case 'rejected':
      return `${head}: rejected with HTTP ${outcome.status}`;
    case 'unknown':
      return `${head}: outcome unknown (${outcome.reason}${outcome.status === undefined ? '' : `, HTTP ${outcome.status}`})`;
  }
}

function queryString(query: HttpRequest['query']): string {
  if (query === undefined) return '';
  if (typeof query === 'string') return query.replace(/^\?/, '');
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.append(k, String(v));
  return params.toString();
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function transportReason(error: unknown): 'timeout' | 'network' {
  const name = error instanceof Error ? error.name : '';
  return /^(Timeout|Abort|HeadersTimeout|BodyTimeout|ConnectTimeout)Error$/.test(name) ? 'timeout' : 'network';
}

/** The error code of a transport failure (possibly wrapped in `cause`), e.g. ECONNREFUSED; undefined when there is none. */
function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]+$/.test(code)) return code;
  }
  return undefined;
}
