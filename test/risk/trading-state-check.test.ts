import { describe, expect, it } from 'vitest';
import { checkReducing, checkTradingState, createRiskEngine } from '../../engine/risk/index.js';
import { BTC, ctx, fakeEnv, modify, NO_LIMITS, openOrder, submit } from './fake-env.js';

describe('checkTradingState (the kill switch)', () => {
  it('denies a submit while HALTED with TRADING_HALTED', () => {
    expect(checkTradingState(submit(), 'HALTED')).toEqual({
      ok: false,
      code: 'TRADING_HALTED',
      message: 'trading is halted: new buy order on BTCUSD.SIM denied',
    });
  });

  it('denies a modify while HALTED and names the order', () => {
    const o = openOrder({ clientOrderId: 's1-1-7' });
    const v = checkTradingState(modify(o, { price: 49_000 }), 'HALTED');
    expect(v).toMatchObject({ ok: false, code: 'TRADING_HALTED' });
    expect(!v.ok && v.message).toBe('trading is halted: modify of order s1-1-7 on BTCUSD.SIM denied');
  });

  it('lets a submit through while ACTIVE or REDUCING (REDUCING is judged after the quantity checks)', () => {
    const cmd = submit();
    expect(checkTradingState(cmd, 'ACTIVE')).toEqual({ ok: true, command: cmd });
    expect(checkTradingState(cmd, 'REDUCING')).toEqual({ ok: true, command: cmd });
  });
});

describe('checkReducing', () => {
  const reducing = ctx(BTC, { state: 'REDUCING' });

  it('allows a sell that reduces a long position', () => {
    const env = fakeEnv();
    env.positions.set(BTC.id, 1);
    const cmd = submit({ side: 'sell', quantity: 0.4 });
    expect(checkReducing(cmd, env, NO_LIMITS, reducing)).toEqual({ ok: true, command: cmd });
  });

  it('allows a sell that exactly closes a long position', () => {
    const env = fakeEnv();
    env.positions.set(BTC.id, 1);
    expect(checkReducing(submit({ side: 'sell', quantity: 1 }), env, NO_LIMITS, reducing).ok).toBe(true);
  });

  it('allows a buy that reduces a short position', () => {
    const env = fakeEnv();
    env.positions.set(BTC.id, -0.5);
    expect(checkReducing(submit({ side: 'buy', quantity: 0.5 }), env, NO_LIMITS, reducing).ok).toBe(true);
  });

  it('denies a sell that would flip a long position into a short', () => {
    const env = fakeEnv();
    env.positions.set(BTC.id, 1);
    expect(checkReducing(submit({ side: 'sell', quantity: 1.5 }), env, NO_LIMITS, reducing)).toEqual({
      ok: false,
      code: 'TRADING_REDUCING',
      message: 'trading is reducing: sell 1.5 on BTCUSD.SIM would flip the long position 1',
    });
  });

  it('denies a buy that would increase a long position', () => {
    const env = fakeEnv();
    env.positions.set(BTC.id, 1);
    const v = checkReducing(submit({ side: 'buy', quantity: 0.1 }), env, NO_LIMITS, reducing);
    expect(v).toMatchObject({ ok: false, code: 'TRADING_REDUCING' });
    expect(!v.ok && v.message).toBe('trading is reducing: buy 0.1 on BTCUSD.SIM would increase the long position 1');
  });

  it('denies any order when flat, since it would open a position', () => {
    const v = checkReducing(submit({ side: 'sell' }), fakeEnv(), NO_LIMITS, reducing);
    expect(v).toMatchObject({ ok: false, code: 'TRADING_REDUCING', message: expect.stringContaining('would open a position') });
  });

  it('lets anything through while ACTIVE', () => {
    expect(checkReducing(submit({ quantity: 5 }), fakeEnv(), NO_LIMITS, ctx()).ok).toBe(true);
  });

  it('allows a modify that only shrinks an order, whatever its side', () => {
    const env = fakeEnv();
    env.positions.set(BTC.id, 1);
    const o = openOrder({ side: 'buy', quantity: 0.5 });
    const draft = submit({ clientOrderId: o.clientOrderId, side: 'buy', quantity: 0.2, price: 50_000 });
    expect(checkReducing(draft, env, NO_LIMITS, ctx(BTC, { state: 'REDUCING', modifying: o })).ok).toBe(true);
  });

  it('judges a modified reducing order by its new leaves', () => {
    const env = fakeEnv();
    env.positions.set(BTC.id, 1);
    const o = openOrder({ side: 'sell', quantity: 1, filledQty: 0.6 });
    const c = ctx(BTC, { state: 'REDUCING', modifying: o });
    // new total 1.5, leaves 0.9 ≤ 1: still reducing
    expect(checkReducing(submit({ side: 'sell', quantity: 1.5 }), env, NO_LIMITS, c).ok).toBe(true);
    // new total 1.7, leaves 1.1 > 1: would flip
    expect(checkReducing(submit({ side: 'sell', quantity: 1.7 }), env, NO_LIMITS, c)).toMatchObject({
      ok: false,
      code: 'TRADING_REDUCING',
    });
  });

  it('counts the leaves of the open orders on the reducing side, of any strategy, so that they cannot flip together', () => {
    const env = fakeEnv();
    env.positions.set(BTC.id, 1);
    env.orders.push(openOrder({ strategyId: 'other', side: 'sell', quantity: 0.8, filledQty: 0.2 })); // leaves 0.6
    env.orders.push(openOrder({ side: 'buy', quantity: 5 })); // other side: not counted
    expect(checkReducing(submit({ side: 'sell', quantity: 0.4 }), env, NO_LIMITS, reducing).ok).toBe(true);
    expect(checkReducing(submit({ side: 'sell', quantity: 0.5 }), env, NO_LIMITS, reducing)).toEqual({
      ok: false,
      code: 'TRADING_REDUCING',
      message:
        'trading is reducing: sell 0.5 on BTCUSD.SIM would flip the long position 1 (only 0.4 left to reduce, ' +
        '0.6 held by open sells)',
    });
  });

  it('does not count a modified order twice: its new leaves replace its current ones', () => {
    const env = fakeEnv();
    env.positions.set(BTC.id, 1);
    const o = openOrder({ side: 'sell', quantity: 0.5 });
    env.orders.push(o, openOrder({ side: 'sell', quantity: 0.3 }));
    const c = ctx(BTC, { state: 'REDUCING', modifying: o });
    expect(checkReducing(submit({ clientOrderId: o.clientOrderId, side: 'sell', quantity: 0.7 }), env, NO_LIMITS, c).ok).toBe(true);
    expect(checkReducing(submit({ clientOrderId: o.clientOrderId, side: 'sell', quantity: 0.8 }), env, NO_LIMITS, c)).toMatchObject({
      code: 'TRADING_REDUCING',
    });
  });

  it('through the engine: long 1 and REDUCING, three resting sells of 1 cannot all pass', () => {
    const env = fakeEnv();
    env.positions.set(BTC.id, 1);
    env.mids.set(BTC.id, 100);
    const engine = createRiskEngine({}, env, { initialState: 'REDUCING' });
    const approved = [1, 2, 3].map(() => {
      const cmd = submit({ side: 'sell', quantity: 1, price: 100 });
      const v = engine.checkSubmit(cmd);
      if (v.ok) env.orders.push(openOrder({ clientOrderId: cmd.clientOrderId, side: 'sell', quantity: 1, price: 100 }));
      return v.ok;
    });
    expect(approved).toEqual([true, false, false]);
  });
});
