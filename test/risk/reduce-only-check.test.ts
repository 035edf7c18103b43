import { describe, expect, it } from 'vitest';
import { checkReduceOnly } from '../../engine/risk/index.js';
import { BTC, ctx, fakeEnv, NO_LIMITS, openOrder, submit } from './fake-env.js';

const long = (qty: number) => {
  const env = fakeEnv();
  env.positions.set(BTC.id, qty);
  return env;
};

describe('checkReduceOnly', () => {
  it('passes a reduce-only sell that reduces a long position', () => {
    const cmd = submit({ side: 'sell', quantity: 0.5, reduceOnly: true });
    expect(checkReduceOnly(cmd, long(1), NO_LIMITS, ctx())).toEqual({ ok: true, command: cmd });
  });

  it('passes a reduce-only buy that closes a short position exactly', () => {
    expect(checkReduceOnly(submit({ side: 'buy', quantity: 1, reduceOnly: true }), long(-1), NO_LIMITS, ctx()).ok).toBe(true);
  });

  it('denies a reduce-only order that would increase the position with REDUCE_ONLY', () => {
    expect(checkReduceOnly(submit({ side: 'buy', quantity: 0.5, reduceOnly: true }), long(1), NO_LIMITS, ctx())).toEqual({
      ok: false,
      code: 'REDUCE_ONLY',
      message: 'reduce-only buy 0.5 on BTCUSD.SIM would increase the long position 1',
    });
  });

  it('denies a reduce-only order when there is no position', () => {
    expect(checkReduceOnly(submit({ side: 'sell', reduceOnly: true }), fakeEnv(), NO_LIMITS, ctx())).toMatchObject({
      ok: false,
      code: 'REDUCE_ONLY',
      message: 'reduce-only sell 0.01 on BTCUSD.SIM has no position to reduce',
    });
  });

  it('denies a reduce-only order larger than the position (it would flip it)', () => {
    expect(checkReduceOnly(submit({ side: 'sell', quantity: 1.5, reduceOnly: true }), long(1), NO_LIMITS, ctx())).toEqual({
      ok: false,
      code: 'REDUCE_ONLY',
      message: 'reduce-only sell 1.5 on BTCUSD.SIM exceeds the 1 left to reduce of the long position 1',
    });
  });

  it('counts the leaves of the other open reduce-only orders on the same side, of any strategy', () => {
    const env = long(1);
    env.orders.push(openOrder({ strategyId: 'other', side: 'sell', reduceOnly: true, quantity: 0.8, filledQty: 0.2 }));
    env.orders.push(openOrder({ side: 'sell', reduceOnly: false, quantity: 5 })); // not reduce-only: not counted
    env.orders.push(openOrder({ side: 'buy', reduceOnly: true, quantity: 5 })); // other side: not counted
    expect(checkReduceOnly(submit({ side: 'sell', quantity: 0.4, reduceOnly: true }), env, NO_LIMITS, ctx()).ok).toBe(true);
    expect(checkReduceOnly(submit({ side: 'sell', quantity: 0.5, reduceOnly: true }), env, NO_LIMITS, ctx())).toEqual({
      ok: false,
      code: 'REDUCE_ONLY',
      message:
        'reduce-only sell 0.5 on BTCUSD.SIM exceeds the 0.4 left to reduce of the long position 1 ' +
        '(0.6 already held by other reduce-only orders)',
    });
  });

  it('judges a modified reduce-only order by its new leaves, not counting itself twice', () => {
    const env = long(1);
    const o = openOrder({ side: 'sell', reduceOnly: true, quantity: 0.6, filledQty: 0.2 });
    env.orders.push(o);
    const c = ctx(BTC, { modifying: o });
    // new total 1.2 → leaves 1.0 = the position
    expect(checkReduceOnly(submit({ clientOrderId: o.clientOrderId, side: 'sell', quantity: 1.2, reduceOnly: true }), env, NO_LIMITS, c).ok).toBe(true);
    expect(checkReduceOnly(submit({ clientOrderId: o.clientOrderId, side: 'sell', quantity: 1.3, reduceOnly: true }), env, NO_LIMITS, c).ok).toBe(false);
  });

  it('ignores orders that are not reduce-only', () => {
    expect(checkReduceOnly(submit({ side: 'buy', quantity: 5 }), long(1), NO_LIMITS, ctx()).ok).toBe(true);
  });
});
