import { afterEach, describe, expect, it } from 'vitest';
import { TtConfigError, parseTtConfig } from '../../../adapters/tt/config.js';
import { ConnectionRejectedError } from '../../../engine/net/errors.js';
import { DEMO_ACCOUNT } from '../../venues/tt/data.js';
import { appOf } from '../../venues/tt/sim-server.js';
import { answered, makeAdapter, startKit, type Kit } from './kit.js';

let kit: Kit | undefined;
afterEach(async () => {
  await kit?.close();
  kit = undefined;
});
const account = String(DEMO_ACCOUNT);

describe('TT adapter: tokens', () => {
  it('gets one token for concurrent first requests, with x-api-key, the form body and a requestId', async () => {
    kit = await startKit();
    const { adapter, sim } = kit;
    await Promise.all([adapter.accountLimits(account), adapter.positions(account), adapter.sod(account), adapter.connect()]);
    expect(adapter.tokenFetches).toBe(1);
    expect(answered(sim, /token$/)).toEqual(['200 POST /ttid/ext_uat_cert/token']);
    expect(sim.requests.every((r) => r.requestId !== null && /^enginetest-acme--[0-9a-f-]{36}$/.test(r.requestId))).toBe(true);
    // a fresh one for each request; a redirect's next hop carries the same query, so the same one
    expect(new Set(sim.requests.map((r) => r.requestId)).size).toBe(sim.requests.filter((r) => r.status !== 303).length);
    // nothing secret in the log: not the key, the secret, nor the token
    const app = appOf('ext_uat_cert', sim.apps);
    const logged = kit.lines.join('');
    expect(logged).toContain('new ttid token for ext_uat_cert');
    for (const secret of [app.key, app.secret, ...[...sim.ttid.tokens()]]) expect(logged).not.toContain(secret);
  });

  it('gets a new token before the current one expires (no 401 on the way)', async () => {
    kit = await startKit({ tokenTtlSeconds: 1 }, { tokenRefreshMarginMs: 60_000 });
    const { adapter, sim } = kit;
    await adapter.accountLimits(account);
    await new Promise((r) => setTimeout(r, 600)); // past half the lifetime: refreshed before use
    await adapter.accountLimits(account);
    expect(adapter.tokenFetches).toBe(2);
    expect(sim.requests.filter((r) => r.status === 401)).toEqual([]);
  });

  it('survives a token expiring mid-run: one 401, one new token shared by the requests in flight, the read completes', async () => {
    kit = await startKit({ pageSize: 2 });
    const { adapter, sim } = kit;
    await adapter.connect();
    await adapter.instruments(); // loaded: the next reads are positions only
    sim.faults.expireTokensAfter(2); // two pages in, the token is dead
    const reads = (await Promise.all([adapter.positions(account), adapter.positions(account), adapter.positions(account)]))
      .map((r) => r.map((p) => `${p.instrumentId} ${p.quantity}`));
    expect(reads[0]!.length).toBeGreaterThan(2); // several pages
    expect(reads[1]).toEqual(reads[0]);
    expect(reads[2]).toEqual(reads[0]);
    expect(sim.requests.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(1);
    expect(adapter.tokenFetches).toBe(2);
  });

  it('reports a refused secret as one clear error, with no retry storm and no secret in it', async () => {
    const secret = 'wrong-secret-5c1f';
    kit = await startKit({}, {}, { TT_APP_KEY: '6d1b3c2a-0f4e-4a8b-9c7d-2e5f1a3b4c5d', TT_APP_SECRET: secret });
    const { adapter, sim, lines } = kit;
    const error = await adapter.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionRejectedError);
    expect((error as Error).message).toMatch(/^tt: ttid refused the token request for ext_uat_cert \(HTTP 401: invalid application key or secret\); check TT_APP_KEY and TT_APP_SECRET/);
    const again = await Promise.all([adapter.instruments().catch((e: unknown) => e), adapter.fills(account).catch((e: unknown) => e)]);
    expect(again).toEqual([error, error]);
    expect(sim.requests).toHaveLength(1);
    const everything = `${(error as Error).message}\n${lines.join('')}\n${JSON.stringify(adapter.config)}`;
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain('6d1b3c2a-0f4e-4a8b-9c7d-2e5f1a3b4c5d');
  });

  it('refuses the key of the other environment (each environment has its own)', async () => {
    kit = await startKit({}, { environment: 'ext_prod_live' });
    await expect(kit.adapter.connect()).rejects.toThrow(/ext_prod_live \(HTTP 401/);
  });
});

describe('TT adapter: transport rules', () => {
  it('follows the 303 of the early routes and a chain of them, with its credentials', async () => {
    kit = await startKit();
    const { adapter, sim } = kit;
    await adapter.accounts();
    expect(answered(sim, /accounts$/)).toEqual(['303 GET /ttaccount/ext_uat_cert/accounts', '200 GET /edge/ttaccount/ext_uat_cert/accounts']);
    sim.faults.redirectChain(4);
    expect(Object.keys((await adapter.accountLimits(account)).maxOrderQty ?? {}).length).toBeGreaterThan(0);
    expect(answered(sim, /limits$/)).toEqual([
      '303 GET /ttaccount/ext_uat_cert/account/90001/limits', '303 GET /hop/3/ttaccount/ext_uat_cert/account/90001/limits',
      '303 GET /hop/2/ttaccount/ext_uat_cert/account/90001/limits', '303 GET /hop/1/ttaccount/ext_uat_cert/account/90001/limits',
      '200 GET /hop/0/ttaccount/ext_uat_cert/account/90001/limits',
    ]);
  });

  it('repeats a 413 with Accept-Encoding: gzip, and asks that resource with gzip from then on', async () => {
    kit = await startKit();
    const { adapter, sim } = kit;
    const fills = await adapter.fills(account);
    expect(fills).toHaveLength(sim.data.fills.get(DEMO_ACCOUNT)!.length);
    const ledger = sim.requests.filter((r) => r.path.endsWith('/fills'));
    expect(ledger.map((r) => `${r.status} ${r.gzip}`)).toEqual(['413 false', '200 true', '200 true', '200 true', '200 true']);
  });

  it('waits out a 429 for its Retry-After and completes, under one budget for every service', async () => {
    kit = await startKit({ rateLimit: { requests: 5, windowMs: 1000 }, pageSize: 2 }, { markets: ['CME'], products: ['ES'] });
    const { adapter, sim, lines } = kit;
    const started = performance.now();
    const [instruments, limits] = await Promise.all([adapter.instruments(), adapter.accountLimits(account)]);
    expect(instruments.map((i) => i.id)).toEqual(['ESZ6.TT', 'ESH7.TT', 'ESM7.TT', 'ESU7.TT']);
    expect(limits.maxOrderQty?.['ESH7.TT']).toBe(25);
    expect(sim.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_000); // Retry-After: 1
    expect(lines.some((l) => l.includes('rate limited (429), repeated after 1000 ms'))).toBe(true);
  });

  it('keeps its own budget: never more requests in any window than rateLimit allows', async () => {
    kit = await startKit({ pageSize: 1 }, { rateLimit: '3/300ms', markets: ['CME', 'NYMEX'] });
    const { adapter, sim } = kit;
    await adapter.instruments(['ES', 'CL']);
    const at = sim.requests.filter((r) => r.status !== 303).map((r) => r.at); // a redirect is answered before the budget counts
    expect(at.length).toBeGreaterThan(9);
    for (let i = 3; i < at.length; i++) expect(at[i]! - at[i - 3]!).toBeGreaterThanOrEqual(299);
    expect(sim.requests.filter((r) => r.status === 429)).toEqual([]);
  });

  it('gets a clear 403 for a path that is not lowercase (a baseUrl with capitals), sent once', async () => {
    kit = await startKit();
    const upper = makeAdapter(kit.sim, { baseUrl: `${kit.sim.baseUrl}/TTRest` });
    try {
      const error = await upper.connect().catch((e: unknown) => e as Error);
      expect(error).toBeInstanceOf(ConnectionRejectedError);
      expect((error as Error).message).toMatch(/HTTP 403: Forbidden\); TT answers 403 to a URL that is not all lowercase/);
      expect(answered(kit.sim)).toEqual(['403 POST /TTRest/ttid/ext_uat_cert/token']);
      await expect(upper.instruments()).rejects.toBe(error);
      expect(kit.sim.requests).toHaveLength(1);
    } finally {
      await upper.close();
    }
  });

  it('refuses a resource that is not lowercase before sending it', async () => {
    kit = await startKit();
    await expect(kit.adapter.sod('90001/X')).rejects.toThrow(/resource "sod\/90001\/X" is not lowercase/);
    expect(kit.sim.requests).toEqual([]);
  });
});

describe('TT adapter: config', () => {
  it('takes credentials from TT_APP_KEY and TT_APP_SECRET only, and names what is missing', () => {
    expect(() => parseTtConfig({}, {})).toThrow(TtConfigError);
    expect(() => parseTtConfig({}, {})).toThrow(/TT_APP_KEY is not set[\s\S]*TT_APP_SECRET is not set/);
    expect(() => parseTtConfig({ appKey: 'x' }, { TT_APP_KEY: 'k', TT_APP_SECRET: 's' })).toThrow(/unknown option "appKey"/);
  });

  it('refuses an unknown environment and a name that would blur the requestId', () => {
    const env = { TT_APP_KEY: 'k', TT_APP_SECRET: 's' };
    expect(() => parseTtConfig({ environment: 'uat' }, env)).toThrow(/environment must be ext_uat_cert or ext_prod_live, got "uat"/);
    expect(() => parseTtConfig({ appName: 'my-app' }, env)).toThrow(/appName must be letters, digits, _ or \. \(no "-"\)/);
  });

  it('accepts the secret as <key>:<secret> and never prints either', () => {
    const app = appOf('ext_uat_cert');
    const c = parseTtConfig({}, { TT_APP_KEY: app.key, TT_APP_SECRET: `${app.key}:${app.secret}` });
    expect(c.credentials.appSecret).toBe(app.secret);
    expect(JSON.stringify(c)).not.toContain(app.secret);
    expect(JSON.stringify(c)).not.toContain(app.key);
  });
});
