/**
 * The documented signature: a JWT (HS256, key = API secret) in the `signature` header whose payload is
 * `{ accountId, secretKeyId, digest, exp }`. `digest` is the sha256 hex of what was sent: the raw JSON body of a POST,
 * the query string of a GET ("Use parameters: accountId=STA-00000001&venue=VENUE1 to generate Signature"). The
 * official Python SDK hashes the *percent-decoded* query string (urlencode, then unquote), so a GET digest may match
 * either the query string as sent or its decoded form. Websocket streams send the token without a digest.
 *
 * `exp` is JWT seconds; the document's user-stream example puts milliseconds in it (time.time()*1000 + 30000), so an
 * exp above 1e11 is read as milliseconds.
 */
import { createHash, createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { apifinyError, type ApifinyError } from './error-codes.js';

export interface ApifinyKey {
  readonly accountId: string;
  readonly secretKeyId: string;
  readonly secret: string;
}

export interface AuthLookup {
  accountExists(accountId: string): boolean;
  key(secretKeyId: string): ApifinyKey | undefined;
}

export type AuthResult = { readonly ok: true; readonly accountId: string } | { readonly ok: false; readonly error: ApifinyError };

/**
 * HS256 check of `header.payload` against the signature part. node:crypto directly: jsonwebtoken's verify took about
 * 600 µs a call on this machine, which made the simulator the bottleneck of any order-rate test (the latency bench
 * sends 10k orders a second). The keys are cached as KeyObjects.
 */
const keyObjects = new Map<string, KeyObject>();
function hs256Valid(token: string, secret: string): boolean {
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return false;
  let key = keyObjects.get(secret);
  if (key === undefined) keyObjects.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  // compared as text: two base64url strings can decode to the same bytes, and only the canonical one is the signature
  const expected = Buffer.from(createHmac('sha256', key).update(token.slice(0, dot)).digest('base64url'));
  const given = Buffer.from(token.slice(dot + 1));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const sha256Hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** Digests a GET may carry: of the query string as sent, and of its percent-decoded form. */
export function queryDigests(rawQuery: string): string[] {
  let decoded = rawQuery;
  try {
    decoded = decodeURIComponent(rawQuery.replace(/\+/g, ' '));
  } catch {
    // a malformed escape: only the raw form can match
  }
  return decoded === rawQuery ? [sha256Hex(rawQuery)] : [sha256Hex(rawQuery), sha256Hex(decoded)];
}

/**
 * Checks a token. `digests`: the digests the request allows (REST), or undefined for a websocket stream (no digest).
 * Order of checks: token shape → account → key → HMAC → exp → digest.
 */
export function verifyApifinyToken(
  token: string | undefined,
  lookup: AuthLookup,
  nowMs: number,
  digests: readonly string[] | undefined,
): AuthResult {
  const no = (e: ApifinyError): AuthResult => ({ ok: false, error: e });
  if (token === undefined || token === '') return no(apifinyError('TOKEN_ERROR', 'missing signature header'));
  const decoded = jwt.decode(token, { complete: true });
  if (decoded === null || typeof decoded.payload !== 'object') return no(apifinyError('TOKEN_ERROR', 'signature is not a JWT'));
  if (decoded.header.alg !== 'HS256') return no(apifinyError('SIGNATURE_ERROR', 'algorithm must be HS256'));
  const claims = decoded.payload as Record<string, unknown>;
  const { accountId, secretKeyId, exp, digest } = claims;
  if (typeof accountId !== 'string' || typeof secretKeyId !== 'string' || typeof exp !== 'number') {
    return no(apifinyError('TOKEN_ERROR', 'payload needs accountId, secretKeyId and exp'));
  }
  if (!lookup.accountExists(accountId)) return no(apifinyError('ACCOUNT_NOT_EXIST'));
  const key = lookup.key(secretKeyId);
  if (key === undefined || key.accountId !== accountId) return no(apifinyError('PERMISSION_DENIED', 'unknown secretKeyId'));
  if (!hs256Valid(token, key.secret)) return no(apifinyError('SIGNATURE_ERROR'));
  const expMs = exp > 1e11 ? exp : exp * 1000;
  if (expMs <= nowMs) return no(apifinyError('TOKEN_ERROR', 'token expired'));
  if (digests !== undefined && (typeof digest !== 'string' || !digests.includes(digest.toLowerCase()))) {
    return no(apifinyError('SIGNATURE_ERROR', 'digest does not match the request'));
  }
  return { ok: true, accountId };
}
