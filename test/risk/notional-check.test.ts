import { describe, expect, it } from 'vitest';
import { defineInstrument } from '../../engine/model/instrument.js';
import { checkNotional } from '../../engine/risk/index.js';
import { BTC, ctx, fakeEnv, marketOrder, NO_LIMITS, submit } from './fake-env.js';

describe('checkNotional', () => {
  it('passes an order whose notional is within the limits', () => {
    const cmd = submit({ quantity: 0.01, price: 50_000 }); // 500
    expect(checkNotional(cmd, fakeEnv(), NO_LIMITS, ctx())).toEqual({ ok: true, command: cmd });
  });

  it('denies a buy whose notional is below the instrument minimum with NOTIONAL_BELOW_MIN', () => {
    expect(checkNotional(submit({ quantity: 0.0001, price: 50_000 }), fakeEnv(), NO_LIMITS, ctx())).toEqual({
      ok: false,
      code: 'NOTIONAL_BELOW_MIN',
      message: 'notional 5 is below the minimum 10 for BTCUSD.SIM',
    });
  });

  it('passes a notional exactly at the minimum', () => {
    expect(checkNotional(submit({ quantity: 0.0001, price: 100_000 }), fakeEnv(), NO_LIMITS, ctx()).ok).toBe(true);
  });

  it('denies a buy whose notional exceeds the per-order maximum with NOTIONAL_ABOVE_MAX', () => {
    const v = checkNotional(submit({ quantity: 0.0002, price: 52_500 }), fakeEnv(), { maxNotional: { 'BTCUSD.SIM': 10 } }, ctx());
    expect(v).toEqual({
      ok: false,
      code: 'NOTIONAL_ABOVE_MAX',
      message: 'notional 10.5 exceeds the per-order maximum 10 for BTCUSD.SIM',
    });
  });

  it('passes a notional exactly at the per-order maximum', () => {
    const v = checkNotional(submit({ quantity: 0.0002, price: 50_000 }), fakeEnv(), { maxNotional: { '*': 10 } }, ctx());
    expect(v.ok).toBe(true);
  });

  it('does not let float residue flip a notional that sits exactly on the limit', () => {
    // price 0.1 × quantity 3 is 0.30000000000000004 in floats; the limit is 0.3.
    const cheap = defineInstrument({ ...BTC, id: 'CHEAP.SIM', tickSize: 0.1, stepSize: 1, minNotional: 0.3, maxNotional: 0.3 });
    expect(checkNotional(submit({ quantity: 3, price: 0.1 }), fakeEnv(), NO_LIMITS, ctx(cheap)).ok).toBe(true);
    // A last mid of 0.1 + 0.2 (0.30000000000000004) × 100 against a maximum of 30.
    const env = fakeEnv();
    env.mids.set(BTC.id, 0.1 + 0.2);
    expect(checkNotional(marketOrder({ quantity: 100 }), env, { maxNotional: { '*': 30 }, minNotional: { '*': 30 } }, ctx()).ok).toBe(true);
  });

  it('applies the stricter of the instrument minimum and the configured one', () => {
    const v = checkNotional(submit({ quantity: 0.0003, price: 50_000 }), fakeEnv(), { minNotional: { '*': 20 } }, ctx());
    expect(v).toMatchObject({ ok: false, code: 'NOTIONAL_BELOW_MIN', message: 'notional 15 is below the minimum 20 for BTCUSD.SIM' });
  });

  it('values a market order at the last mid', () => {
    const env = fakeEnv();
    env.mids.set(BTC.id, 40_000);
    expect(checkNotional(marketOrder({ quantity: 0.0002 }), env, NO_LIMITS, ctx())).toEqual({
      ok: false,
      code: 'NOTIONAL_BELOW_MIN',
      message: 'notional 8 (at the last mid 40000) is below the minimum 10 for BTCUSD.SIM',
    });
    expect(checkNotional(marketOrder({ quantity: 0.0003 }), env, NO_LIMITS, ctx()).ok).toBe(true);
  });

  it('skips the notional checks of a market order when there is no last mid', () => {
    expect(checkNotional(marketOrder({ quantity: 0.0001 }), fakeEnv(), NO_LIMITS, ctx()).ok).toBe(true);
  });

  it('multiplies by the contract size', () => {
    const perp = defineInstrument({ ...BTC, id: 'PERP.SIM', contractSize: 0.001, minNotional: undefined, maxNotional: 100 });
    // 2 contracts × 60000 × 0.001 = 120
    expect(checkNotional(submit({ quantity: 2, price: 60_000 }), fakeEnv(), NO_LIMITS, ctx(perp))).toMatchObject({
      ok: false,
      message: 'notional 120 exceeds the per-order maximum 100 for PERP.SIM',
    });
  });
});
