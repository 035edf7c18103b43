/**
 * The transport session: one reconnecting websocket; on every (re)open it logs in (HMAC signature made afresh, then
 * the two-factor step: resume the token while it is valid, else a TOTP one-time password) and calls `onReady` to
 * resubscribe. A refusal of the login or of the one-time password is definitive: connect() rejects, no reconnect.
 * Requests carry an Id and are answered through the correlator; FeedTick / FeedBarUpdate go to `notifications$`.
 */
import { Subject } from 'rxjs';
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock/clock.js';
import { excerpt } from '../../engine/log/excerpt.js';
import { createBackoff } from '../../engine/net/backoff.js';
import { createCorrelator } from '../../engine/net/correlation.js';
import { describeEndpoint } from '../../engine/net/endpoint.js';
import { ConnectionRejectedError, DisconnectedError } from '../../engine/net/errors.js';
import { createReconnectingSocket } from '../../engine/net/reconnecting-socket.js';
import type { ReconnectingSocket } from '../../engine/net/reconnecting-socket-api.js';
import { oneTimePassword } from './auth.js';
import { ENV, type TickTraderConfig } from './config.js';
import { EXCERPT_CHARS, TWO_FACTOR_RESUME_MARGIN_MS, TWO_FACTOR_SUCCESS } from './constants.js';
import { frame, loginRequest, twoFactorRequest, type TickTraderRequest } from './format.js';
import { parseFrame, parseJson, parseLoginResult, parseTwoFactorResult, type TickTraderFrame } from './wire.js';

/** The venue answered a request with its Error envelope (`{"Response": "Error", "Error": <description>}`). */
export class TickTraderVenueError extends Error {
  override readonly name = 'TickTraderVenueError';
}

export interface TickTraderAnswer {
  readonly response: string;
  readonly result: unknown;
}

export type Send = (text: string) => boolean;

export interface TickTraderSession {
  readonly socket: ReconnectingSocket;
  /** FeedTick and FeedBarUpdate frames (a FeedBarUpdate answering a BarFeedSubscribe is here too). */
  readonly notifications$: Subject<Extract<TickTraderFrame, { kind: 'feed-tick' | 'bar-update' }>>;
  /** Sends a request (on `via`, the socket being opened, or the connected socket) and waits for its answer. */
  request(r: TickTraderRequest, via?: Send): Promise<TickTraderAnswer>;
  /** Requests sent so far (diagnostics, tests). */
  readonly sent: number;
}

export function createTickTraderSession(opts: {
  config: TickTraderConfig;
  clock: Clock;
  log: Logger;
  random: () => number;
  onReady: (send: Send) => void;
}): TickTraderSession {
  const { config, clock, log } = opts;
  const endpoint = describeEndpoint(config.wsUrl);
  const correlator = createCorrelator<TickTraderAnswer>({ clock, timeoutMs: config.requestTimeoutMs, name: 'ticktrader' });
  const notifications$ = new Subject<Extract<TickTraderFrame, { kind: 'feed-tick' | 'bar-update' }>>();
  let seq = 0;
  let sent = 0;
  let twoFactorExpiresAt: number | undefined;

  const request = (r: TickTraderRequest, via?: Send): Promise<TickTraderAnswer> => {
    const id = `tt-${++seq}`;
    const answer = correlator.register(id);
    sent++;
    if (!(via ?? socket.send)(frame(id, r))) correlator.reject(id, new DisconnectedError(`ticktrader: ${r.Request} not sent: not connected`));
    return answer;
  };

  const refused = (what: string, cause?: unknown): ConnectionRejectedError =>
    new ConnectionRejectedError(`ticktrader: ${what}`, { endpoint, ...(cause !== undefined ? { cause } : {}) });

  const twoFactor = async (send: Send): Promise<void> => {
    if (twoFactorExpiresAt !== undefined && twoFactorExpiresAt - clock.now() > TWO_FACTOR_RESUME_MARGIN_MS) {
      const resumed = parseTwoFactorResult((await request(twoFactorRequest(), send)).result);
      if (resumed.ok && resumed.value.info === TWO_FACTOR_SUCCESS) {
        twoFactorExpiresAt = resumed.value.expireTime ?? twoFactorExpiresAt;
        return;
      }
      log.info('ticktrader: the two-factor token was not resumed; sending a new one-time password');
    }
    const secret = config.credentials.totpSecret;
    if (secret === undefined) throw refused(`the account requires two-factor authentication (auth refused): set ${ENV.totpSecret}`);
    let otp: string;
    try {
      otp = oneTimePassword(secret, clock.now());
    } catch {
      throw refused(`${ENV.totpSecret} is not a valid base32 TOTP secret (two-factor auth not attempted)`);
    }
    const answer = await request(twoFactorRequest(otp), send).catch((e: unknown) => {
      throw e instanceof TickTraderVenueError ? refused(`the venue refused the two-factor authentication: ${e.message}`) : e;
    });
    const r = parseTwoFactorResult(answer.result);
    if (!r.ok || r.value.info !== TWO_FACTOR_SUCCESS) {
      throw refused(`the venue refused the one-time password from ${ENV.totpSecret} (two-factor auth failed): ${r.ok ? r.value.info : r.error}`);
    }
    twoFactorExpiresAt = r.value.expireTime;
  };

  const socket = createReconnectingSocket({
    name: 'ticktrader-feed',
    url: config.wsUrl,
    clock,
    log,
    backoff: createBackoff({ initialMs: 250, maxMs: 15_000, random: opts.random }),
    heartbeat: { idleTimeoutMs: config.idleTimeoutMs },
    connectTimeoutMs: Math.max(10_000, 3 * config.requestTimeoutMs),
    async onOpen(ctx) {
      const login = await request(loginRequest(config.credentials, clock.now(), config), ctx.send).catch((e: unknown) => {
        throw e instanceof TickTraderVenueError
          ? refused(`the venue refused the login credentials (${ENV.webApiId}, ${ENV.webApiKey}, ${ENV.secret}): ${e.message}`)
          : e;
      });
      const r = parseLoginResult(login.result);
      if (!r.ok) throw new Error(`ticktrader: unreadable Login answer (${r.error})`);
      if (r.value.twoFactor) await twoFactor(ctx.send);
      log.debug('ticktrader: logged in, resubscribing');
      opts.onReady(ctx.send);
    },
  });

  socket.state$.subscribe((s) => {
    if (s === 'reconnecting' || s === 'closed') correlator.rejectAll(`connection ${s}`);
  });

  socket.messages$.subscribe((text) => {
    const json = parseJson(text);
    const f = json.ok ? parseFrame(json.value) : json;
    if (!f.ok) return void log.error({ venue: 'ticktrader', excerpt: excerpt(text, EXCERPT_CHARS) }, `ticktrader: malformed frame (${f.error}), ignored`);
    const fr = f.value;
    switch (fr.kind) {
      case 'error':
        if (fr.id !== undefined && correlator.reject(fr.id, new TickTraderVenueError(fr.message))) return;
        return void log.warn({ id: fr.id }, `ticktrader: venue error: ${fr.message}`);
      case 'response':
        if (fr.id !== undefined && correlator.resolve(fr.id, { response: fr.response, result: fr.result })) return;
        return void log.debug({ response: fr.response }, 'ticktrader: unsolicited answer ignored');
      case 'bar-update':
        if (fr.id !== undefined) correlator.resolve(fr.id, { response: 'FeedBarUpdate', result: fr.update });
        return notifications$.next(fr);
      case 'feed-tick':
        return notifications$.next(fr);
    }
  });

  return {
    socket,
    notifications$,
    request,
    get sent() {
      return sent;
    },
  };
}
