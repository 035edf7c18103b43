/**
 * The transport session (CONTRACT.md, Transport): GETs to `/<service>/<environment>/<resource>` through the engine's
 * http client with the application key, the bearer token and a fresh requestId; 303s followed; a 413 repeated with
 * `Accept-Encoding: gzip` (and that resource asked with gzip from then on); a 429 waited out (Retry-After) under one
 * budget shared by every service; a 401 answered by one new token and one repeat; listings paged to the end.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock/clock.js';
import { excerpt } from '../../engine/log/excerpt.js';
import { describeEndpoint } from '../../engine/net/endpoint.js';
import { createHttpClient, type HttpClient, type HttpOutcome } from '../../engine/net/http-client.js';
import { createSlidingWindowLimiter } from '../../engine/risk/sliding-window.js';
import type { WireResult } from '../../engine/net/wire-fields.js';
import { createTokens, type TokenAnswer, type TtTokens } from './auth.js';
import { TtRequestError } from './errors.js';
import type { TtConfig } from './config.js';
import { EXCERPT_CHARS, MAX_PAGES, MAX_RATE_LIMIT_RETRIES, MAX_REDIRECTS, RESOURCES, type TtService } from './constants.js';
import { messageOf, parseTtJson, readPage, readToken } from './wire.js';

export type Query = Readonly<Record<string, string | undefined>>;

export interface TtSession {
  /** The parsed answer of a GET (integers past 2^53 as digit strings), or a TtRequestError / ConnectionRejectedError. */
  get(service: TtService, resource: string, query?: Query): Promise<unknown>;
  /** Every item of a `nextPageKey` listing, each read by `read`; a bad item fails the listing (`skip`: logged and left out). */
  list<T>(service: TtService, resource: string, query: Query, field: string, read: (v: unknown) => WireResult<T>, bad?: 'fail' | 'skip'): Promise<T[]>;
  readonly tokens: TtTokens;
  /** Requests sent, token requests included (tests: no retry storm). */
  readonly sent: number;
  close(): Promise<void>;
}

export function createTtSession(config: TtConfig, clock: Clock, log: Logger): TtSession {
  const http: HttpClient = createHttpClient({ baseUrl: config.baseUrl, timeoutMs: config.requestTimeoutMs, log, name: 'tt-rest', clock });
  const env = config.environment;
  const { appKey } = config.credentials;
  const requestId = (): string => `${config.appName}-${config.companyName}--${randomUUID()}`;
  const pathOf = (service: TtService, resource: string): string => `/${service}/${env}/${resource}`;

  // the shared budget: a request holds a place from when it is sent until one window after its answer
  const answered = createSlidingWindowLimiter(config.rate, () => clock.now());
  let inFlight = 0;
  let sent = 0;
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => clock.setTimer(clock.now() + ms, resolve));
  const send = async (req: Parameters<HttpClient['request']>[0]): Promise<HttpOutcome> => {
    while (!answered.canTake(inFlight + 1)) {
      await sleep(inFlight + 1 <= config.rate.tokens ? answered.msUntil(inFlight + 1) : config.rate.perMs);
    }
    inFlight++;
    sent++;
    try {
      return await http.request(req);
    } finally {
      inFlight--;
      answered.record();
    }
  };

  const fetchToken = async (): Promise<TokenAnswer> => {
    const path = pathOf('ttid', RESOURCES.token);
    for (let attempt = 0; ; attempt++) {
      const out = await send({
        method: 'POST', path, query: { requestId: requestId() }, maxRedirects: MAX_REDIRECTS,
        headers: { 'x-api-key': appKey, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'user_app', app_key: `${appKey}:${config.credentials.appSecret}` }).toString(),
      });
      if (out.kind === 'unknown' && out.reason === 'rate-limited' && attempt < MAX_RATE_LIMIT_RETRIES) {
        await sleep(out.retryAfterMs ?? config.rate.perMs);
        continue;
      }
      if (out.kind === 'rejected' && (out.status === 401 || out.status === 403)) return { kind: 'refused', status: out.status, message: messageOf(out.body) };
      if (out.kind !== 'ok') return { kind: 'unavailable', reason: out.kind === 'unknown' ? out.reason : `HTTP ${out.status}${messageOf(out.body) ? `: ${messageOf(out.body)}` : ''}` };
      const token = readToken(out.body);
      if (!token.ok) return { kind: 'unavailable', reason: `token answer not readable (${token.reason})` };
      return { kind: 'token', token: token.value.accessToken, secondsUntilExpiry: token.value.secondsUntilExpiry };
    }
  };
  const tokens = createTokens({
    fetchToken, clock, marginMs: config.tokenRefreshMarginMs, log, environment: env, endpoint: describeEndpoint(config.baseUrl + pathOf('ttid', RESOURCES.token)),
  });

  /** Resources that answered 413: asked with gzip from then on. */
  const gzipped = new Set<string>();

  const get = async (service: TtService, resource: string, query: Query = {}): Promise<unknown> => {
    if (/[A-Z]/.test(resource)) throw new TtRequestError(`tt: resource "${resource}" is not lowercase (TT answers 403 to such a path)`, undefined);
    const path = pathOf(service, resource);
    const what = `GET ${path}`;
    let reauthorized = false;
    let rateLimited = 0;
    for (;;) {
      const token = await tokens.current();
      const gzip = gzipped.has(path);
      const headers: Record<string, string> = { 'x-api-key': appKey, authorization: `Bearer ${token}` };
      if (gzip) headers['accept-encoding'] = 'gzip';
      const out = await send({ method: 'GET', path, query: Object.assign({}, query, { requestId: requestId() }), headers, maxRedirects: MAX_REDIRECTS, rawText: true });
      if (out.kind === 'ok') {
        const parsed = typeof out.body === 'string' ? parseTtJson(out.body) : { ok: true as const, value: out.body };
        if (!parsed.ok) {
          log.error({ path, excerpt: excerpt(out.body, EXCERPT_CHARS) }, `tt ${what}: answer not readable (${parsed.reason})`);
          throw new TtRequestError(`tt ${what}: answer not readable (${parsed.reason})`, out.status);
        }
        return parsed.value;
      }
      if (out.kind === 'unknown') {
        if (out.reason === 'rate-limited' && rateLimited < MAX_RATE_LIMIT_RETRIES) {
          rateLimited++;
          const waitMs = out.retryAfterMs ?? config.rate.perMs;
          log.warn({ path, waitMs }, `tt ${what}: rate limited (429), repeated after ${waitMs} ms`);
          await sleep(waitMs);
          continue;
        }
        throw new TtRequestError(`tt ${what}: no usable answer (${out.reason}${out.status === undefined ? '' : `, HTTP ${out.status}`}${out.detail ? `, ${out.detail}` : ''})`, out.status);
      }
      const body = typeof out.body === 'string' ? parseTtJson(out.body) : { ok: true as const, value: out.body };
      const message = body.ok ? messageOf(body.value) : undefined;
      if (out.status === 413 && !gzip) {
        gzipped.add(path);
        log.info({ path }, `tt ${what}: 413 (answer too large), repeated with Accept-Encoding: gzip`);
        continue;
      }
      if (out.status === 401 && !reauthorized) {
        reauthorized = true;
        tokens.invalidate(token);
        log.info({ path, message }, `tt ${what}: 401 (${message ?? 'token refused'}), repeated with a new token`);
        continue;
      }
      const hint = out.status === 403 ? ' (TT answers 403 to a URL that is not all lowercase, and to a key without permission)' : '';
      throw new TtRequestError(`tt ${what}: HTTP ${out.status}${message ? ` ${message}` : ''}${hint}`, out.status);
    }
  };

async function list<T>(service: TtService, resource: string, query: Query, field: string, read: (v: unknown) => WireResult<T>, bad: 'fail' | 'skip' = 'fail'): Promise<T[]> {
    const out: T[] = [];
    let key: string | undefined;
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const body = await get(service, resource, key === undefined ? query : Object.assign({}, query, { nextPageKey: key }));
      const page = readPage(body, field);
      if (!page.ok) throw new TtRequestError(`tt GET ${pathOf(service, resource)}: ${page.reason}`, 200);
      for (const item of page.value.items) {
        const r = read(item);
        if (r.ok) out.push(r.value);
        else if (bad === 'skip') log.error({ resource, excerpt: excerpt(item, EXCERPT_CHARS) }, `tt ${resource}: record not readable (${r.reason}), left out`);
        else throw new TtRequestError(`tt GET ${pathOf(service, resource)}: record not readable (${r.reason}): ${excerpt(item, EXCERPT_CHARS)}`, 200);
      }
      if (page.value.lastPage) return out;
      if (page.value.nextPageKey === key) throw new TtRequestError(`tt GET ${pathOf(service, resource)}: the same nextPageKey twice`, 200);
      key = page.value.nextPageKey;
    }
    throw new TtRequestError(`tt GET ${pathOf(service, resource)}: more than ${MAX_PAGES} pages`, 200);
  }

  return {
    tokens,
    get sent() {
      return sent;
    },
    get,
    list,
    close: () => http.close(),
  };
}
