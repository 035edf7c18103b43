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
import { createHttpClient, type HttpClient, type HttpOutcome, type HttpRequest } from '../../engine/net/http-client.js';
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
  /**
   * The account's REST budget. The venue admits N requests per sliding window, counting each when it arrives: after we
   * send it and before its answer is back. So a request holds a place from the moment it is sent (in flight) until one
   * window after its answer (in `answered`, an exact sliding window on the engine clock), and the venue never sees more
   * than N in its window whatever the transit times. (Counted at send time alone, requests that queued behind each other
   * in the connection pool reached the venue later than they were sent, and it saw more than N at every window edge.)
   */
  const answered: SlidingWindowLimiter = createSlidingWindowLimiter(config.rate, () => clock.now());
  const { tokens: limit, perMs: windowMs } = config.rate;
  let inFlight = 0;
  let sent = 0;
  /**
   * Places reconciliation and reference calls leave free for orders (a fifth of the budget): a burst of queries after a
   * reconnect never takes the whole window, so an order sent meanwhile is not refused as rate limited.
   */
  const reserve = limit >= 5 ? Math.floor(limit / 5) : 0;
  const hasRoom = (): boolean => answered.canTake(inFlight + 1 + reserve);

  /**
   * Reconciliation and reference calls wait for room, then hold a place (order entry, in post, never waits: it holds a
   * place all the same). Room appears only when answered requests leave the window — an answer itself frees nothing —
   * so the wait is exact unless N or more are in flight; then no room can appear before one window from now, and the
   * loop looks again then. The place is held with no await between the check and the count, so concurrent callers
   * cannot all see the same room.
   */
  const waitForPlace = async (): Promise<void> => {
    while (!hasRoom()) {
      const ms = inFlight + 1 + reserve <= limit ? answered.msUntil(inFlight + 1 + reserve) : windowMs;
      await new Promise<void>((resolve) => clock.setTimer(clock.now() + ms, resolve));
    }
    inFlight++;
  };
  /** Sends a request that holds a place: in flight until its outcome, then in the window. */
  const send = (req: HttpRequest): Promise<HttpOutcome> => {
    sent++;
    const settle = (): void => {
      inFlight--;
      answered.record();
    };
    return http.request(req).then(
      (o) => (settle(), o),
      (e: unknown) => {
        settle();
        throw e;
      },
    );
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
      if (opts.wait ?? true) await waitForPlace();
      else inFlight++;
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries(params)) if (v !== undefined) query.append(k, String(v));
      const qs = query.toString();
      const headers = opts.signed === false ? undefined : { signature: signer.rest(qs) };
      return decode(await send({ method: 'GET', path, query: qs, ...(headers ? { headers } : {}) }), path);
    },
    /**
     * Order entry: never waits for room (it counts in the budget all the same) and hands the request to the HTTP stack
     * at once — no `await` before it, so the order does not queue behind other promise work of a busy process.
     */
    close: () => http.close(),
    post(path, body) {
      inFlight++;
      const text = JSON.stringify(body);
      return send({ method: 'POST', path, body: text, headers: { signature: signer.rest(text) } }).then((o) => decode(o, path));
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
