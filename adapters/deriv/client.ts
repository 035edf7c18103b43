/**
 * The transport session: one reconnecting websocket to `<url>?app_id=N`, requests correlated by `req_id` (answers are
 * ok / venue error / unknown outcome), stream frames (those with a `subscription`) handed to the roles, and a `ping`
 * keep-alive. `onOpen` authorizes before anything else is sent.
 */
import { Subject } from 'rxjs';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../../engine/clock/clock.js';
import { excerpt } from '../../engine/log/excerpt.js';
import { createBackoff } from '../../engine/net/backoff.js';
import { createCorrelator } from '../../engine/net/correlation.js';
import { DisconnectedError } from '../../engine/net/errors.js';
import { messageOf } from '../../engine/net/endpoint.js';
import { createReconnectingSocket } from '../../engine/net/reconnecting-socket.js';
import type { ReconnectingSocket, SocketOpenContext } from '../../engine/net/reconnecting-socket-api.js';
import type { DerivConfig } from './config.js';
import { EXCERPT_CHARS } from './constants.js';
import { parseFrame, type DerivErrorWire, type DerivFrame } from './wire.js';

export type DerivAnswer =
  | { readonly kind: 'ok'; readonly frame: DerivFrame }
  /** The venue's `{error:{code,message}}`: definitive. */
  | { readonly kind: 'venue-error'; readonly error: DerivErrorWire }
  /** Timeout, disconnect, send failure: the venue may or may not have acted. */
  | { readonly kind: 'unknown'; readonly reason: string };

export type DerivRequester = (body: Record<string, unknown>) => Promise<DerivAnswer>;

export interface DerivSession {
  readonly socket: ReconnectingSocket;
  /** Stream frames (ticks, proposals, balance, transactions) and answers nobody waits for. */
  readonly frames$: Subject<DerivFrame>;
  /** A request on the connected socket. */
  request: DerivRequester;
  /** A request on the socket being opened (inside onOpen). */
  requestOn(ctx: SocketOpenContext): DerivRequester;
  /** Requests sent so far (diagnostics, tests). */
  readonly sent: number;
}

export function createDerivSession(opts: {
  config: DerivConfig;
  clock: Clock;
  log: Logger;
  random: () => number;
  onOpen: (ctx: SocketOpenContext, session: DerivSession) => Promise<void>;
}): DerivSession {
  const { config, clock, log } = opts;
  const correlator = createCorrelator<DerivFrame>({ clock, timeoutMs: config.requestTimeoutMs, name: 'deriv' });
  const frames$ = new Subject<DerivFrame>();
  let nextId = 1;
  let sent = 0;
  let pinger: TimerHandle | undefined;

  const send = (write: (text: string) => boolean, body: Record<string, unknown>): Promise<DerivAnswer> => {
    const id = nextId++;
    const answer = correlator.register(id);
    sent++;
    if (!write(JSON.stringify(Object.assign({}, body, { req_id: id })))) correlator.reject(id, new DisconnectedError(`deriv: request ${id} not sent: not connected`));
    return answer.then(
      (frame): DerivAnswer => (frame.error ? { kind: 'venue-error', error: frame.error } : { kind: 'ok', frame }),
      (e: unknown): DerivAnswer => ({ kind: 'unknown', reason: messageOf(e) }),
    );
  };

  const socket = createReconnectingSocket({
    name: 'deriv',
    urlProvider: () => `${config.url}?app_id=${config.credentials.appId}&l=EN`,
    clock,
    log,
    backoff: createBackoff({ initialMs: 250, maxMs: 15_000, random: opts.random }),
    heartbeat: { idleTimeoutMs: config.idleTimeoutMs },
    connectTimeoutMs: Math.max(config.requestTimeoutMs * 3, 3_000),
    onOpen: (ctx) => opts.onOpen(ctx, session),
  });

  socket.messages$.subscribe((text) => {
    const f = parseFrame(text);
    if (!f.ok) return void log.error({ venue: 'deriv', excerpt: excerpt(text, EXCERPT_CHARS) }, `deriv: malformed frame (${f.reason}), ignored`);
    const frame = f.value;
    const answered = frame.req_id !== undefined && correlator.resolve(frame.req_id, frame);
    if (!answered || frame.subscription) frames$.next(frame);
  });

  const ping = (): void => {
    if (socket.state === 'connected') socket.send(JSON.stringify({ ping: 1 }));
    pinger = clock.setTimer(clock.now() + config.idleTimeoutMs / 3, ping);
  };
  socket.state$.subscribe((s) => {
    if (s === 'connected' && !pinger) pinger = clock.setTimer(clock.now() + config.idleTimeoutMs / 3, ping);
    if (s === 'reconnecting' || s === 'closed') correlator.rejectAll(`connection ${s}`);
    if (s === 'closed') (pinger?.cancel(), (pinger = undefined));
  });

  const session: DerivSession = {
    socket,
    frames$,
    request: (body) => send((t) => socket.send(t), body),
    requestOn: (ctx) => (body) => send((t) => ctx.send(t), body),
    get sent() {
      return sent;
    },
  };
  return session;
}
