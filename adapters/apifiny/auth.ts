/**
 * Request signatures as documented: a JWT (HS256, key = API secret) with `{ accountId, secretKeyId, digest, exp }`;
 * `digest` is the sha256 hex of the JSON body (POST) or of the query string (GET); streams sign without a digest.
 * `exp` is in seconds, a few seconds ahead on the injected clock.
 */
import { createHash } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Clock } from '../../engine/clock/clock.js';
import type { ApifinyCredentials } from './config.js';

export interface ApifinySigner {
  /** A signature for a REST request over `payload` (the exact body or query string sent). */
  rest(payload: string): string;
  /** A signature for a websocket stream (no digest). */
  stream(): string;
}

export const sha256Hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

export function createSigner(creds: ApifinyCredentials, clock: Pick<Clock, 'now'>, ttlSeconds: number): ApifinySigner {
  const sign = (digest: string | undefined): string => {
    const claims: Record<string, unknown> = {
      accountId: creds.accountId,
      secretKeyId: creds.keyId,
      exp: Math.floor(clock.now() / 1000) + ttlSeconds,
    };
    if (digest !== undefined) claims.digest = digest;
    return jwt.sign(claims, creds.secret, { algorithm: 'HS256', noTimestamp: true });
  };
  return { rest: (payload) => sign(sha256Hex(payload)), stream: () => sign(undefined) };
}
