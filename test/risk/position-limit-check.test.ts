import { describe, expect, it } from 'vitest';
import { checkPositionLimits } from '../../engine/risk/index.js';
import { BTC, ctx, fakeEnv, marketOrder, openOrder, submit } from './fake-env.js';

const maxQty = { maxPositionQty: { 'BTCUSD.SIM': 1 } };
const at = (pos: number) => {
  const env = fakeEnv();
  env.positions.set(BTC.id, pos);
  return env;
};

describe('checkPositionLimits', () => {
  it('passes an order whose projected position stays within the limit', () => {
    const cmd = submit({ quantity: 0.3 });
    expect(checkPositionLimits(cmd, at(0.5), maxQty, ctx())).toEqual({ ok: true, command: cmd });
  });

  it('passes an order that brings the projected position exactly to the limit', () => {
    expect(checkPositionLimits(submit({ quantity: 0.7 }), at(0.3), maxQty, ctx()).ok).toBe(true);
    // 0.1 + 0.2 style: 0.7 + 0.3 is exactly 1 with exact arithmetic
    expect(checkPositionLimits(submit({ quantity: 0.1 }), at(0.9), maxQty, ctx()).ok).toBe(true);
  });

  it('denies a buy whose projected position exceeds maxPositionQty with POSITION_LIMIT', () => {
    expect(checkPositionLimits(submit({ quantity: 0.6 }), at(0.5), maxQty, ctx())).toEqual({
      ok: false,
      code: 'POSITION_LIMIT',
      message: 'projected position 1.1 (position 0.5, this buy 0.6, open buys 0) exceeds the limit 1 for BTCUSD.SIM',
    });
  });

  it('denies a sell whose projected short exceeds the limit (absolute value)', () => {
    expect(checkPositionLimits(submit({ side: 'sell', quantity: 1.2 }), at(0), maxQty, ctx())).toMatchObject({
      ok: false,
      code: 'POSITION_LIMIT',
    });
  });

  it('counts the leaves of open orders on the same side from every strategy (worst case)', () => {
    const env = at(0.2);
    env.orders.push(openOrder({ strategyId: 'other', side: 'buy', quantity: 0.5, filledQty: 0.1 })); // leaves 0.4
    env.orders.push(openOrder({ side: 'sell', quantity: 3 })); // other side: does not offset
    expect(checkPositionLimits(submit({ quantity: 0.4 }), env, maxQty, ctx()).ok).toBe(true);
    expect(checkPositionLimits(submit({ quantity: 0.5 }), env, maxQty, ctx())).toEqual({
      ok: false,
      code: 'POSITION_LIMIT',
      message: 'projected position 1.1 (position 0.2, this buy 0.5, open buys 0.4) exceeds the limit 1 for BTCUSD.SIM',
    });
  });

  it('never denies an order that reduces |position|, even above the limit', () => {
    const env = at(3);
    env.orders.push(openOrder({ side: 'sell', quantity: 10 }));
    expect(checkPositionLimits(submit({ side: 'sell', quantity: 1 }), env, maxQty, ctx()).ok).toBe(true);
  });

  it('uses the "*" default for instruments without their own limit', () => {
    expect(checkPositionLimits(submit({ quantity: 2 }), at(0), { maxPositionQty: { '*': 1 } }, ctx()).ok).toBe(false);
    expect(checkPositionLimits(submit({ quantity: 2 }), at(0), { maxPositionQty: { 'OTHER.SIM': 1 } }, ctx()).ok).toBe(true);
  });

  it('denies a projected position notional above maxPositionNotional with POSITION_NOTIONAL_LIMIT', () => {
    const limits = { maxPositionNotional: { '*': 50_000 } };
    expect(checkPositionLimits(submit({ quantity: 0.5, price: 50_000 }), at(0.5), limits, ctx()).ok).toBe(true); // exactly 50000
    expect(checkPositionLimits(submit({ quantity: 0.6, price: 50_000 }), at(0.5), limits, ctx())).toEqual({
      ok: false,
      code: 'POSITION_NOTIONAL_LIMIT',
      message:
        'projected position notional 55000 (1.1 at 50000; position 0.5, this buy 0.6, open buys 0) exceeds the ' +
        'limit 50000 for BTCUSD.SIM',
    });
  });

  it('values a market order position at the last mid, and skips the notional limit without one', () => {
    const limits = { maxPositionNotional: { '*': 50_000 } };
    const env = at(0);
    expect(checkPositionLimits(marketOrder({ quantity: 2 }), env, limits, ctx()).ok).toBe(true);
    env.mids.set(BTC.id, 30_000);
    expect(checkPositionLimits(marketOrder({ quantity: 2 }), env, limits, ctx())).toMatchObject({
      code: 'POSITION_NOTIONAL_LIMIT',
    });
  });

  it('counts only the increase of quantity for a modify', () => {
    const env = at(0.5);
    const o = openOrder({ side: 'buy', quantity: 0.4 });
    env.orders.push(o);
    const c = ctx(BTC, { modifying: o });
    // 0.5 + 0.4 leaves + 0.1 increase = 1
    expect(checkPositionLimits(submit({ clientOrderId: o.clientOrderId, quantity: 0.5 }), env, maxQty, c).ok).toBe(true);
    expect(checkPositionLimits(submit({ clientOrderId: o.clientOrderId, quantity: 0.6 }), env, maxQty, c)).toMatchObject({
      code: 'POSITION_LIMIT',
      message: 'projected position 1.1 (position 0.5, this buy 0.2, open buys 0.4) exceeds the limit 1 for BTCUSD.SIM',
    });
    // a decrease always passes, even when already over the limit
    expect(checkPositionLimits(submit({ clientOrderId: o.clientOrderId, quantity: 0.3 }), at(5), maxQty, c).ok).toBe(true);
  });

  it('does not count a submit twice when the engine already tracks it as an open order', () => {
    const env = at(0.5);
    const cmd = submit({ quantity: 0.5 });
    env.orders.push(openOrder({ clientOrderId: cmd.clientOrderId, quantity: 0.5, status: 'INITIALIZED' }));
    expect(checkPositionLimits(cmd, env, maxQty, ctx()).ok).toBe(true);
  });
});
