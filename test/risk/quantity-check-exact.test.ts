/** The quantity check where a float tolerance used to decide: truncation stays downward, or the order is denied. */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { defineInstrument } from '../../engine/model/instrument.js';
import { checkQuantity } from '../../engine/risk/index.js';
import { BTC, ctx, fakeEnv, NO_LIMITS, submit } from './fake-env.js';

const env = fakeEnv();
const WHOLE = defineInstrument({ ...BTC, id: 'WHOLE.SIM', stepSize: 1, minQty: undefined });
const FIVES = defineInstrument({ ...BTC, id: 'FIVES.SIM', stepSize: 5, minQty: undefined });

describe('checkQuantity at the edges of exactness', () => {
  it('denies 0.9999999999 on a step of 1 as QTY_ZERO instead of snapping it up to 1', () => {
    expect(checkQuantity(submit({ quantity: 0.999_999_999_9 }), env, NO_LIMITS, ctx(WHOLE))).toMatchObject({ ok: false, code: 'QTY_ZERO' });
  });

  it('truncates a quantity of 1.5e14 steps down to the step, not up to the nearer one', () => {
    const asked = 750_000_000_000_004;
    const v = checkQuantity(submit({ quantity: asked }), env, NO_LIMITS, ctx(FIVES));
    expect(v.ok && v.command.quantity).toBe(new Decimal(asked).div(5).floor().times(5).toNumber());
    expect(v.ok && v.command.quantity).toBeLessThan(asked);
  });

  it('denies a quantity beyond the exact range of its step with QTY_ABOVE_MAX and says why', () => {
    expect(checkQuantity(submit({ quantity: 1e300 }), env, NO_LIMITS, ctx())).toEqual({
      ok: false,
      code: 'QTY_ABOVE_MAX',
      message: 'quantity 1e+300 is beyond the exact range of the step 0.0001 for BTCUSD.SIM (more steps or digits than a number carries exactly)',
    });
  });
});
