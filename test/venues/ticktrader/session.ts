/**
 * One client connection: Login (HMAC, timestamp window) → optional TwoFactor (one-time password, or resume of a
 * still valid token) → every other request. Each request is answered with its documented envelope or an Error.
 */
import { randomUUID } from 'node:crypto';
import { signatureMatches, signatureOf, otpMatches, type TickTraderAccountSpec } from './auth.js';
import type { QuoteHistory } from './bars.js';
import { createFeedSession } from './feed.js';
import type { SimMarket } from './market.js';
import { ERRORS, TWO_FACTOR } from './protocol.js';
import { referenceHandlers } from './reference.js';
import { createReplier, isRecord, type RequestId } from './reply.js';

export interface SessionDeps {
  readonly accounts: readonly TickTraderAccountSpec[];
  readonly market: SimMarket;
  readonly history: QuoteHistory;
  readonly now: () => number;
  readonly timestampWindowMs: number;
  readonly twoFactorTtlMs: number;
  readonly throttleBaseMs: number;
  /** Two-factor tokens that can be resumed: `<webApiId>|<deviceId>|<appSessionId>` → expiry. Shared by sessions. */
  readonly twoFactorTokens: Map<string, number>;
  readonly silenced: () => boolean;
  /** Counts every request by name (tests, conformance). */
  readonly onRequest: (name: string) => void;
}

export interface SimSession {
  handle(text: string): void;
  dispose(): void;
}

type Phase = { kind: 'anonymous' } | { kind: 'two-factor'; account: TickTraderAccountSpec; token: string } | { kind: 'ready'; account: TickTraderAccountSpec };

export function createSimSession(sendText: (text: string) => void, d: SessionDeps): SimSession {
  const r = createReplier((t) => {
    if (!d.silenced()) sendText(t);
  });
  const feed = createFeedSession({ market: d.market, replier: r, now: d.now, throttleBaseMs: d.throttleBaseMs, silenced: d.silenced });
  const session = { id: randomUUID().toUpperCase(), created: d.now() };
  let phase: Phase = { kind: 'anonymous' };

  const login = (id: RequestId, p: unknown): void => {
    if (phase.kind !== 'anonymous') return r.error(id, ERRORS.alreadyLoggedIn);
    if (!isRecord(p)) return r.error(id, ERRORS.param('Params'));
    if (p.AuthType !== 'HMAC') return r.error(id, ERRORS.authType);
    const { WebApiId: apiId, WebApiKey: key, Timestamp: ts, Signature: sig } = p;
    if (typeof apiId !== 'string' || typeof key !== 'string') return r.error(id, ERRORS.unknownKey);
    if (typeof ts !== 'number' && typeof ts !== 'string') return r.error(id, ERRORS.param('Timestamp'));
    if (typeof sig !== 'string') return r.error(id, ERRORS.param('Signature'));
    const account = d.accounts.find((a) => a.webApiId === apiId && a.webApiKey === key);
    if (!account) return r.error(id, ERRORS.unknownKey);
    if (!signatureMatches(sig, signatureOf(ts, apiId, key, account.secret))) return r.error(id, ERRORS.badSignature);
    if (!(Math.abs(d.now() - Number(ts)) <= d.timestampWindowMs)) return r.error(id, ERRORS.badTimestamp);
    const twoFactor = account.totpSecret !== undefined;
    r.ok(id, 'Login', { Info: 'ok', TwoFactorFlag: twoFactor });
    if (!twoFactor) return void (phase = { kind: 'ready', account });
    phase = { kind: 'two-factor', account, token: `${apiId}|${String(p.DeviceId ?? '')}|${String(p.AppSessionId ?? '')}` };
    r.ok(randomUUID(), 'TwoFactor', { Info: TWO_FACTOR.required });
  };

  const twoFactor = (id: RequestId, p: unknown): void => {
    if (phase.kind === 'anonymous') return r.error(id, ERRORS.notLoggedIn);
    if (phase.kind === 'ready') return r.error(id, ERRORS.twoFactorNotExpected);
    const { account, token } = phase;
    const otp = isRecord(p) ? p.OneTimePassword : undefined;
    if (otp === undefined) {
      d.onRequest('TwoFactor(resume)');
      // resume: the token of an earlier session of the same id, device and app session
      const expiry = d.twoFactorTokens.get(token);
      if (expiry === undefined || expiry <= d.now()) return r.ok(id, 'TwoFactor', { Info: TWO_FACTOR.expired });
      phase = { kind: 'ready', account };
      return r.ok(id, 'TwoFactor', { Info: TWO_FACTOR.success, ExpireTime: expiry });
    }
    if (typeof otp !== 'string' || !otpMatches(account.totpSecret!, otp, d.now())) return r.ok(id, 'TwoFactor', { Info: TWO_FACTOR.invalid });
    const expiry = d.now() + d.twoFactorTtlMs;
    d.twoFactorTokens.set(token, expiry);
    phase = { kind: 'ready', account };
    r.ok(id, 'TwoFactor', { Info: TWO_FACTOR.success, ExpireTime: expiry });
  };

  return {
    handle(text) {
      let msg: unknown;
      try {
        msg = JSON.parse(text);
      } catch {
        return r.error(undefined, ERRORS.badJson);
      }
      const id = isRecord(msg) && (typeof msg.Id === 'string' || typeof msg.Id === 'number') ? msg.Id : undefined;
      if (!isRecord(msg) || typeof msg.Request !== 'string') return r.error(id, ERRORS.badEnvelope);
      const name = msg.Request;
      d.onRequest(name);
      if (name === 'Login') return login(id, msg.Params);
      if (name === 'TwoFactor') return twoFactor(id, msg.Params);
      if (phase.kind === 'anonymous') return r.error(id, ERRORS.notLoggedIn);
      if (phase.kind === 'two-factor') return r.error(id, ERRORS.twoFactorRequired);
      if (name === 'FeedSubscribe') return feed.handleFeedSubscribe(id, msg.Params);
      if (name === 'BarFeedSubscribe') return feed.handleBarSubscribe(id, msg.Params);
      const handler = referenceHandlers[name];
      if (!handler) return r.error(id, ERRORS.unknownRequest(name));
      handler(id, msg.Params, r, { market: d.market, history: d.history, session });
    },
    dispose: () => feed.dispose(),
  };
}
