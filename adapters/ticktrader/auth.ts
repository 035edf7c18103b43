/** Login signature (HMAC-SHA256 over `<timestamp><id><key>` with the secret, Base64) and TOTP one-time passwords. */
import { createHmac } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

export function createSignature(timestamp: number, id: string, key: string, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}${id}${key}`).digest('base64');
}

/** The 6-digit, 30 s, SHA-1 TOTP of Google Authenticator for `timestamp` (engine time). Throws on a malformed secret. */
export function oneTimePassword(base32Secret: string, timestamp: number): string {
  return new TOTP({ secret: Secret.fromBase32(base32Secret.replace(/\s+/g, '').toUpperCase()), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp });
}
