import { describe, expect, it } from 'vitest';
import { checkOpenOrders } from '../../engine/risk/index.js';
import { ctx, fakeEnv, openOrder, submit } from './fake-env.js';

describe('checkOpenOrders', () => {
  it('passes a submit while the strategy has fewer open orders than the maximum', () => {
    const env = fakeEnv();
    env.orders.push(openOrder());
    const cmd = submit();
    expect(checkOpenOrders(cmd, env, { maxOpenOrders: 2 }, ctx())).toEqual({ ok: true, command: cmd });
  });

  it('denies a submit when the strategy is at the maximum with MAX_OPEN_ORDERS', () => {
    const env = fakeEnv();
    env.orders.push(openOrder(), openOrder({ instrumentId: 'ETHUSD.ALT' }));
    expect(checkOpenOrders(submit(), env, { maxOpenOrders: 2 }, ctx())).toEqual({
      ok: false,
      code: 'MAX_OPEN_ORDERS',
      message: 'strategy s1 has 2 open orders, the maximum is 2',
    });
  });

  it('counts only the orders of the submitting strategy', () => {
    const env = fakeEnv();
    env.orders.push(openOrder({ strategyId: 'other' }), openOrder({ strategyId: 'other' }));
    expect(checkOpenOrders(submit(), env, { maxOpenOrders: 2 }, ctx()).ok).toBe(true);
  });

  it('does not apply to a modify, which opens no order', () => {
    const env = fakeEnv();
    const o = openOrder();
    env.orders.push(o, openOrder());
    expect(checkOpenOrders(submit({ clientOrderId: o.clientOrderId }), env, { maxOpenOrders: 2 }, ctx(undefined, { modifying: o })).ok).toBe(true);
  });

  it('denies every submit when the maximum is zero', () => {
    expect(checkOpenOrders(submit(), fakeEnv(), { maxOpenOrders: 0 }, ctx()).ok).toBe(false);
  });
});
