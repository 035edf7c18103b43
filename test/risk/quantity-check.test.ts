import { describe, expect, it } from 'vitest';
import { defineInstrument } from '../../engine/model/instrument.js';
import { checkQuantity } from '../../engine/risk/index.js';
import { BTC, ctx, ETH, fakeEnv, NO_LIMITS, openOrder, submit } from './fake-env.js';

const env = fakeEnv();
/** minQty 0.001 on a 0.0001 step: a quantity can be on the step and still below the minimum. */
const FINE = defineInstrument({ ...BTC, id: 'FINE.SIM', stepSize: 0.0001, minQty: 0.001 });

describe('checkQuantity', () => {
  it('passes a quantity on the step unchanged', () => {
    const cmd = submit({ quantity: 0.0123 });
    expect(checkQuantity(cmd, env, NO_LIMITS, ctx())).toEqual({ ok: true, command: cmd });
  });

  it('truncates an off-step quantity down to the step, for a buy and a sell alike', () => {
    for (const side of ['buy', 'sell'] as const) {
      const v = checkQuantity(submit({ side, quantity: 0.012_39 }), env, { qtyPolicy: 'truncate' }, ctx());
      expect(v.ok && v.command.quantity).toBe(0.0123);
    }
  });

  it('truncates 0.1 + 0.2 to 0.3 and 0.7 - 0.1 to 0.6 on a 0.1 step (float residue is not eaten)', () => {
    const a = checkQuantity(submit({ quantity: 0.1 + 0.2 }), env, NO_LIMITS, ctx(ETH));
    const b = checkQuantity(submit({ quantity: 0.7 - 0.1 }), env, NO_LIMITS, ctx(ETH));
    expect(a.ok && a.command.quantity).toBe(0.3);
    expect(b.ok && b.command.quantity).toBe(0.6);
    expect(a.ok && String(a.command.quantity)).toBe('0.3');
  });

  it('accepts 0.1 + 0.2 as on the step under the reject policy', () => {
    const v = checkQuantity(submit({ quantity: 0.1 + 0.2 }), env, { qtyPolicy: 'reject' }, ctx(ETH));
    expect(v.ok && v.command.quantity).toBe(0.3);
  });

  it('denies an off-step quantity with QTY_OFF_STEP under the reject policy', () => {
    expect(checkQuantity(submit({ quantity: 0.000_15 }), env, { qtyPolicy: 'reject' }, ctx())).toEqual({
      ok: false,
      code: 'QTY_OFF_STEP',
      message: 'quantity 0.00015 is not a multiple of the step 0.0001 for BTCUSD.SIM',
    });
  });

  it('denies a quantity that truncates to zero with QTY_ZERO', () => {
    expect(checkQuantity(submit({ quantity: 0.000_05 }), env, NO_LIMITS, ctx())).toEqual({
      ok: false,
      code: 'QTY_ZERO',
      message: 'quantity 0.00005 truncates to zero at the step 0.0001 for BTCUSD.SIM',
    });
  });

  it('denies a quantity below the instrument minimum with QTY_BELOW_MIN', () => {
    expect(checkQuantity(submit({ quantity: 0.0005 }), env, NO_LIMITS, ctx(FINE))).toEqual({
      ok: false,
      code: 'QTY_BELOW_MIN',
      message: 'quantity 0.0005 is below the minimum 0.001 for FINE.SIM',
    });
  });

  it('judges the minimum on the truncated quantity and says so', () => {
    const v = checkQuantity(submit({ quantity: 0.000_99 }), env, NO_LIMITS, ctx(FINE));
    expect(v).toMatchObject({
      code: 'QTY_BELOW_MIN',
      message: 'quantity 0.0009 (truncated from 0.00099) is below the minimum 0.001 for FINE.SIM',
    });
  });

  it('passes a quantity exactly at the minimum and at the maximum', () => {
    expect(checkQuantity(submit({ quantity: 0.001 }), env, NO_LIMITS, ctx(FINE)).ok).toBe(true);
    expect(checkQuantity(submit({ quantity: 100 }), env, NO_LIMITS, ctx(ETH)).ok).toBe(true);
  });

  it('denies a quantity above the instrument maximum with QTY_ABOVE_MAX', () => {
    expect(checkQuantity(submit({ quantity: 100.1 }), env, NO_LIMITS, ctx(ETH))).toEqual({
      ok: false,
      code: 'QTY_ABOVE_MAX',
      message: 'quantity 100.1 exceeds the per-order maximum 100 for ETHUSD.ALT',
    });
  });

  it('denies a quantity above the configured maxOrderQty for the instrument, or the "*" default', () => {
    const own = checkQuantity(submit({ quantity: 2 }), env, { maxOrderQty: { 'BTCUSD.SIM': 1, '*': 5 } }, ctx());
    expect(own).toEqual({
      ok: false,
      code: 'QTY_ABOVE_MAX',
      message: 'quantity 2 exceeds the per-order maximum 1 for BTCUSD.SIM',
    });
    expect(checkQuantity(submit({ quantity: 6 }), env, { maxOrderQty: { '*': 5 } }, ctx()).ok).toBe(false);
    expect(checkQuantity(submit({ quantity: 5 }), env, { maxOrderQty: { '*': 5 } }, ctx()).ok).toBe(true);
  });

  it('applies the stricter of the instrument maximum and the configured one', () => {
    expect(checkQuantity(submit({ quantity: 60 }), env, { maxOrderQty: { '*': 50 } }, ctx(ETH)).ok).toBe(false);
    expect(checkQuantity(submit({ quantity: 150 }), env, { maxOrderQty: { '*': 500 } }, ctx(ETH)).ok).toBe(false);
  });

  it('denies a modify whose new quantity is not above what has already filled', () => {
    const o = openOrder({ quantity: 1, filledQty: 0.4, status: 'PARTIALLY_FILLED' });
    const v = checkQuantity(submit({ quantity: 0.4 }), env, NO_LIMITS, ctx(BTC, { modifying: o }));
    expect(v).toMatchObject({ ok: false, code: 'INVALID_INTENT' });
    expect(!v.ok && v.message).toBe(`quantity 0.4 is not above the 0.4 already filled on order ${o.clientOrderId}`);
    expect(checkQuantity(submit({ quantity: 0.5 }), env, NO_LIMITS, ctx(BTC, { modifying: o })).ok).toBe(true);
  });
});
