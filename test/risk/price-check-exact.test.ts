/** The price check at sizes where a float tolerance used to decide: rounding stays side-aware, or the order is denied. */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { defineInstrument } from '../../engine/model/instrument.js';
import { checkPrice } from '../../engine/risk/index.js';
import { BTC, ctx, fakeEnv, NO_LIMITS, submit } from './fake-env.js';

const env = fakeEnv();
/** A tick of 5: a price of 15 digits is 1.5e14 ticks. */
const COARSE = defineInstrument({ ...BTC, id: 'COARSE.SIM', tickSize: 5 });
const ticks = (price: number, side: 'buy' | 'sell'): number => {
  const q = new Decimal(price).div(5);
  return (side === 'buy' ? q.floor() : q.ceil()).times(5).toNumber();
};

describe('checkPrice beyond 1e14 ticks', () => {
  it('rounds a sell price up to the tick, not to the nearer line below it', () => {
    const asked = 750_000_000_000_001; // 1.5e14 ticks and a fifth
    const v = checkPrice(submit({ side: 'sell', price: asked }), env, NO_LIMITS, ctx(COARSE));
    expect(v.ok && v.command.price).toBe(ticks(asked, 'sell'));
    expect(v.ok && v.command.price).toBeGreaterThan(asked);
  });

  it('rounds a buy price down to the tick, not to the nearer line above it', () => {
    const asked = 750_000_000_000_004;
    const v = checkPrice(submit({ side: 'buy', price: asked }), env, NO_LIMITS, ctx(COARSE));
    expect(v.ok && v.command.price).toBe(ticks(asked, 'buy'));
    expect(v.ok && v.command.price).toBeLessThan(asked);
  });

  it('denies a price beyond the exact range of its tick with INVALID_PRICE and says why, under either policy', () => {
    for (const pricePolicy of ['round', 'reject'] as const) {
      const v = checkPrice(submit({ price: 1e300 }), env, { pricePolicy }, ctx());
      expect(v).toMatchObject({ ok: false, code: 'INVALID_PRICE' });
      expect(!v.ok && v.message).toBe('price 1e+300 is beyond the exact range of the tick 0.01 for BTCUSD.SIM (more ticks or digits than a number carries exactly)');
    }
  });
});
