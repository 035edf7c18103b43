import { channel } from 'node:diagnostics_channel';
import { gunzipSync } from 'node:zlib';
import type { Clock } from '../clock/clock.js';
import type { Logger } from '../log/logger.js';
import { describeEndpoint, pathOnly } from './endpoint.js';
import { Http1Pool, HttpProtocolError, type Http1Handler } from './http1.js';
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
  /**
   * Follow up to this many redirects (301, 302, 303, 307, 308 with a Location) on the same origin (default 0: a 3xx is
   * an unknown outcome, as before). 303 — and 301/302 after a POST — continue as a GET without a body; the headers are
   * sent again. A redirect to another origin is not followed (unknown, detail CROSS_ORIGIN_REDIRECT). Each hop has the
   * full timeout.
   */
  readonly maxRedirects?: number;
  /** The body as text, not parsed (a caller that parses it itself, e.g. to keep integers past 2^53 exact). */
  readonly rawText?: boolean;
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
/** Published with `{ name, method }` right after a request's bytes were handed to the socket. Free when nobody subscribes. */
export const HTTP_SENT_CHANNEL = 'engine:http:sent';
const sentChannel = channel(HTTP_SENT_CHANNEL);

const EXCERPT_CHARS = 200;

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const endpoint = describeEndpoint(base);
  const log = opts.log.child({ http: opts.name });
  // our own keep-alive HTTP/1.1 pool (http1.ts: the request is on the socket when dispatch returns) with one handler
  // per request (Exchange): no WHATWG Request/Response, no body stream, no AbortSignal per request, and a bounded
  // number of connections instead of one per request in flight
  const baseUrl = new URL(base);
  const prefix = baseUrl.pathname.replace(/\/+$/, '');
  const name = opts.name;
  const pool = new Http1Pool(baseUrl, {
    connections: opts.maxConnections ?? 8,
    onSent: (method) => {
      if (sentChannel.hasSubscribers) sentChannel.publish({ name, method });
    },
  });
  const describe: ClientContext = { log, name: opts.name, endpoint, clock: opts.clock, origin: baseUrl.origin };

  return {
    request(req) {
      const timeoutMs = req.timeoutMs ?? opts.timeoutMs;
      let target: string;
      let headers: string[];
      let body: string | undefined;
      try {
        const query = queryString(req.query);
        const joined = prefix + (req.path.startsWith('/') ? req.path : `/${req.path}`);
        target = query === '' ? joined : joined + (joined.includes('?') ? '&' : '?') + query;
        // headers as a flat name/value list: no object per request; the caller's accept/content-type win
        headers = [];
        let accept = false;
        let typed = false;
        if (req.headers !== undefined) {
          for (const name in req.headers) {
            headers.push(name, req.headers[name]!);
            const lower = name.toLowerCase();
            if (lower === 'accept') accept = true;
            else if (lower === 'content-type') typed = true;
          }
        }
        if (!accept) headers.push('accept', 'application/json');
        if (req.body !== undefined) {
          body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
          if (!typed) headers.push('content-type', 'application/json');
        }
      } catch (error) {
        return Promise.reject(error); // a body that cannot be encoded: the caller's bug, reported as before (a rejection)
      }
      return new Promise<HttpOutcome>((resolve) => {
        const send = (method: string, path: string, hdrs: string[], payload: string | undefined, hopsLeft: number): void => {
          const follow = hopsLeft <= 0 ? undefined : (url: URL, status: number): void => {
            // 303, and 301/302 after a POST, continue as a GET without a body (RFC 9110 §15.4)
            const get = status === 303 || ((status === 301 || status === 302) && method === 'POST');
            const nextHeaders = get ? withoutContentType(hdrs) : hdrs;
            send(get ? 'GET' : method, url.pathname + url.search, nextHeaders, get ? undefined : payload, hopsLeft - 1);
          };
          const exchange = new Exchange(req, timeoutMs, resolve, describe, path, follow);
          if (handoff.hasSubscribers) handoff.publish({ name: opts.name, method });
          try {
            pool.dispatch({ method, path, headers: hdrs, body: payload }, exchange);
          } catch (error) {
            exchange.onError(error as Error);
          }
        };
        send(req.method, target, headers, body, req.maxRedirects ?? 0);
      });
    },
    close: () => pool.close(),
  };
}

interface ClientContext {
  readonly log: Logger;
  readonly name: string;
  readonly endpoint: string;
  readonly clock: Pick<Clock, 'now'> | undefined;
  /** Redirects are followed on this origin only. */
  readonly origin: string;
}

/** The header list without its content-type (a redirect that continues as a GET drops the body). */
function withoutContentType(headers: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < headers.length; i += 2) if (headers[i]!.toLowerCase() !== 'content-type') out.push(headers[i]!, headers[i + 1]!);
  return out;
}

const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Ends an exchange that timed out; the pool then reports the abort through onError, which a settled exchange ignores. */
const timeOut = (x: Exchange): void => x.timeout();

/**
 * One request in flight: the pool's handler, the one timer of the whole exchange (waiting for a connection
 * included) and its outcome, settled exactly once. A request that times out before it got a connection is aborted when
 * it gets one, before a byte is written; one that times out later is aborted and its connection closed, and a late
 * answer is dropped.
 */
class Exchange implements Http1Handler {
  private abortRequest: ((error?: Error) => void) | undefined = undefined;
  private readonly timer: NodeJS.Timeout;
  private settled = false;
  private status = 0;
  private rawHeaders: readonly string[] | undefined = undefined;
  private readonly chunks: Buffer[] = [];

  constructor(
    private readonly req: HttpRequest,
    private readonly timeoutMs: number,
    private readonly resolve: (outcome: HttpOutcome) => void,
    private readonly ctx: ClientContext,
    /** The path and query this hop was sent to (redirects resolve against it). */
    private readonly target: string = req.path,
    /** Set while redirects may still be followed: called instead of settling for a same-origin redirect. */
    private readonly follow?: (url: URL, status: number) => void,
  ) {
    this.timer = setTimeout(timeOut, timeoutMs, this);
  }

  onConnect(abort: (error?: Error) => void): void {
    if (this.settled) abort(new Error('timed out before it was sent'));
    else this.abortRequest = abort;
  }

  onHeaders(status: number, rawHeaders: string[]): boolean {
    if (status < 200) return true; // an informational answer (100, 103): the real one follows
    this.status = status;
    this.rawHeaders = rawHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.settled) return;
    if (this.follow !== undefined && REDIRECTS.has(this.status) && this.redirect()) return;
    const c = this.chunks;
    let text: string;
    if (c.length > 0 && /\bgzip\b/i.test(this.header('content-encoding') ?? '')) {
      try {
        text = gunzipSync(c.length === 1 ? c[0]! : Buffer.concat(c)).toString('utf8');
      } catch {
        this.settle(this.unknown('bad-response', { status: this.status, detail: 'BAD_GZIP' }, 'gzip body not readable'));
        return;
      }
    } else text = c.length === 0 ? '' : c.length === 1 ? c[0]!.toString('utf8') : Buffer.concat(c).toString('utf8');
    this.settle(this.answer(text));
  }

  /** Follows a redirect with a Location (true), or refuses one to another origin (true, settled); false: no Location. */
  private redirect(): boolean {
    const location = this.header('location');
    if (location === null) return false;
    let url: URL;
    try {
      url = new URL(location, this.ctx.origin + this.target);
    } catch {
      return false;
    }
    if (url.origin !== this.ctx.origin) {
      this.settle(this.unknown('bad-response', { status: this.status, detail: 'CROSS_ORIGIN_REDIRECT' }, 'redirect to another origin not followed'));
      return true;
    }
    this.settled = true;
    clearTimeout(this.timer);
    this.follow!(url, this.status);
    return true;
  }

  onError(error: Error): void {
    if (this.settled) return;
    if (error instanceof HttpProtocolError) this.settle(this.unknown('bad-response', { status: this.status || undefined, detail: error.code }, error.message));
    else if (this.rawHeaders === undefined) this.settle(this.unknown(transportReason(error), { detail: errorCode(error) }, 'no response'));
    else {
      const reason = transportReason(error) === 'timeout' ? 'timeout' : 'bad-response';
      this.settle(this.unknown(reason, { status: this.status, detail: errorCode(error) }, 'response body not read'));
    }
  }

  timeout(): void {
    if (this.settled) return;
    this.settle(
      this.rawHeaders === undefined
        ? this.unknown('timeout', {}, 'no response')
        : this.unknown('timeout', { status: this.status }, 'response body not read'),
    );
    this.abortRequest?.(new Error('timed out'));
  }

  private settle(outcome: HttpOutcome): void {
    this.settled = true;
    clearTimeout(this.timer);
    this.resolve(outcome);
  }

  private answer(text: string): HttpOutcome {
    const status = this.status;
    const parsed = this.req.rawText === true ? (text === '' ? undefined : text) : parseBody(text);
    if (status >= 200 && status < 300) return { kind: 'ok', status, body: parsed };
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(this.header('retry-after'), this.header('date'), this.ctx.clock);
      return this.unknown('rate-limited', { status, body: parsed, retryAfterMs }, 'rate limited', text);
    }
    if (status === 408) return this.unknown('timeout', { status, body: parsed }, 'request timeout', text);
    if (status >= 500) return this.unknown('server-error', { status, body: parsed }, 'server error', text);
    if (status >= 400) {
      const { log, name } = this.ctx;
      log.info(this.context(status, text), `${name} ${this.req.method} ${pathOnly(this.req.path)}: rejected with HTTP ${status}`);
      return { kind: 'rejected', status, body: parsed };
    }
    return this.unknown('bad-response', { status, body: parsed }, 'unexpected status', text);
  }

  private header(name: string): string | null {
    const raw = this.rawHeaders ?? [];
    const values: string[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) values.push(raw[i + 1]!);
    return values.length === 0 ? null : values.join(', ');
  }

  private context(status: number | undefined, text: string | undefined): Record<string, unknown> {
    const c: Record<string, unknown> = { endpoint: this.ctx.endpoint, method: this.req.method, path: pathOnly(this.req.path), status };
    if (this.req.logResponseBody && text !== undefined) c.body = text.slice(0, EXCERPT_CHARS);
    return c;
  }

  private unknown(reason: UnknownReason, extra: UnknownExtra, what: string, text?: string): HttpOutcome {
    const { detail, retryAfterMs, status, body } = extra;
    const { log, name } = this.ctx;
    const after = reason === 'timeout' && status === undefined ? ` after ${this.timeoutMs} ms` : '';
    log.warn(
      Object.assign(this.context(status, text), { reason, detail, retryAfterMs }),
      `${name} ${this.req.method} ${pathOnly(this.req.path)}: outcome unknown (${reason}${after}): ${what}`,
    );
    const out: Record<string, unknown> = { kind: 'unknown', reason };
    if (status !== undefined) out.status = status;
    if (body !== undefined) out.body = body;
    if (detail !== undefined) out.detail = detail;
    if (retryAfterMs !== undefined) out.retryAfterMs = retryAfterMs;
    return out as HttpOutcome;
  }
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
