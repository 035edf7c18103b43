import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApifinySimulator } from './sim-server.js';
import {
  ALICE,
  BOB,
  openProbe,
  sha256Hex,
  signToken,
  signedGet,
  signedPost,
  startTestSimulator,
  type Creds,
} from './test-client.js';

/**
 * Known vector. Payload {"accountId":"STA-00000001","secretKeyId":"vector-key","digest":sha256("accountId=STA-00000001&
 * venue=VENUE1"),"exp":4102444800 (2100-01-01)}, secret "vector-secret", signed once with
 * jwt.sign(payload, secret, { algorithm: 'HS256', noTimestamp: true }). Checked by hand outside node:
 *   printf 'accountId=STA-00000001&venue=VENUE1' | sha256sum            → 57bc2d34…2547b4 (the digest claim)
 *   printf '%s' '<header>.<payload>' | openssl dgst -sha256 -hmac vector-secret -binary | base64 | tr '+/' '-_' | tr -d '='
 *                                                                        → 5SAzRzClcicT8Oqx_3rnQCyn782QZUpeAFi1IqtPFEw
 * and the first two segments base64url-decode to {"alg":"HS256","typ":"JWT"} and the payload above.
 */
const VECTOR: Creds = { accountId: 'STA-00000001', secretKeyId: 'vector-key', secret: 'vector-secret' };
const VECTOR_QUERY = { accountId: 'STA-00000001', venue: 'VENUE1' };
const VECTOR_DIGEST = '57bc2d34101bb54dddcc705bd62e5970c261f151d4006dec81493e95652547b4';
const VECTOR_TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9' +
  '.eyJhY2NvdW50SWQiOiJTVEEtMDAwMDAwMDEiLCJzZWNyZXRLZXlJZCI6InZlY3Rvci1rZXkiLCJkaWdlc3QiOiI1N2JjMmQzNDEwMWJiNTRkZGRjYzcwNWJkNjJlNTk3MGMyNjFmMTUxZDQwMDZkZWM4MTQ5M2U5NTY1MjU0N2I0IiwiZXhwIjo0MTAyNDQ0ODAwfQ' +
  '.5SAzRzClcicT8Oqx_3rnQCyn782QZUpeAFi1IqtPFEw';

const code = (body: { error: { code: number } | null }): number | undefined => body.error?.code;

describe('Apifiny simulator authentication', () => {
  let sim: ApifinySimulator;
  beforeAll(async () => {
    sim = await startTestSimulator({
      accounts: [
        { accountId: ALICE.accountId, keys: [{ secretKeyId: ALICE.secretKeyId, secret: ALICE.secret }, { secretKeyId: VECTOR.secretKeyId, secret: VECTOR.secret }] },
        { accountId: BOB.accountId, keys: [{ secretKeyId: BOB.secretKeyId, secret: BOB.secret }] },
      ],
    });
  });
  afterAll(() => sim.close());

  it('signs the known vector exactly as computed by hand', () => {
    expect(sha256Hex('accountId=STA-00000001&venue=VENUE1')).toBe(VECTOR_DIGEST);
    const token = jwt.sign({ accountId: VECTOR.accountId, secretKeyId: VECTOR.secretKeyId, digest: VECTOR_DIGEST, exp: 4102444800 }, VECTOR.secret, {
      algorithm: 'HS256',
      noTimestamp: true,
    });
    expect(token).toBe(VECTOR_TOKEN);
    const [header, payload, signature] = VECTOR_TOKEN.split('.') as [string, string, string];
    expect(createHmac('sha256', VECTOR.secret).update(`${header}.${payload}`).digest('base64url')).toBe(signature);
  });

  it('accepts the known vector', async () => {
    const { body } = await signedGet(sim, '/account/queryAccountInfo', VECTOR_QUERY, VECTOR, VECTOR_TOKEN);
    expect(body.error).toBeNull();
    expect(body.result[0].accountId).toBe('STA-00000001');
  });

  it('rejects the vector with one character of its signature changed (Signature Error 2097162)', async () => {
    const i = VECTOR_TOKEN.length - 10;
    const tampered = VECTOR_TOKEN.slice(0, i) + (VECTOR_TOKEN[i] === 'A' ? 'B' : 'A') + VECTOR_TOKEN.slice(i + 1);
    const { body } = await signedGet(sim, '/account/queryAccountInfo', VECTOR_QUERY, VECTOR, tampered);
    expect(code(body)).toBe(2097162);
    expect(body.result).toBeNull();
  });

  it('rejects a signature whose last character was changed to another that decodes to the same bytes (2097162)', async () => {
    // 32 bytes take 43 base64url characters: the last one has 2 unused bits, so 4 characters decode alike
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(VECTOR_TOKEN.at(-1)!);
    const twin = VECTOR_TOKEN.slice(0, -1) + alphabet[last ^ 1];
    expect(Buffer.from(twin.split('.')[2]!, 'base64url')).toEqual(Buffer.from(VECTOR_TOKEN.split('.')[2]!, 'base64url'));
    const { body } = await signedGet(sim, '/account/queryAccountInfo', VECTOR_QUERY, VECTOR, twin);
    expect(code(body)).toBe(2097162);
  });

  it('rejects the vector for other parameters: the digest does not match (2097162)', async () => {
    const { body } = await signedGet(sim, '/asset/listBalance', { ...VECTOR_QUERY, extra: '1' }, VECTOR, VECTOR_TOKEN);
    expect(code(body)).toBe(2097162);
  });

  it('rejects an expired token (token error 196634)', async () => {
    const token = signToken(ALICE, sha256Hex(new URLSearchParams(VECTOR_QUERY).toString()), Math.floor(Date.now() / 1000) - 5);
    const { body } = await signedGet(sim, '/account/queryAccountInfo', VECTOR_QUERY, ALICE, token);
    expect(code(body)).toBe(196634);
  });

  it('reads an exp in milliseconds as the document’s stream example writes it', async () => {
    const token = signToken(ALICE, sha256Hex(new URLSearchParams(VECTOR_QUERY).toString()), Date.now() + 30_000);
    const { body } = await signedGet(sim, '/account/queryAccountInfo', VECTOR_QUERY, ALICE, token);
    expect(body.error).toBeNull();
  });

  it('rejects a missing signature header, an unknown account, an unknown key and another account’s parameters', async () => {
    expect(code((await signedGet(sim, '/account/queryAccountInfo', VECTOR_QUERY, ALICE, '')).body)).toBe(196634);
    const stranger = { ...ALICE, accountId: 'STA-00000099' };
    expect(code((await signedGet(sim, '/account/queryAccountInfo', { ...VECTOR_QUERY, accountId: stranger.accountId }, stranger)).body)).toBe(131115);
    const badKey = { ...ALICE, secretKeyId: 'nope' };
    expect(code((await signedGet(sim, '/account/queryAccountInfo', VECTOR_QUERY, badKey)).body)).toBe(2097163);
    const bobsKeyForAlice = { ...BOB, accountId: ALICE.accountId };
    expect(code((await signedGet(sim, '/account/queryAccountInfo', VECTOR_QUERY, bobsKeyForAlice)).body)).toBe(2097163);
    expect(code((await signedGet(sim, '/asset/listBalance', { accountId: BOB.accountId, venue: 'VENUE1' }, ALICE)).body)).toBe(2097163);
    const wrongSecret = { ...ALICE, secret: 'guess' };
    expect(code((await signedGet(sim, '/account/queryAccountInfo', VECTOR_QUERY, wrongSecret)).body)).toBe(2097162);
  });

  it('hashes a POST body as sent, and refuses a body that differs from the signed one', async () => {
    const body = { accountId: ALICE.accountId, venue: 'VENUE1', symbol: 'BTCUSD' };
    expect((await signedPost(sim, '/order/cancelAccountVenueAllOrder', body)).body.error).toBeNull();
    const token = signToken(ALICE, sha256Hex(JSON.stringify({ ...body, symbol: 'ETHUSD' })));
    expect(code((await signedPost(sim, '/order/cancelAccountVenueAllOrder', body, ALICE, token)).body)).toBe(2097162);
  });

  it('accepts a GET digest of the percent-decoded query string, as the official SDK computes it', async () => {
    const params = { accountId: ALICE.accountId, orderIdList: '1,2' };
    const token = signToken(ALICE, sha256Hex('accountId=STA-00000001&orderIdList=1,2'));
    const { body } = await signedGet(sim, '/order/listMultipleOrderInfo', params, ALICE, token);
    expect(body.error).toBeNull();
    expect(body.result).toEqual([]);
  });

  it('answers a venue other than its own with 131130', async () => {
    const { body } = await signedGet(sim, '/asset/listBalance', { accountId: ALICE.accountId, venue: 'VENUE2' });
    expect(code(body)).toBe(131130);
    const res = await fetch(sim.restBaseUrl.replace('/VENUE1', '/VENUE2') + '/utils/listSymbolInfo');
    expect(code((await res.json()) as { error: { code: number } })).toBe(131130);
  });

  it('opens user streams for a token without digest and refuses a bad or expired one with HTTP 401', async () => {
    const ok = await openProbe(sim.orderWsUrl, { headers: { signature: signToken(ALICE, undefined) } });
    ok.close();
    const expired = signToken(ALICE, undefined, Math.floor(Date.now() / 1000) - 1);
    await expect(openProbe(sim.assetWsUrl, { headers: { signature: expired } })).rejects.toMatchObject({ statusCode: 401 });
    await expect(openProbe(sim.orderWsUrl, { headers: { signature: signToken({ ...ALICE, secret: 'x' }, undefined) } })).rejects.toMatchObject({ statusCode: 401 });
    await expect(openProbe(sim.orderWsUrl)).rejects.toMatchObject({ statusCode: 401 });
  });
});
