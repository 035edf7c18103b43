import { afterEach, describe, expect, it } from 'vitest';
import { Secret } from 'otpauth';
import type { TickTraderAdapter } from '../../../adapters/ticktrader/index.js';
import { ConnectionRejectedError } from '../../../engine/net/errors.js';
import type { TickTraderSimulator } from '../../venues/ticktrader/sim-server.js';
import { demoAccount, startTestSimulator } from '../../venues/ticktrader/test-client.js';
import { sleep, waitFor } from '../session-kit.js';
import { INSTRUMENT, captureLog, envOf, makeAdapter } from './helpers.js';

describe('TickTrader adapter authentication', () => {
  const plain = demoAccount();
  const twoFactor = demoAccount({ twoFactor: true });
  let sim: TickTraderSimulator | undefined;
  const adapters: TickTraderAdapter[] = [];
  afterEach(async () => {
    for (const a of adapters.splice(0)) await a.close().catch(() => undefined);
    await sim?.close();
  });
  const start = async () => (sim = await startTestSimulator({ accounts: [plain, twoFactor] }));
  const failure = async (a: TickTraderAdapter): Promise<Error> => {
    adapters.push(a);
    const e: unknown = await a.connect().then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(ConnectionRejectedError);
    return e as Error;
  };
  const secretsOf = (acc: typeof plain) => [acc.secret, acc.webApiKey, acc.webApiId, ...(acc.totpSecret ? [acc.totpSecret] : [])];

  it('a bad signature gives the venue error in a clear engine error, one Login, no retry, no credential in logs', async () => {
    const s = await start();
    const { log, lines } = captureLog();
    const e = await failure(makeAdapter(s, plain, { log, env: envOf({ ...plain, secret: 'wrong-secret-123456' }) }));
    expect(e.message).toMatch(/refused the login credentials.*Invalid signature/);
    await sleep(1_500);
    expect(s.requests.get('Login')).toBe(1);
    expect(s.connections).toBe(1);
    for (const secret of [...secretsOf(plain), 'wrong-secret-123456']) {
      expect(e.message).not.toContain(secret);
      expect(lines.join('')).not.toContain(secret);
    }
  });

  it('logs in with a TOTP one-time password from TICKTRADER_TOTP_SECRET', async () => {
    const s = await start();
    const { log, lines } = captureLog();
    const a = makeAdapter(s, twoFactor, { log });
    adapters.push(a);
    await a.connect();
    expect(s.requests.get('TwoFactor')).toBe(1);
    expect((await a.instruments()).length).toBeGreaterThan(0);
    for (const secret of secretsOf(twoFactor)) expect(lines.join('')).not.toContain(secret);
  });

  it('a bad one-time password gives the venue text in a clear engine error, without a retry', async () => {
    const s = await start();
    const e = await failure(makeAdapter(s, twoFactor, { env: envOf({ ...twoFactor, totpSecret: new Secret({ size: 20 }).base32 }) }));
    expect(e.message).toMatch(/refused the one-time password.*Invalid one-time password!/);
    await sleep(1_000);
    expect(s.requests.get('Login')).toBe(1);
    expect(s.requests.get('TwoFactor')).toBe(1);
  });

  it('refuses to go on when the account asks for two-factor and no TOTP secret is set', async () => {
    const s = await start();
    const { TICKTRADER_TOTP_SECRET: _, ...env } = envOf(twoFactor);
    const e = await failure(makeAdapter(s, twoFactor, { env }));
    expect(e.message).toMatch(/two-factor.*TICKTRADER_TOTP_SECRET/);
    expect(s.requests.get('TwoFactor') ?? 0).toBe(0);
  });

  it('resumes the two-factor token after a reconnect instead of sending a new one-time password', async () => {
    const s = await start();
    const a = makeAdapter(s, twoFactor);
    adapters.push(a);
    await a.connect();
    const quotes: unknown[] = [];
    a.marketData.ticks$.subscribe((t) => quotes.push(t));
    a.marketData.subscribe(INSTRUMENT, ['quote']);
    s.faults.dropConnections();
    await waitFor(() => (s.requests.get('Login') ?? 0) === 2, 4_000, 'a second login');
    quotes.length = 0;
    await waitFor(() => (s.market.moveTo('EURUSD', 1.131), quotes.length > 0), 3_000, 'a quote after the reconnect');
    expect(s.requests.get('TwoFactor')).toBe(2);
    expect(s.requests.get('TwoFactor(resume)')).toBe(1);
  });
});
