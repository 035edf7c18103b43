/**
 * The ttid token life cycle (CONTRACT.md, Authentication): one bearer token at a time, fetched on first use and again
 * a margin before it expires; concurrent requests share the one fetch in flight; a refused key or secret is one
 * ConnectionRejectedError, remembered, so later calls fail at once without a request (no retry storm).
 */
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock/clock.js';
import { ConnectionRejectedError } from '../../engine/net/errors.js';
import { TtRequestError } from './errors.js';

export type TokenAnswer =
  | { readonly kind: 'token'; readonly token: string; readonly secondsUntilExpiry: number }
  /** ttid refused the application key or secret (401/403): definitive. */
  | { readonly kind: 'refused'; readonly status: number; readonly message: string | undefined }
  /** No token this time (timeout, 5xx, rate limited, unreadable): the next request tries again. */
  | { readonly kind: 'unavailable'; readonly reason: string };

export interface TtTokens {
  /** A token valid for at least the refresh margin. Rejects with the remembered ConnectionRejectedError once refused. */
  current(): Promise<string>;
  /** `used` was answered 401: it is fetched again on the next call (unless a newer token already replaced it). */
  invalidate(used: string): void;
  /** Tokens fetched (tests: "one refresh shared by concurrent requests"). */
  readonly fetches: number;
  /** Engine time the current token expires, once there is one. */
  readonly expiresAt: number | undefined;
}

export interface TokenOptions {
  readonly fetchToken: () => Promise<TokenAnswer>;
  readonly clock: Pick<Clock, 'now'>;
  readonly marginMs: number;
  readonly log: Logger;
  /** For error messages: `ttid ext_uat_cert` and the endpoint (never the key or secret). */
  readonly environment: string;
  readonly endpoint: string;
}

export function createTokens(opts: TokenOptions): TtTokens {
  let token: string | undefined;
  let expiresAt: number | undefined;
  let refreshAt = 0;
  let inFlight: Promise<string> | undefined;
  let refused: ConnectionRejectedError | undefined;
  let fetches = 0;

  const fetch = async (): Promise<string> => {
    fetches++;
    const answer = await opts.fetchToken();
    switch (answer.kind) {
      case 'token': {
        const now = opts.clock.now();
        const lifetimeMs = answer.secondsUntilExpiry * 1000;
        token = answer.token;
        expiresAt = now + lifetimeMs;
        refreshAt = expiresAt - Math.min(opts.marginMs, lifetimeMs / 2);
        opts.log.info({ secondsUntilExpiry: answer.secondsUntilExpiry }, `tt: new ttid token for ${opts.environment}`);
        return answer.token;
      }
      case 'refused':
        refused = new ConnectionRejectedError(
          `tt: ttid refused the token request for ${opts.environment} (HTTP ${answer.status}${answer.message ? `: ${answer.message}` : ''}); ` +
            (answer.status === 403
              ? 'TT answers 403 to a URL that is not all lowercase (check baseUrl) and to a key without permission; not retried'
              : 'check TT_APP_KEY and TT_APP_SECRET (each environment has its own key); not retried'),
          { endpoint: opts.endpoint, status: answer.status },
        );
        opts.log.error({ status: answer.status }, refused.message);
        throw refused;
      case 'unavailable':
        throw new TtRequestError(`tt: no ttid token for ${opts.environment} (${answer.reason}); the next request tries again`, undefined);
    }
  };

  return {
    get fetches() {
      return fetches;
    },
    get expiresAt() {
      return expiresAt;
    },
    current() {
      if (refused !== undefined) return Promise.reject(refused);
      if (token !== undefined && opts.clock.now() < refreshAt) return Promise.resolve(token);
      if (inFlight === undefined) {
        inFlight = fetch().finally(() => {
          inFlight = undefined;
        });
      }
      return inFlight;
    },
    invalidate(used) {
      if (used === token) {
        token = undefined;
        refreshAt = 0;
      }
    },
  };
}
