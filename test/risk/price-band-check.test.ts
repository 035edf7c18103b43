import { describe, expect, it } from 'vitest';
import { checkPriceBand } from '../../engine/risk/index.js';
import { BTC, ctx, fakeEnv, marketOrder, openOrder, submit } from './fake-env.js';

const band = { priceBandPct: 5 };
const withMid = (mid: number) => {
  const env = fakeEnv();
  env.mids.set(BTC.id, mid);
  return env;
};

describe('checkPriceBand', () => {
  it('passes a limit price inside the band', () => {
    const cmd = submit({ price: 51_000 });
    expect(checkPriceBand(cmd, withMid(50_000), band, ctx())).toEqual({ ok: true, command: cmd });
  });

  it('passes a limit price exactly on the band edge, on either side', () => {
    expect(checkPriceBand(submit({ price: 52_500 }), withMid(50_000), band, ctx()).ok).toBe(true);
    expect(checkPriceBand(submit({ side: 'sell', price: 47_500 }), withMid(50_000), band, ctx()).ok).toBe(true);
  });

  it('does not let float residue push a price on the edge outside the band', () => {
    // 100.1 - 100 is 0.09999999999999432 in floats; the band is 0.1 %.
    expect(checkPriceBand(submit({ price: 100.1 }), withMid(100), { priceBandPct: 0.1 }, ctx()).ok).toBe(true);
  });

  it('denies a limit price more than the band away from the last mid with PRICE_BAND', () => {
    expect(checkPriceBand(submit({ price: 55_000 }), withMid(50_000), band, ctx())).toEqual({
      ok: false,
      code: 'PRICE_BAND',
      message: 'limit buy price 55000 is 10% away from the last mid 50000 for BTCUSD.SIM, beyond the 5% band',
    });
    expect(checkPriceBand(submit({ side: 'sell', price: 40_000 }), withMid(50_000), band, ctx())).toMatchObject({
      code: 'PRICE_BAND',
    });
  });

  it('skips market orders, a missing mid and an unconfigured band', () => {
    expect(checkPriceBand(marketOrder(), withMid(50_000), band, ctx()).ok).toBe(true);
    expect(checkPriceBand(submit({ price: 99_000 }), fakeEnv(), band, ctx()).ok).toBe(true);
    expect(checkPriceBand(submit({ price: 99_000 }), withMid(50_000), {}, ctx()).ok).toBe(true);
  });

  it('skips a modify that leaves the price unchanged, but checks a new price', () => {
    const o = openOrder({ price: 60_000 });
    const env = withMid(50_000);
    expect(checkPriceBand(submit({ price: 60_000, quantity: 0.02 }), env, band, ctx(BTC, { modifying: o })).ok).toBe(true);
    expect(checkPriceBand(submit({ price: 59_000 }), env, band, ctx(BTC, { modifying: o })).ok).toBe(false);
  });
});
