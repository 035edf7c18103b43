/** Login checks: HMAC-SHA256 over `<timestamp><id><key>` with the secret, Base64; TOTP one-time passwords (RFC 6238). */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

export interface TickTraderAccountSpec {
  readonly webApiId: string;
  readonly webApiKey: string;
  readonly secret: string;
  /** Base32 TOTP secret: when set, the account requires two-factor authentication. */
  readonly totpSecret?: string;
}

export function signatureOf(timestamp: number | string, id: string, key: string, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}${id}${key}`).digest('base64');
}

export function signatureMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True when `otp` is the account's password for `now` (one 30 s step of drift either way is accepted). */
export function otpMatches(totpSecret: string, otp: string, now: number): boolean {
  const totp = new TOTP({ secret: Secret.fromBase32(totpSecret), digits: 6, period: 30, algorithm: 'SHA1' });
  return totp.validate({ token: otp, timestamp: now, window: 1 }) !== null;
}

export function otpFor(totpSecret: string, now: number): string {
  return new TOTP({ secret: Secret.fromBase32(totpSecret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: now });
}
