/**
 * The session key: login on the authentication connection (username, password, api_key), re-login before the key
 * expires and after the venue refuses it, and presenting the key (`session`) on the orders and prices connections.
 * Credentials are sent only in the login command; they never appear in a log line or an error message.
 */
import { Subject, firstValueFrom, timeout, type Observable } from 'rxjs';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../../engine/clock/clock.js';
import { describeEndpoint } from '../../engine/net/endpoint.js';
import { ConnectionRejectedError } from '../../engine/net/errors.js';
import { describeAnswer, type Answer, type Send, type TransactConnection } from './client.js';
import type { TransactConfig } from './config.js';
import { CREDENTIAL_STATUSES, SESSION_STATUSES } from './constants.js';
import { parseSession } from './wire.js';

export interface SessionKeeper {
  readonly key: string | undefined;
  readonly expires: number | undefined;
  /** Every new key, after each successful login. */
  readonly keys$: Observable<string>;
  /** Logs in (single flight) over `send` (the auth connection's onOpen) or the connected auth connection. */
  login(send?: Send): Promise<string>;
  /** The current key while it is valid, else a new one. */
  current(): Promise<string>;
  /** A key other than `refused` (which the venue refused): logs in again unless that already happened. */
  renew(refused: string | undefined): Promise<string>;
  /** Logins sent (tests). */
  readonly logins: number;
  dispose(): void;
}

export function createSessionKeeper(opts: {
  auth: TransactConnection;
  config: TransactConfig;
  clock: Clock;
  log: Logger;
  /** A re-login was refused for good: the session cannot go on. */
  onFatal: (error: ConnectionRejectedError) => void;
}): SessionKeeper {
  const { auth, config, clock, log } = opts;
  const keys$ = new Subject<string>();
  let key: string | undefined;
  let expires: number | undefined;
  let inflight: Promise<string> | undefined;
  let timer: TimerHandle | undefined;
  let logins = 0;
  const endpoint = describeEndpoint(config.authUrl);

  const schedule = (): void => {
    timer?.cancel();
    const now = clock.now();
    const at = Math.max(now + 1_000, Math.min((expires ?? now) - config.reloginMarginMs, now + config.maxSessionMs));
    timer = clock.setTimer(at, () => {
      if (auth.socket.state !== 'connected') return; // the reconnect logs in again
      log.info({ expires }, 'transact: session key close to expiry, logging in again');
      keeper.login().catch((e: unknown) => {
        if (e instanceof ConnectionRejectedError) return; // onFatal already ran
        log.warn({ error: (e as Error).message }, 'transact: re-login failed, retrying');
        timer = clock.setTimer(clock.now() + 5_000, () => void keeper.renew(key).catch(() => undefined));
      });
    });
  };

  const refusedLogin = (a: Extract<Answer, { kind: 'refused' }>): ConnectionRejectedError =>
    new ConnectionRejectedError(
      `transact: the venue refused the login credentials (${a.status.status}: ${a.status.text ?? 'no text'}); check TRANSACT_USERNAME, TRANSACT_PASSWORD and TRANSACT_API_KEY`,
      { endpoint },
    );

  const keeper: SessionKeeper = {
    get key() {
      return key;
    },
    get expires() {
      return expires;
    },
    get logins() {
      return logins;
    },
    keys$: keys$.asObservable(),
    login(send) {
      if (inflight) return inflight;
      logins++;
      const { username, password, apiKey } = config.credentials;
      inflight = auth
        .command('login', { username, password, api_key: apiKey }, send)
        .then((a) => {
          if (a.kind === 'refused' && CREDENTIAL_STATUSES.has(a.status.status)) {
            const error = refusedLogin(a);
            if (key !== undefined) opts.onFatal(error); // a re-login: the session cannot go on
            throw error;
          }
          if (a.kind !== 'ok') throw new Error(`transact: login failed: ${describeAnswer(a)}`);
          const s = a.data.find((d) => d.data === 'session');
          const parsed = s ? parseSession(s.body) : { ok: false as const, reason: 'no session data with the status' };
          if (!parsed.ok) throw new Error(`transact: login answer unreadable (${parsed.reason})`);
          key = parsed.value.key;
          expires = parsed.value.expires;
          log.info({ expires }, 'transact: logged in, session key received');
          schedule();
          keys$.next(key);
          return key;
        })
        .finally(() => {
          inflight = undefined;
        });
      return inflight;
    },
    current() {
      if (key !== undefined && expires !== undefined && clock.now() < expires - 1_000) return Promise.resolve(key);
      return keeper.renew(key);
    },
    renew(refused) {
      if (inflight) return inflight;
      if (key !== undefined && key !== refused && expires !== undefined && clock.now() < expires - 1_000) return Promise.resolve(key);
      if (auth.socket.state === 'connected') return keeper.login();
      // The authentication connection is reconnecting: its onOpen logs in.
      return firstValueFrom(keys$.pipe(timeout({ first: Math.max(10_000, config.requestTimeoutMs * 3) }))).catch(() => {
        throw auth.socket.failure ?? new Error('transact: no session key (the authentication connection is not connected)');
      });
    },
    dispose() {
      timer?.cancel();
      timer = undefined;
    },
  };
  return keeper;
}

/**
 * A connection that needs the session key: `open` presents it in onOpen (renewing once on a refused key); `request`
 * sends a command and, when the venue refuses the key (-10/-11/-12, nothing was done), renews the key, presents it and
 * resends the command once (a resent new_order carries the same client_id, so it can never make a second order).
 */
export function sessionChannel(conn: TransactConnection, keeper: SessionKeeper, log: Logger) {
  let presented: string | undefined;
  const present = async (key: string, send?: Send): Promise<Answer> => {
    const a = await conn.command('session', { session_key: key }, send);
    if (a.kind === 'ok') presented = key;
    return a;
  };
  const channel = {
    async open(send: Send): Promise<void> {
      let key = await keeper.current();
      let a = await present(key, send);
      if (a.kind === 'refused' && SESSION_STATUSES.has(a.status.status)) {
        key = await keeper.renew(key);
        a = await present(key, send);
      }
      if (a.kind === 'refused') throw new ConnectionRejectedError(`transact: ${conn.name} refused the session key (${describeAnswer(a)})`, { endpoint: conn.name });
      if (a.kind === 'unknown') throw new Error(`transact: ${conn.name} session: ${describeAnswer(a)}`);
    },
    /** Presents a newer key on the open connection (after a re-login). */
    refresh(key: string): void {
      if (conn.socket.state !== 'connected' || presented === key) return;
      void present(key).then((a) => {
        if (a.kind !== 'ok') log.warn({ connection: conn.name }, `transact: presenting the new session key: ${describeAnswer(a)}`);
      });
    },
    async request(cmd: string, args: Readonly<Record<string, unknown>> = {}): Promise<Answer> {
      const a = await conn.command(cmd, args);
      if (a.kind !== 'refused' || !SESSION_STATUSES.has(a.status.status)) return a;
      log.info({ connection: conn.name, cmd, status: a.status.status }, 'transact: session key refused, logging in again');
      let key: string;
      try {
        key = await keeper.renew(presented);
      } catch (e) {
        return { kind: 'refused', status: Object.assign({}, a.status, { text: `${a.status.text ?? ''}; re-login failed: ${(e as Error).message}` }) };
      }
      const p = await present(key);
      if (p.kind !== 'ok') return p;
      return conn.command(cmd, args);
    },
  };
  return channel;
}
export type SessionChannel = ReturnType<typeof sessionChannel>;
