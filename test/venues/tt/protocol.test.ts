import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appOf, startTtSimulator, type TtSimulator } from './sim-server.js';
import { get, newRequestId, raw, token, withId } from './test-client.js';

let sim: TtSimulator;
beforeEach(async () => {
  sim = await startTtSimulator();
});
afterEach(() => sim.close());

const uat = () => appOf('ext_uat_cert', sim.apps);
const tokenRequest = (env: string, key: string, appKey: string, requestId = newRequestId()) =>
  raw(sim.baseUrl, 'POST', `/ttid/${env}/token?requestId=${requestId}`, {
    headers: { 'x-api-key': key, 'content-type': 'application/x-www-form-urlencoded' },
    body: `grant_type=user_app&app_key=${appKey}`,
  });

describe('TT simulator: ttid tokens', () => {
  it('issues a bearer token for the form grant_type=user_app&app_key=<key>:<secret> with x-api-key, echoing the requestId', async () => {
    const id = newRequestId();
    const r = await tokenRequest('ext_uat_cert', uat().key, `${uat().key}:${uat().secret}`, id);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 'Ok', requestId: id, token_type: 'bearer', seconds_until_expiry: 3600 });
    expect(typeof r.json.access_token).toBe('string');
  });

  it('refuses a wrong secret with 401 and a message', async () => {
    const r = await tokenRequest('ext_uat_cert', uat().key, `${uat().key}:not-the-secret`);
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ status: 'Failed', message: 'invalid application key or secret' });
  });

  it('keeps separate keys per environment: the UAT key is refused on ext_prod_live, and a UAT token there', async () => {
    expect((await tokenRequest('ext_prod_live', uat().key, `${uat().key}:${uat().secret}`)).status).toBe(401);
    const live = appOf('ext_prod_live', sim.apps);
    expect((await tokenRequest('ext_prod_live', live.key, `${live.key}:${live.secret}`)).status).toBe(200);
    const uatToken = await token(sim, 'ext_uat_cert');
    const r = await raw(sim.baseUrl, 'GET', withId('/ttpds/ext_prod_live/instruments?productId=1070611938517431617'), {
      headers: { 'x-api-key': live.key, authorization: `Bearer ${uatToken}` },
    });
    expect(r).toMatchObject({ status: 401, json: { message: 'invalid token' } });
  });

  it('refuses a request without a token, and one whose token expired', async () => {
    const noToken = await raw(sim.baseUrl, 'GET', withId('/ttledger/ext_uat_cert/fills?accountId=90001'), { headers: { 'x-api-key': uat().key } });
    expect(noToken).toMatchObject({ status: 401, json: { message: 'missing bearer token' } });
    const t = await token(sim);
    expect((await get(sim, '/ttaccount/ext_uat_cert/account/90001/limits', { bearer: t })).status).toBe(200);
    sim.faults.expireTokens();
    expect(await get(sim, '/ttaccount/ext_uat_cert/account/90001/limits', { bearer: t })).toMatchObject({ status: 401, json: { message: 'token expired' } });
  });

  it('lets a token expire after seconds_until_expiry', async () => {
    sim.faults.setTokenTtl(1);
    const t = await token(sim);
    expect((await get(sim, '/ttaccount/ext_uat_cert/account/90001/limits', { bearer: t })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_050));
    expect((await get(sim, '/ttaccount/ext_uat_cert/account/90001/limits', { bearer: t })).status).toBe(401);
  });
});

describe('TT simulator: request rules', () => {
  it('answers 400 to a request without a requestId, or one not shaped <app>-<company>--<guid>', async () => {
    const t = await token(sim);
    const headers = { 'x-api-key': uat().key, authorization: `Bearer ${t}` };
    expect((await raw(sim.baseUrl, 'GET', '/ttaccount/ext_uat_cert/account/90001/limits', { headers })).status).toBe(400);
    expect((await raw(sim.baseUrl, 'GET', '/ttaccount/ext_uat_cert/account/90001/limits?requestId=abc', { headers })).status).toBe(400);
  });

  it('answers 403 to a path with an uppercase letter, whatever else is right', async () => {
    const t = await token(sim);
    const headers = { 'x-api-key': uat().key, authorization: `Bearer ${t}` };
    expect((await raw(sim.baseUrl, 'GET', withId('/TTaccount/ext_uat_cert/account/90001/limits'), { headers })).status).toBe(403);
    expect((await raw(sim.baseUrl, 'GET', withId('/ttaccount/EXT_UAT_CERT/account/90001/limits'), { headers })).status).toBe(403);
    expect((await raw(sim.baseUrl, 'GET', withId('/ttaccount/ext_uat_cert/account/90001/limits'), { headers })).status).toBe(200);
  });

  it('answers 404 to an unknown environment or service', async () => {
    expect((await raw(sim.baseUrl, 'GET', withId('/ttpds/ext_demo/markets'))).status).toBe(404);
    expect((await raw(sim.baseUrl, 'GET', withId('/ttfoo/ext_uat_cert/x'))).status).toBe(404);
  });

  it('redirects the early routes with a 303 to /edge/…, keeping the query', async () => {
    const r = await get(sim, '/ttpds/ext_uat_cert/markets');
    expect(r.status).toBe(303);
    expect(r.headers.location).toMatch(/^\/edge\/ttpds\/ext_uat_cert\/markets\?requestId=/);
    const t = await token(sim);
    const there = await raw(sim.baseUrl, 'GET', r.headers.location as string, { headers: { 'x-api-key': uat().key, authorization: `Bearer ${t}` } });
    expect(there.status).toBe(200);
    expect((there.json.markets as unknown[]).length).toBeGreaterThan(1);
  });

  it('sends the next GET through a chain of n 303s when asked', async () => {
    sim.faults.redirectChain(3);
    const t = await token(sim);
    const headers = { 'x-api-key': uat().key, authorization: `Bearer ${t}` };
    let path = withId('/ttaccount/ext_uat_cert/account/90001/limits');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await raw(sim.baseUrl, 'GET', path, { headers });
      statuses.push(r.status);
      if (r.status !== 303) break;
      path = r.headers.location as string;
    }
    expect(statuses).toEqual([303, 303, 303, 200]);
  });

  it('answers 413 to a large listing unless gzip is accepted, then sends it gzip-encoded', async () => {
    const plain = await get(sim, '/ttledger/ext_uat_cert/fills?accountId=90001');
    expect(plain).toMatchObject({ status: 413, json: { status: 'Failed' } });
    const zipped = await get(sim, '/ttledger/ext_uat_cert/fills?accountId=90001', { gzip: true });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect((zipped.json.fills as unknown[]).length).toBe(500);
    // a small answer is sent plain
    expect((await get(sim, '/ttaccount/ext_uat_cert/account/90001/limits')).headers['content-encoding']).toBeUndefined();
  });

  it('answers 429 with Retry-After in seconds once a key made more requests than its window allows', async () => {
    sim.faults.setRateLimit(3, 1000);
    const t = await token(sim); // counts as one
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await get(sim, '/ttaccount/ext_uat_cert/account/90001/limits', { bearer: t }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
    expect(answers[2]!.headers['retry-after']).toBe('1');
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await get(sim, '/ttaccount/ext_uat_cert/account/90001/limits', { bearer: t })).status).toBe(200);
  });
});
