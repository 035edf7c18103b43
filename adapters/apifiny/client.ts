/**
 * The transport session: signed REST calls through the engine's http client (standard envelope decoded into
 * ok / venue error / unknown outcome) under the account's shared request budget, and the two websockets (market data,
 * user order stream) as reconnecting sockets that answer `{"ping":n}` with `{"pong":n}`.
 */
import { Subject } from 'rxjs';
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock/clock.js';
import { excerpt } from '../../engine/log/excerpt.js';
import { createBackoff } from '../../engine/net/backoff.js';
import { createHttpClient, type HttpClient, type HttpOutcome } from '../../engine/net/http-client.js';
import { createReconnectingSocket } from '../../engine/net/reconnecting-socket.js';
import type { ReconnectingSocket, SocketOpenContext } from '../../engine/net/reconnecting-socket-api.js';
import { createSlidingWindowLimiter, type SlidingWindowLimiter } from '../../engine/risk/sliding-window.js';
import type { ApifinySigner } from './auth.js';
import type { ApifinyConfig } from './config.js';
import { EXCERPT_CHARS, UNKNOWN_OUTCOME_CODES } from './constants.js';
import { parseEnvelope, parseJson, type ApifinyErrorWire } from './wire.js';

export type RestAnswer =
  | { readonly kind: 'ok'; readonly result: unknown }
  /** The venue answered with an application error (a definitive refusal unless `unknownOutcome`). */
  | { readonly kind: 'venue-error'; readonly error: ApifinyErrorWire; readonly unknownOutcome: boolean }
  /** Timeout, network, 5xx, rate limited, unreadable answer: the venue may or may not have acted. */
  | { readonly kind: 'unknown'; readonly reason: string };

export interface RestSession {
  get(path: string, params: Readonly<Record<string, string | number | undefined>>, opts?: { signed?: boolean; wait?: boolean }): Promise<RestAnswer>;
  post(path: string, body: unknown): Promise<RestAnswer>;
  /** Requests actually sent (for tests of "no retry storm"). */
  readonly sent: number;
  /** Closes the keep-alive connections (terminal: the adapter is closing). */
  close(): Promise<void>;
}

export function createRestSession(config: ApifinyConfig, signer: ApifinySigner, clock: Clock, log: Logger): RestSession {
  const http: HttpClient = createHttpClient({
    baseUrl: config.restBaseUrl, timeoutMs: config.requestTimeoutMs, maxConnections: config.restConnections, log, name: 'apifiny-rest', clock,
  });
  const budget: SlidingWindowLimiter = createSlidingWindowLimiter(config.rate, () => clock.now());
  let sent = 0;

  /** Reconciliation and reference calls wait for room (order entry, in post, takes room if any and never waits). */
  const room = async (wait: boolean): Promise<void> => {
    if (!wait) return void budget.tryTake();
    while (!budget.tryTake()) {
      const ms = budget.msUntil();
      await new Promise<void>((resolve) => clock.setTimer(clock.now() + ms, resolve));
    }
  };

  const decode = (outcome: HttpOutcome, what: string): RestAnswer => {
    if (outcome.kind === 'unknown') return { kind: 'unknown', reason: outcome.reason };
    const env = parseEnvelope(outcome.body);
    if (!env.ok) {
      if (outcome.kind === 'rejected') return { kind: 'venue-error', error: { code: outcome.status, message: `HTTP ${outcome.status}` }, unknownOutcome: false };
      log.error({ what, excerpt: excerpt(outcome.body, EXCERPT_CHARS) }, `apifiny ${what}: unreadable answer (${env.reason})`);
      return { kind: 'unknown', reason: 'bad-response' };
    }
    if (env.value.kind === 'error') {
      const error = env.value.error;
      return { kind: 'venue-error', error, unknownOutcome: UNKNOWN_OUTCOME_CODES.has(error.code) };
    }
    return { kind: 'ok', result: env.value.result };
  };

  return {
    get sent() {
      return sent;
    },
    async get(path, params, opts = {}) {
      await room(opts.wait ?? true);
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries(params)) if (v !== undefined) query.append(k, String(v));
      const qs = query.toString();
      const headers = opts.signed === false ? undefined : { signature: signer.rest(qs) };
      sent++;
      return decode(await http.request({ method: 'GET', path, query: qs, ...(headers ? { headers } : {}) }), path);
    },
    /**
     * Order entry: takes room if there is some (never waits) and hands the request to the HTTP stack at once — no
     * `await` before it, so the order does not queue behind other promise work of a busy process.
     */
    close: () => http.close(),
    post(path, body) {
      budget.tryTake();
      const text = JSON.stringify(body);
      sent++;
      return http.request({ method: 'POST', path, body: text, headers: { signature: signer.rest(text) } }).then((o) => decode(o, path));
    },
  };
}

export interface StreamOptions {
  readonly name: string;
  readonly url: string;
  /** Builds the upgrade headers afresh on every attempt (a new JWT). */
  readonly headers?: () => Record<string, string>;
  /** Resubscribe on every (re)open. */
  readonly onOpen?: (ctx: SocketOpenContext) => void;
}

export interface ApifinyStream {
  readonly socket: ReconnectingSocket;
  /** Parsed JSON frames other than pings (which are answered here). */
  readonly frames$: Subject<unknown>;
}

export function createStream(opts: StreamOptions, config: ApifinyConfig, clock: Clock, log: Logger, random: () => number): ApifinyStream {
  const socket = createReconnectingSocket({
    name: opts.name,
    url: opts.url,
    ...(opts.headers ? { headers: opts.headers } : {}),
    clock,
    log,
    backoff: createBackoff({ initialMs: 250, maxMs: 15_000, random }),
    heartbeat: { idleTimeoutMs: config.idleTimeoutMs },
    ...(opts.onOpen ? { onOpen: opts.onOpen } : {}),
  });
  const frames$ = new Subject<unknown>();
  socket.messages$.subscribe((text) => {
    const parsed = parseJson(text);
    if (!parsed.ok) {
      log.error({ stream: opts.name, excerpt: excerpt(text, EXCERPT_CHARS) }, `${opts.name}: malformed frame (${parsed.reason}), ignored`);
      return;
    }
    const v = parsed.value;
    if (typeof v === 'object' && v !== null && 'ping' in v && Object.keys(v).length === 1) {
      socket.send(JSON.stringify({ pong: (v as { ping: unknown }).ping }));
      return;
    }
    frames$.next(v);
  });
  return { socket, frames$ };
}
