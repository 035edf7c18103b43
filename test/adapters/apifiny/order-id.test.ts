import { describe, expect, it } from 'vitest';
import { decodeOrderId, encodeOrderId } from '../../../adapters/apifiny/format.js';
import { parseApifinyConfig } from '../../../adapters/apifiny/config.js';
import { orderIdProblem } from '../../venues/apifiny/order-id.js';

const ACCOUNT = 'STA-00000001';
const NOW = 1_700_000_000_123;

describe('apifiny client order ids', () => {
  it('encodes a client order id as a valid Apifiny orderId and reads it back', () => {
    const id = encodeOrderId('mm-7-42', ACCOUNT, NOW)!;
    expect(id).toMatch(/^\d+$/);
    expect(id.length).toBeLessThanOrEqual(64);
    expect(orderIdProblem(id, ACCOUNT, NOW, 60_000)).toBeUndefined();
    expect(decodeOrderId(id, ACCOUNT)).toEqual({ kind: 'full', clientOrderId: 'mm-7-42' });
  });

  it('keeps strategy ids with dashes and large counters reversible', () => {
    const id = encodeOrderId('grid-bot-123456789-9876543210', ACCOUNT, NOW)!;
    expect(orderIdProblem(id, ACCOUNT, NOW, 60_000)).toBeUndefined();
    expect(decodeOrderId(id, ACCOUNT)).toEqual({ kind: 'full', clientOrderId: 'grid-bot-123456789-9876543210' });
  });

  it('falls back to a strategy hash when the strategy id is too long to spell out', () => {
    const long = 'a-very-long-strategy-name-that-does-not-fit';
    const id = encodeOrderId(`${long}-3-5`, ACCOUNT, NOW)!;
    expect(id.length).toBeLessThanOrEqual(64);
    expect(orderIdProblem(id, ACCOUNT, NOW, 60_000)).toBeUndefined();
    expect(decodeOrderId(id, ACCOUNT)).toMatchObject({ kind: 'hashed', run: 3, counter: 5 });
  });

  it('does not take a foreign or corrupted orderId for one of ours', () => {
    const id = encodeOrderId('mm-7-42', ACCOUNT, NOW)!;
    expect(decodeOrderId('000000011584603011942221', ACCOUNT)).toBeUndefined();
    expect(decodeOrderId(`${id.slice(0, -1)}${(Number(id.slice(-1)) + 1) % 10}`, ACCOUNT)).toBeUndefined();
    expect(decodeOrderId(id, 'STA-00000002')).toBeUndefined();
  });
});

describe('apifiny adapter config', () => {
  const options = { restBaseUrl: 'http://127.0.0.1:1/ac/v2/VENUE1', mdWsUrl: 'ws://127.0.0.1:1/md/ws/v1', userWsBaseUrl: 'ws://127.0.0.1:1/ac/ws/v2' };

  it('names a missing credential variable without printing the secret', () => {
    const env = { APIFINY_ACCOUNT_ID: 'STA-00000001', APIFINY_SECRET: 'top-secret-value' };
    expect(() => parseApifinyConfig(options, env)).toThrow(/APIFINY_KEY_ID/);
    try {
      parseApifinyConfig(options, env);
    } catch (e) {
      expect(String((e as Error).message)).not.toContain('top-secret-value');
    }
  });

  it('rejects bad options with readable messages', () => {
    const env = { APIFINY_ACCOUNT_ID: 'a', APIFINY_KEY_ID: 'k', APIFINY_SECRET: 's' };
    const bad = () => parseApifinyConfig({ ...options, mdWsUrl: 'http://x', rateLimit: 'fast', restConnections: 0.5, extra: 1 }, env);
    expect(bad).toThrow(/mdWsUrl must be a ws or wss url/);
    expect(bad).toThrow(/rateLimit: invalid rate limit "fast"/);
    expect(bad).toThrow(/unknown option "extra"/);
    expect(bad).toThrow(/restConnections must be a whole number ≥ 1, got 0.5/);
  });

  it('never serialises the secret', () => {
    const env = { APIFINY_ACCOUNT_ID: 'a', APIFINY_KEY_ID: 'k', APIFINY_SECRET: 'top-secret-value' };
    const c = parseApifinyConfig(options, env);
    expect(c.credentials.secret).toBe('top-secret-value');
    expect(JSON.stringify(c)).not.toContain('top-secret-value');
  });
});
