import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { otpFor } from './auth.js';
import type { TickTraderSimulator } from './sim-server.js';
import { connectRaw, demoAccount, startTestSimulator, type RawClient } from './test-client.js';

describe('TickTrader simulator login', () => {
  const plain = demoAccount();
  const twoFactor = demoAccount({ twoFactor: true });
  let sim: TickTraderSimulator;
  let c: RawClient;
  beforeEach(async () => {
    sim = await startTestSimulator({ accounts: [plain, twoFactor], twoFactorTtlMs: 60_000 });
    c = await connectRaw(sim.url);
  });
  afterEach(async () => {
    c.close();
    await sim.close();
  });

  it('accepts an HMAC-SHA256 Base64 signature over timestamp + id + key', async () => {
    const r = await c.login(plain);
    expect(r).toMatchObject({ Response: 'Login', Result: { Info: 'ok', TwoFactorFlag: false } });
    expect(await c.request('SessionInfo')).toMatchObject({ Response: 'SessionInfo', Result: { TradeAllowed: false } });
  });

  it('refuses a signature made with the wrong secret with the Error envelope', async () => {
    const r = await c.login(plain, { secret: 'not-the-secret' });
    expect(r).toMatchObject({ Response: 'Error', Error: 'Invalid signature' });
    expect(await c.request('Symbols')).toMatchObject({ Response: 'Error', Error: 'Session is not logged in' });
  });

  it('refuses an unknown id or key, a wrong AuthType and a timestamp outside the window', async () => {
    expect(await c.login({ ...plain, webApiKey: 'nope' })).toMatchObject({ Response: 'Error', Error: 'Invalid Web API Id or Web API Key' });
    expect(await c.login(plain, { timestamp: Date.now() - 120_000 })).toMatchObject({ Response: 'Error', Error: /timestamp/ });
    expect(await c.request('Login', { AuthType: 'Basic' })).toMatchObject({ Response: 'Error', Error: /AuthType/ });
  });

  it('answers malformed and unknown requests with errors', async () => {
    c.send({ Id: 'x' });
    expect(await c.next((f) => f.Id === 'x')).toMatchObject({ Response: 'Error' });
    await c.login(plain);
    expect(await c.request('Nope')).toMatchObject({ Response: 'Error', Error: 'Unsupported request: Nope' });
    expect(await c.login(plain)).toMatchObject({ Response: 'Error', Error: /already logged in/ });
  });

  it('asks for a one-time password, refuses a wrong one and accepts the current TOTP', async () => {
    const from = c.frames.length;
    expect(await c.login(twoFactor)).toMatchObject({ Result: { TwoFactorFlag: true } });
    await c.next((f) => f.Response === 'TwoFactor' && (f.Result as { Info?: string }).Info === 'Two-factor authentication is required.', 2_000, from);
    expect(await c.request('Symbols')).toMatchObject({ Response: 'Error', Error: 'Two-factor authentication is required' });
    expect(await c.request('TwoFactor', { OneTimePassword: '000000' === otpFor(twoFactor.totpSecret!, Date.now()) ? '111111' : '000000' }))
      .toMatchObject({ Response: 'TwoFactor', Result: { Info: 'Invalid one-time password!' } });
    const ok = await c.request('TwoFactor', { OneTimePassword: otpFor(twoFactor.totpSecret!, Date.now()) });
    expect(ok).toMatchObject({ Response: 'TwoFactor', Result: { Info: 'Success' } });
    expect((ok.Result as { ExpireTime: number }).ExpireTime).toBeGreaterThan(Date.now());
    expect(await c.request('SessionInfo')).toMatchObject({ Response: 'SessionInfo' });
  });

  it('resumes a two-factor token on a new connection of the same device, not on another', async () => {
    await c.ready(twoFactor);
    const again = await connectRaw(sim.url);
    const other = await connectRaw(sim.url);
    try {
      await again.login(twoFactor);
      expect(await again.request('TwoFactor')).toMatchObject({ Result: { Info: 'Success' } });
      await other.login(twoFactor, { deviceId: 'elsewhere' });
      expect(await other.request('TwoFactor')).toMatchObject({ Result: { Info: /expired/ } });
    } finally {
      again.close();
      other.close();
    }
  });
});
