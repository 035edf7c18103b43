/**
 * ttid: application keys per environment and the bearer tokens issued for them (TT: gs-token.html). A token is valid
 * for the environment and key it was issued for, until it expires.
 */
import { randomBytes } from 'node:crypto';
import type { TtApp, TtEnvironment } from './protocol.js';

export interface IssuedToken {
  readonly token: string;
  readonly key: string;
  readonly environment: TtEnvironment;
  expiresAt: number;
}

export type TokenCheck = { readonly ok: true } | { readonly ok: false; readonly message: string };

export interface Ttid {
  /** The app whose key and secret these are in this environment, or why not. */
  issue(environment: TtEnvironment, apiKey: string, grantType: string | null, appKey: string | null, now: number): { token: IssuedToken } | { refused: string; status: number };
  check(environment: TtEnvironment, apiKey: string, authorization: string | undefined, now: number): TokenCheck;
  /** Whether `apiKey` belongs to an app of this environment. */
  knows(environment: TtEnvironment, apiKey: string): boolean;
  /** Every token issued so far expires now. */
  expireAll(now: number): void;
  ttlSeconds: number;
  readonly issued: number;
  /** Every token issued (tests: that none reaches a log line). */
  tokens(): IterableIterator<string>;
}

export function createTtid(apps: readonly TtApp[], ttlSeconds: number): Ttid {
  const tokens = new Map<string, IssuedToken>();
  let issued = 0;
  const appOf = (environment: TtEnvironment, key: string): TtApp | undefined => apps.find((a) => a.environment === environment && a.key === key);
  return {
    ttlSeconds,
    get issued() {
      return issued;
    },
    tokens: () => tokens.keys(),
    knows: (environment, apiKey) => appOf(environment, apiKey) !== undefined,
    issue(environment, apiKey, grantType, appKey, now) {
      if (grantType !== 'user_app') return { refused: 'grant_type must be user_app', status: 400 };
      if (appKey === null) return { refused: 'app_key is required (<key>:<secret>)', status: 400 };
      const app = appOf(environment, apiKey);
      const colon = appKey.indexOf(':');
      if (app === undefined || colon < 0 || appKey.slice(0, colon) !== app.key || appKey.slice(colon + 1) !== app.secret) {
        return { refused: 'invalid application key or secret', status: 401 };
      }
      const token: IssuedToken = { token: randomBytes(24).toString('base64url'), key: app.key, environment, expiresAt: now + this.ttlSeconds * 1000 };
      tokens.set(token.token, token);
      issued++;
      return { token };
    },
    check(environment, apiKey, authorization, now) {
      const m = /^Bearer (\S+)$/.exec(authorization ?? '');
      if (m === null) return { ok: false, message: 'missing bearer token' };
      const t = tokens.get(m[1]!);
      if (t === undefined || t.environment !== environment || t.key !== apiKey) return { ok: false, message: 'invalid token' };
      if (now >= t.expiresAt) return { ok: false, message: 'token expired' };
      return { ok: true };
    },
    expireAll(now) {
      for (const t of tokens.values()) t.expiresAt = Math.min(t.expiresAt, now);
    },
  };
}
