import { BehaviorSubject, Subject, distinctUntilChanged } from 'rxjs';
import WebSocket, { type RawData } from 'ws';
import type { TimerHandle } from '../clock/clock.js';
import type { ConnectionState } from '../execution/venue-adapter.js';
import { describeEndpoint, messageOf, scrubMessage } from './endpoint.js';
import { ConnectionRejectedError, SocketClosedError } from './errors.js';
import type { ReconnectingSocket, ReconnectingSocketOptions, SocketOpenContext } from './reconnecting-socket-api.js';

type AttemptEnd =
  | { readonly kind: 'transient'; readonly why: string }
  | { readonly kind: 'definitive'; readonly error: ConnectionRejectedError }
  | { readonly kind: 'stopped' };

interface Attempt {
  ws?: WebSocket;
  url?: string;
  done: boolean;
  lastFrameAt: number;
  /** Connect timeout, heartbeat watchdog, "connection proved stable" (backoff reset). */
  timers: { deadline?: TimerHandle; watchdog?: TimerHandle; stable?: TimerHandle };
}

interface Cycle {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
  settled: boolean;
}

const noop = (): void => {};

/**
 * A websocket that stays connected: reconnects with backoff after an unexpected close, error or heartbeat silence,
 * calls `onOpen` on every (re)open so the adapter can re-authenticate and resubscribe, and stops for good on a
 * definitive refusal (HTTP 401/403 on upgrade, or `fail`) so bad credentials never cause a retry storm.
 * Logs name the endpoint as scheme://host/path; urls with query strings and headers are never logged.
 */
export function createReconnectingSocket(opts: ReconnectingSocketOptions): ReconnectingSocket {
  if ((opts.url === undefined) === (opts.urlProvider === undefined)) {
    throw new Error(`socket ${opts.name}: give exactly one of url and urlProvider`);
  }
  const { clock, backoff, name } = opts;
  const log = opts.log.child({ socket: name });
  const connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
  const closeTimeoutMs = opts.closeTimeoutMs ?? 1_000;
  const stableAfterMs = opts.stableAfterMs ?? 10_000;
  const messages$ = new Subject<string>();
  const stateSubject = new BehaviorSubject<ConnectionState>('closed');
  let endpoint = opts.url === undefined ? name : describeEndpoint(opts.url);
  let active = false;
  let everConnected = false;
  let opens = 0;
  let current: Attempt | undefined;
  let retryTimer: TimerHandle | undefined;
  let cycle: Cycle | undefined;
  let failure: ConnectionRejectedError | undefined;

  const setState = (next: ConnectionState): void => {
    if (stateSubject.value === next) return;
    log.info({ state: next, endpoint }, `${name} ${next}`);
    stateSubject.next(next);
  };

  const rejected = (error: unknown): ConnectionRejectedError =>
    error instanceof ConnectionRejectedError
      ? error
      : new ConnectionRejectedError(`${name}: ${endpoint} refused the session: ${messageOf(error)}`, { endpoint, cause: error });

  /** What happens after an attempt ended (or, for `fail`, while waiting to retry). */
  const settle = (end: AttemptEnd): void => {
    if (end.kind === 'stopped') return;
    if (end.kind === 'definitive') {
      active = false;
      retryTimer?.cancel();
      retryTimer = undefined;
      failure = end.error;
      log.warn({ endpoint, error: end.error.message }, `${name} refused: not reconnecting`);
      setState('closed');
      settleCycle(end.error);
      return;
    }
    if (!active) return;
    const delayMs = Math.round(backoff.next());
    log.warn({ endpoint, error: end.why, retryInMs: delayMs }, `${name} connection failed`);
    setState(everConnected ? 'reconnecting' : 'connecting');
    retryTimer = clock.setTimer(clock.now() + delayMs, () => {
      retryTimer = undefined;
      if (active) void startAttempt();
    });
  };

  const settleCycle = (error?: Error): void => {
    if (!cycle || cycle.settled) return;
    cycle.settled = true;
    if (error) cycle.reject(error);
    else cycle.resolve();
  };

  /** Ends an attempt once: stops its timers, detaches and drops its socket (gracefully when asked). */
  const end = (att: Attempt, how: AttemptEnd, graceful = false): Promise<void> => {
    if (att.done) return Promise.resolve();
    att.done = true;
    for (const t of Object.values(att.timers)) t.cancel();
    const closed = att.ws ? dispose(att.ws, graceful) : Promise.resolve();
    if (current === att) {
      current = undefined;
      settle(how);
    }
    return closed;
  };

  const dispose = (ws: WebSocket, graceful: boolean): Promise<void> => {
    ws.removeAllListeners();
    ws.on('error', noop);
    if (!graceful || ws.readyState !== WebSocket.OPEN) {
      ws.terminate();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = clock.setTimer(clock.now() + closeTimeoutMs, () => {
        ws.terminate();
        resolve();
      });
      ws.once('close', () => {
        timer.cancel();
        resolve();
      });
      ws.close(1000, 'client closing');
    });
  };

  const rawSend = (att: Attempt, text: string): boolean => {
    const ws = att.ws;
    if (att.done || !ws || ws.readyState !== WebSocket.OPEN) return false;
    try {
      ws.send(text, (err) => {
        if (err) log.warn({ endpoint, error: scrubMessage(err.message, att.url) }, `${name} send failed`);
      });
      return true;
    } catch (err) {
      log.warn({ endpoint, error: scrubMessage(messageOf(err), att.url) }, `${name} send failed`);
      return false;
    }
  };

  const armWatchdog = (att: Attempt): void => {
    const idleMs = opts.heartbeat?.idleTimeoutMs;
    if (idleMs === undefined || att.done) return;
    att.timers.watchdog = clock.setTimer(att.lastFrameAt + idleMs, () => {
      if (att.done) return;
      if (clock.now() >= att.lastFrameAt + idleMs) void end(att, { kind: 'transient', why: `no frame for ${idleMs} ms` });
      else armWatchdog(att);
    });
  };

  const onWsOpen = async (att: Attempt): Promise<void> => {
    att.lastFrameAt = clock.now();
    armWatchdog(att);
    opens += 1;
    const ctx: SocketOpenContext = {
      send: (text) => rawSend(att, text),
      fail: (error) => void end(att, { kind: 'definitive', error: rejected(error) }),
      openCount: opens,
    };
    try {
      await opts.onOpen?.(ctx);
    } catch (error) {
      const how: AttemptEnd =
        error instanceof ConnectionRejectedError
          ? { kind: 'definitive', error }
          : { kind: 'transient', why: `onOpen failed: ${scrubMessage(messageOf(error), att.url)}` };
      void end(att, how);
      return;
    }
    if (att.done) return;
    att.timers.deadline?.cancel();
    att.timers.stable = clock.setTimer(clock.now() + stableAfterMs, () => backoff.reset());
    everConnected = true;
    setState('connected');
    settleCycle();
  };

  const startAttempt = async (): Promise<void> => {
    const att: Attempt = { done: false, lastFrameAt: clock.now(), timers: {} };
    current = att;
    att.timers.deadline = clock.setTimer(clock.now() + connectTimeoutMs, () => {
      void end(att, { kind: 'transient', why: `not connected within ${connectTimeoutMs} ms` });
    });
    let url: string;
    let headers: Record<string, string> | undefined;
    try {
      url = opts.url ?? (await opts.urlProvider!());
      headers = await opts.headers?.();
    } catch (error) {
      const how: AttemptEnd =
        error instanceof ConnectionRejectedError
          ? { kind: 'definitive', error }
          : { kind: 'transient', why: `url or headers provider failed: ${messageOf(error)}` };
      void end(att, how);
      return;
    }
    if (att.done) return;
    att.url = url;
    endpoint = describeEndpoint(url);
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, headers ? { headers } : {});
    } catch (error) {
      const message = `${name}: cannot open ${endpoint}: ${scrubMessage(messageOf(error), url)}`;
      void end(att, { kind: 'definitive', error: new ConnectionRejectedError(message, { endpoint }) });
      return;
    }
    att.ws = ws;
    const touch = (): void => {
      att.lastFrameAt = clock.now();
    };
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      if (status === 401 || status === 403) {
        const message = `${name}: ${endpoint} refused the connection: HTTP ${status} ${res.statusMessage ?? ''}`.trimEnd();
        void end(att, { kind: 'definitive', error: new ConnectionRejectedError(message, { endpoint, status }) });
      } else {
        void end(att, { kind: 'transient', why: `HTTP ${status} on upgrade` });
      }
    });
    ws.on('open', () => void onWsOpen(att));
    ws.on('message', (data: RawData) => {
      if (att.done) return;
      touch();
      messages$.next(toText(data));
    });
    ws.on('ping', touch);
    ws.on('pong', touch);
    ws.on('error', (err) => void end(att, { kind: 'transient', why: scrubMessage(err.message, url) }));
    ws.on('close', (code) => void end(att, { kind: 'transient', why: `closed by peer (code ${code})` }));
  };

  return {
    messages$: messages$.asObservable(),
    state$: stateSubject.pipe(distinctUntilChanged()),
    get state() {
      return stateSubject.value;
    },
    get failure() {
      return failure;
    },
    send(text) {
      const att = current;
      if (stateSubject.value !== 'connected' || !att) return false;
      return rawSend(att, text);
    },
    connect() {
      if (active && cycle) return cycle.promise;
      active = true;
      everConnected = false;
      opens = 0;
      failure = undefined;
      backoff.reset();
      let resolve: () => void = noop;
      let reject: (error: Error) => void = noop;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      cycle = { promise, resolve, reject, settled: false };
      setState('connecting');
      void startAttempt();
      return promise;
    },
    async close() {
      active = false;
      retryTimer?.cancel();
      retryTimer = undefined;
      const closed = current ? end(current, { kind: 'stopped' }, true) : Promise.resolve();
      setState('closed');
      settleCycle(new SocketClosedError(`${name}: closed before ${endpoint} was connected`));
      await closed;
    },
    fail(error) {
      const how: AttemptEnd = { kind: 'definitive', error: rejected(error) };
      if (current) void end(current, how);
      else if (active) settle(how);
    },
  };
}

function toText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
