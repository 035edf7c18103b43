import { describe, expect, it } from 'vitest';
import type { SubmitOrder } from '../../engine/model/commands.js';
import { checkPositionLimits, createRiskEngine, type RiskEngine } from '../../engine/risk/index.js';
import { BTC, ctx, fakeEnv, marketOrder, modify, openOrder, submit, type FakeEnv } from './fake-env.js';

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

  it('never denies an order that reduces |position| without flipping it, even above the limit', () => {
    const env = at(3);
    env.orders.push(openOrder({ side: 'sell', quantity: 0.5 })); // 3 - 0.5 - 1 = 1.5 > 1, still long
    env.orders.push(openOrder({ side: 'buy', quantity: 10 })); // other side: not counted
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

  it('denies a sell that flips past the limit once the open sells are counted, even though it reduces |position| alone', () => {
    const env = at(3);
    env.orders.push(openOrder({ side: 'sell', quantity: 10 }));
    expect(checkPositionLimits(submit({ side: 'sell', quantity: 1 }), env, maxQty, ctx())).toEqual({
      ok: false,
      code: 'POSITION_LIMIT',
      message: 'projected position -8 (position 3, this sell 1, open sells 10) exceeds the limit 1 for BTCUSD.SIM',
    });
  });

  it('passes an exit above the limit while the open orders on its side keep the position on the same side', () => {
    const env = at(5);
    env.orders.push(openOrder({ side: 'sell', quantity: 1 }));
    // 5 - 1 - 2 = 2: still above the limit 1, but it only shrinks the long
    expect(checkPositionLimits(submit({ side: 'sell', quantity: 2 }), env, maxQty, ctx()).ok).toBe(true);
    // 5 - 1 - 4 = 0: flat
    expect(checkPositionLimits(submit({ side: 'sell', quantity: 4 }), env, maxQty, ctx()).ok).toBe(true);
    // 5 - 1 - 5 = -1: flipped, but within the limit
    expect(checkPositionLimits(submit({ side: 'sell', quantity: 5 }), env, maxQty, ctx()).ok).toBe(true);
    // 5 - 1 - 5.5 = -1.5: flipped past the limit, although |-1.5| < 5
    expect(checkPositionLimits(submit({ side: 'sell', quantity: 5.5 }), env, maxQty, ctx())).toMatchObject({
      code: 'POSITION_LIMIT',
    });
  });

  it('denies a price-only modify that lifts the projected position notional above maxPositionNotional', () => {
    const limits = { maxPositionNotional: { '*': 1000 } };
    const env = at(0);
    const o = openOrder({ side: 'buy', quantity: 9, price: 100 });
    env.orders.push(o);
    const c = ctx(BTC, { modifying: o });
    expect(checkPositionLimits(submit({ clientOrderId: o.clientOrderId, quantity: 9, price: 150 }), env, limits, c)).toEqual({
      ok: false,
      code: 'POSITION_NOTIONAL_LIMIT',
      message:
        'projected position notional 1350 (9 at 150, repriced from 100; position 0, this buy 0, open buys 9) exceeds ' +
        'the limit 1000 for BTCUSD.SIM',
    });
    // a lower price, or a higher one that still fits, passes
    expect(checkPositionLimits(submit({ clientOrderId: o.clientOrderId, quantity: 9, price: 90 }), env, limits, c).ok).toBe(true);
    expect(checkPositionLimits(submit({ clientOrderId: o.clientOrderId, quantity: 9, price: 111 }), env, limits, c).ok).toBe(true);
    // a repriced order that also shrinks is valued at its new quantity: 7 × 140 = 980
    expect(checkPositionLimits(submit({ clientOrderId: o.clientOrderId, quantity: 7, price: 140 }), env, limits, c).ok).toBe(true);
    // a price-only modify never trips the quantity limit (only an increase of quantity counts there)
    expect(
      checkPositionLimits(submit({ clientOrderId: o.clientOrderId, quantity: 9, price: 150 }), at(5), maxQty, c).ok,
    ).toBe(true);
  });
});

/** Through the engine: every approved order rests (is added to env.orders), as the execution engine would do. */
describe('position limits through createRiskEngine, with the approved orders resting', () => {
  const rest = (engine: RiskEngine, env: FakeEnv, cmd: SubmitOrder): boolean => {
    const v = engine.checkSubmit(cmd);
    if (v.ok) {
      const { quantity, side, price } = v.command;
      env.orders.push(openOrder({ clientOrderId: cmd.clientOrderId, side, quantity, ...(price !== undefined ? { price } : {}) }));
    }
    return v.ok;
  };

  it('does not let stacked sells flip a long 1 past maxPositionQty 1', () => {
    const env = at(1);
    env.mids.set(BTC.id, 100);
    const engine = createRiskEngine({ maxPositionQty: { '*': 1 } }, env);
    const approved = [1, 2, 3, 4, 5].map(() => rest(engine, env, submit({ side: 'sell', quantity: 1.5, price: 100 })));
    // the first takes the position to -0.5 at worst; every further one would take it past -1
    expect(approved).toEqual([true, false, false, false, false]);
  });

  it('still lets a single sell take long 1 to flat, or to a short within the limit', () => {
    const env = at(1);
    const engine = createRiskEngine({ maxPositionQty: { '*': 1 } }, env);
    expect(engine.checkSubmit(submit({ side: 'sell', quantity: 1, price: 100 })).ok).toBe(true);
    expect(engine.checkSubmit(submit({ side: 'sell', quantity: 2, price: 100 })).ok).toBe(true);
    expect(engine.checkSubmit(submit({ side: 'sell', quantity: 2.1, price: 100 }))).toMatchObject({ code: 'POSITION_LIMIT' });
  });

  it('denies a modify that raises the price of 9 @ 100 to 150 over a 1000 notional limit, as it denies 9 @ 150', () => {
    const env = at(0);
    env.mids.set(BTC.id, 100);
    const engine = createRiskEngine({ maxPositionNotional: { '*': 1000 } }, env);
    expect(engine.checkSubmit(submit({ quantity: 9, price: 150 }))).toMatchObject({ code: 'POSITION_NOTIONAL_LIMIT' });
    const id = submit().clientOrderId;
    expect(rest(engine, env, submit({ clientOrderId: id, quantity: 9, price: 100 }))).toBe(true);
    const o = env.orders.find((x) => x.clientOrderId === id)!;
    expect(engine.checkModify(modify(o, { price: 150 }))).toMatchObject({ code: 'POSITION_NOTIONAL_LIMIT' });
    expect(engine.checkModify(modify(o, { price: 110 })).ok).toBe(true);
  });
});
