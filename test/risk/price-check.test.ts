import { describe, expect, it } from 'vitest';
import { defineInstrument } from '../../engine/model/instrument.js';
import { checkPrice } from '../../engine/risk/index.js';
import { BTC, ctx, ETH, fakeEnv, marketOrder, NO_LIMITS, submit } from './fake-env.js';

const env = fakeEnv();

describe('checkPrice', () => {
  it('passes a price on the tick unchanged', () => {
    const cmd = submit({ price: 50_000.01 });
    expect(checkPrice(cmd, env, NO_LIMITS, ctx())).toEqual({ ok: true, command: cmd });
  });

  it('rounds an off-tick buy price down to the tick', () => {
    const v = checkPrice(submit({ side: 'buy', price: 50_000.017 }), env, { pricePolicy: 'round' }, ctx());
    expect(v.ok && v.command.price).toBe(50_000.01);
  });

  it('rounds an off-tick sell price up to the tick', () => {
    const v = checkPrice(submit({ side: 'sell', price: 50_000.011 }), env, { pricePolicy: 'round' }, ctx());
    expect(v.ok && v.command.price).toBe(50_000.02);
  });

  it('rounds by default when no policy is configured', () => {
    const v = checkPrice(submit({ side: 'buy', price: 101.37 }), env, NO_LIMITS, ctx(ETH));
    expect(v.ok && v.command.price).toBe(101.35);
  });

  it('denies an off-tick price with PRICE_OFF_TICK under the reject policy', () => {
    expect(checkPrice(submit({ price: 50_000.017 }), env, { pricePolicy: 'reject' }, ctx())).toEqual({
      ok: false,
      code: 'PRICE_OFF_TICK',
      message: 'price 50000.017 is not on the tick 0.01 for BTCUSD.SIM',
    });
  });

  it('snaps a price on the tick up to float residue (0.1 + 0.2) to the exact value, even under reject', () => {
    const tenth = defineInstrument({ ...BTC, id: 'X.SIM', tickSize: 0.1 });
    const v = checkPrice(submit({ price: 0.1 + 0.2 }), env, { pricePolicy: 'reject' }, ctx(tenth));
    expect(v.ok && v.command.price).toBe(0.3);
  });

  it('denies a buy price that rounds down to zero with INVALID_PRICE', () => {
    expect(checkPrice(submit({ price: 0.004 }), env, NO_LIMITS, ctx())).toEqual({
      ok: false,
      code: 'INVALID_PRICE',
      message: 'price 0.004 rounds to 0 at the tick 0.01 for BTCUSD.SIM',
    });
  });

  it('denies a price below the instrument minimum with PRICE_BELOW_MIN', () => {
    expect(checkPrice(submit({ price: 0.5, instrumentId: ETH.id }), env, NO_LIMITS, ctx(ETH))).toEqual({
      ok: false,
      code: 'PRICE_BELOW_MIN',
      message: 'price 0.5 is below the minimum 1 for ETHUSD.ALT',
    });
  });

  it('denies a price above the instrument maximum with PRICE_ABOVE_MAX, judging the rounded price', () => {
    const v = checkPrice(submit({ side: 'sell', price: 100_000.01 }), env, NO_LIMITS, ctx(ETH));
    expect(v).toEqual({
      ok: false,
      code: 'PRICE_ABOVE_MAX',
      message: 'price 100000.05 (rounded from 100000.01) exceeds the maximum 100000 for ETHUSD.ALT',
    });
  });

  it('passes a price exactly at the instrument bounds', () => {
    expect(checkPrice(submit({ price: 1 }), env, NO_LIMITS, ctx(ETH)).ok).toBe(true);
    expect(checkPrice(submit({ price: 100_000 }), env, NO_LIMITS, ctx(ETH)).ok).toBe(true);
  });

  it('leaves a market order alone', () => {
    const cmd = marketOrder();
    expect(checkPrice(cmd, env, { pricePolicy: 'reject' }, ctx())).toEqual({ ok: true, command: cmd });
  });
});
