import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { createSigner, sha256Hex } from '../../../adapters/apifiny/auth.js';

describe('Apifiny request signatures', () => {
  const creds = { accountId: 'STA-00000001', keyId: 'key-1', secret: 'not-a-real-secret' };
  const clock = { now: () => 1_700_000_000_123 };

  it('are byte-identical to jsonwebtoken HS256 tokens over the same claims', () => {
    const signer = createSigner(creds as never, clock, 30);
    const body = '{"accountId":"STA-00000001","venue":"VENUE1"}';
    const claims = { accountId: 'STA-00000001', secretKeyId: 'key-1', exp: 1_700_000_030, digest: sha256Hex(body) };
    expect(signer.rest(body)).toBe(jwt.sign(claims, creds.secret, { algorithm: 'HS256', noTimestamp: true }));
    expect(signer.stream()).toBe(jwt.sign({ accountId: 'STA-00000001', secretKeyId: 'key-1', exp: 1_700_000_030 }, creds.secret, { algorithm: 'HS256', noTimestamp: true }));
  });

  it('verify with the secret and carry the body digest', () => {
    const token = createSigner(creds as never, clock, 30).rest('{"a":1}');
    const decoded = jwt.verify(token, creds.secret, { algorithms: ['HS256'], clockTimestamp: 1_700_000_000 }) as Record<string, unknown>;
    expect(decoded).toEqual({ accountId: 'STA-00000001', secretKeyId: 'key-1', exp: 1_700_000_030, digest: sha256Hex('{"a":1}') });
  });
});
