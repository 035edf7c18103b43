/**
 * A FIX initiator that stays logged on (issue 16): one FixSession over a TCP (or TLS) connection it opens, and opens
 * again after every loss, with backoff, as QuickFIX's ReconnectInterval does. Its state is the engine's
 * ConnectionState, so the kernel holds new orders while it is down and reconciles once it is back.
 *
 * - `connect()` resolves on the first Logon answered; a Logon the venue refuses with a Logout (bad signature, unknown
 *   account) rejects it with a ConnectionRejectedError naming the venue's reason, and nothing is retried (no storm);
 *   so does a first attempt that cannot reach the venue at all (connection refused, unknown host) or, over TLS, finds a
 *   certificate it does not trust.
 *   A refusal on a later reconnect is logged and retried with the growing backoff.
 * - `onLogon(count)` runs on every Logon before `connected` is emitted (count 2+: a reconnect), so the adapter can
 *   settle what it sent before the loss (status requests) before anything new goes out.
 * - A connection that does not reach Logon within `connectTimeoutMs` is dropped and retried.
 * - `close()` logs out, waits up to `closeTimeoutMs` for the venue's Logout and the close, then drops the socket.
 * - A session that ends the connection itself (a protocol error: its Logout names it) half-closes it after that Logout,
 *   so the venue reads why, and drops it LINGER_MS later if the venue does not close its side.
 */
import { channel } from 'node:diagnostics_channel';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';
import type { Clock, TimerHandle } from '../clock/clock.js';
import type { ConnectionState } from '../execution/venue-adapter.js';
import type { Logger } from '../log/logger.js';
import type { Backoff } from './backoff.js';
import { ConnectionRejectedError } from './errors.js';
import type { FixField } from '../fix/codec.js';
import { FixSession, type FixSessionOptions, type FixSessionState } from '../fix/session.js';

/** Published `{ msgType, seq }` when an application message's bytes were handed to the socket (the latency bench). */
export const FIX_SENT_CHANNEL = 'engine:fix:sent';
const sentChannel = channel(FIX_SENT_CHANNEL);
/** How long a connection the session ended waits for the peer's close after our FIN (its Logout flushed) before it is dropped. */
const LINGER_MS = 500;

/** TLS failures that retrying cannot mend: the venue's certificate is not one this process trusts for that host. */
const UNTRUSTED: ReadonlySet<string> = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export interface FixInitiatorOptions {
  /** Short name for logs, e.g. `apifiny-fix`. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** With `tls`: certificates to trust beside the system's (PEM), e.g. a venue's private CA. */
  readonly ca?: string | Buffer;
  readonly session: Omit<FixSessionOptions, 'role' | 'send' | 'close' | 'onState' | 'clock' | 'log'>;
  readonly clock: Clock;
  readonly backoff: Backoff;
  readonly log: Logger;
  /** From the start of an attempt to Logon; default 10 s. */
  readonly connectTimeoutMs?: number;
  /** The backoff is reset once a session has stayed logged on this long; default 10 s. */
  readonly stableAfterMs?: number;
  /** How long `close()` waits for the Logout exchange; default 1 s. */
  readonly closeTimeoutMs?: number;
  /** Every Logon (1: the first of a `connect()`, 2+: after a reconnect), before `connected` is emitted. */
  readonly onLogon?: (count: number) => void;
}

export interface FixInitiator {
  readonly state$: Observable<ConnectionState>;
  readonly state: ConnectionState;
  readonly session: FixSession;
  /** An application message; its MsgSeqNum, or undefined when not logged on (nothing was sent). */
  sendApp(msgType: string, body: readonly FixField[]): number | undefined;
  connect(): Promise<void>;
  close(): Promise<void>;
}

export function createFixInitiator(opts: FixInitiatorOptions): FixInitiator {
  const { clock, backoff, name } = opts;
  const log = opts.log.child({ fix: name });
  const endpoint = `${opts.tls ? 'tls' : 'tcp'}://${opts.host}:${opts.port}`;
  const connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
  const stableAfterMs = opts.stableAfterMs ?? 10_000;
  const closeTimeoutMs = opts.closeTimeoutMs ?? 1_000;
  const state = new BehaviorSubject<ConnectionState>('closed');
  let socket: Socket | undefined;
  let active = false;
  let everLoggedOn = false;
  let logons = 0;
  let retry: TimerHandle | undefined;
  let deadline: TimerHandle | undefined;
  let stable: TimerHandle | undefined;
  let lastError = '';
  /** Why an attempt could not reach the venue in a way retrying does not mend (refused, unknown host, untrusted certificate). */
  let unreachable: 'unreachable' | 'untrusted' | undefined;
  let attempts = 0;
  let cycle: { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void; settled: boolean } | undefined;

  const setState = (next: ConnectionState): void => {
    if (state.value === next) return;
    log.info({ state: next, endpoint }, `${name} ${next}`);
    state.next(next);
  };
  const settleCycle = (error?: Error): void => {
    if (cycle === undefined || cycle.settled) return;
    cycle.settled = true;
    if (error) cycle.reject(error);
    else cycle.resolve();
  };

  const session: FixSession = new FixSession(Object.assign({}, opts.session, {
    role: 'initiator' as const,
    clock,
    log,
    send: (bytes: Buffer) => {
      if (socket !== undefined && !socket.destroyed) socket.write(bytes);
    },
    close: () => socket?.end(),
    onState: (s: FixSessionState, why?: string) => {
      if (s === 'active') {
        deadline?.cancel();
        logons++;
        everLoggedOn = true;
        opts.onLogon?.(logons);
        stable = clock.setTimer(clock.now() + stableAfterMs, () => backoff.reset());
        setState('connected');
        settleCycle();
      } else if (s === 'disconnected') {
        if (why !== undefined) lastError = why;
        // the session's last words (a Logout naming the protocol error) go out before the FIN; a peer that does not
        // close its side within LINGER_MS is dropped. The 'close' handler schedules what comes next.
        const ending = socket;
        if (ending !== undefined && !ending.destroyed) {
          ending.end();
          const linger = clock.setTimer(clock.now() + LINGER_MS, () => ending.destroy());
          ending.once('close', () => linger.cancel());
        }
      }
    },
  }));

  const attemptEnded = (): void => {
    deadline?.cancel();
    stable?.cancel();
    socket = undefined;
    session.disconnected();
    if (!active) return;
    const refusal = session.logonRefusal;
    if ((refusal !== undefined || (unreachable !== undefined && attempts === 1)) && !everLoggedOn) {
      // definitive at start: bad credentials, or nothing listening (the operator starts the venue or fixes fixUrl)
      active = false;
      const error = new ConnectionRejectedError(
        refusal !== undefined
          ? `${name}: ${endpoint} refused the Logon: ${refusal}`
          : unreachable === 'untrusted'
            ? `${name}: the certificate of ${endpoint} is not trusted (${lastError}): check the url, or give the venue's CA`
            : `${name}: could not reach ${endpoint} (${lastError}): check that it is running and that the url is right`,
        { endpoint },
      );
      log.warn({ endpoint, error: error.message }, `${name} refused: not reconnecting`);
      setState('closed');
      settleCycle(error);
      return;
    }
    const delayMs = Math.round(backoff.next());
    log.warn({ endpoint, error: lastError || 'the connection closed', retryInMs: delayMs }, `${name} connection lost`);
    setState(everLoggedOn ? 'reconnecting' : 'connecting');
    retry = clock.setTimer(clock.now() + delayMs, () => {
      retry = undefined;
      if (active) attempt();
    });
  };

  const attempt = (): void => {
    lastError = '';
    unreachable = undefined;
    attempts++;
    const s = opts.tls
      ? tlsConnect(Object.assign({ host: opts.host, port: opts.port, servername: opts.host }, opts.ca === undefined ? {} : { ca: opts.ca }))
      : netConnect({ host: opts.host, port: opts.port });
    socket = s;
    s.setNoDelay(true);
    deadline = clock.setTimer(clock.now() + connectTimeoutMs, () => {
      lastError = `not logged on within ${connectTimeoutMs} ms`;
      s.destroy();
    });
    s.once(opts.tls ? 'secureConnect' : 'connect', () => {
      if (socket === s) session.connected();
    });
    s.on('data', (d: Buffer) => {
      if (socket === s) session.received(d);
    });
    s.on('error', (e: Error & { code?: string }) => {
      lastError = e.message;
      if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') unreachable = 'unreachable';
      else if (UNTRUSTED.has(e.code ?? '')) unreachable = 'untrusted';
    });
    s.once('close', () => {
      if (socket === s) attemptEnded();
    });
  };

  return {
    state$: state.pipe(distinctUntilChanged()),
    get state() {
      return state.value;
    },
    session,
    sendApp(msgType, body) {
      const seq = session.sendApp(msgType, body); // written to the socket synchronously
      if (seq !== undefined && sentChannel.hasSubscribers) sentChannel.publish({ msgType, seq });
      return seq;
    },
    connect() {
      if (active && cycle !== undefined) return cycle.promise; // already connecting or connected
      active = true;
      everLoggedOn = false;
      logons = 0;
      attempts = 0;
      backoff.reset();
      let resolve!: () => void;
      let reject!: (e: Error) => void;
      const promise = new Promise<void>((res, rej) => void ((resolve = res), (reject = rej)));
      cycle = { promise, resolve, reject, settled: false };
      setState('connecting');
      attempt();
      return promise;
    },
    async close() {
      active = false;
      retry?.cancel();
      retry = undefined;
      settleCycle(new Error(`${name}: closed before logon`));
      const s = socket;
      if (s !== undefined) {
        await new Promise<void>((resolve) => {
          const timer = clock.setTimer(clock.now() + closeTimeoutMs, () => {
            s.destroy();
            resolve();
          });
          s.once('close', () => {
            timer.cancel();
            resolve();
          });
          session.logout('client closing');
        });
      }
      deadline?.cancel();
      stable?.cancel();
      setState('closed');
    },
  };
}
