import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CancelOrder } from '../../engine/model/commands.js';
import { CHECK_ORDER, createRiskEngine, type RiskLimits } from '../../engine/risk/index.js';
import { BTC, ETH, fakeEnv, marketOrder, modify, openOrder, submit } from './fake-env.js';

const cancel = (over: Partial<CancelOrder> = {}): CancelOrder => ({
  kind: 'CancelOrder',
  clientOrderId: 's1-1-1',
  strategyId: 's1',
  instrumentId: BTC.id,
  tsInit: 0,
  ...over,
});

describe('createRiskEngine', () => {
  it('approves a valid submit unchanged', () => {
    const engine = createRiskEngine({}, fakeEnv());
    const cmd = submit();
    expect(engine.checkSubmit(cmd)).toEqual({ ok: true, command: cmd });
  });

  it('returns the adjusted command: a buy rounded down, a sell rounded up, the quantity truncated', () => {
    const engine = createRiskEngine({ pricePolicy: 'round', qtyPolicy: 'truncate' }, fakeEnv());
    const buy = engine.checkSubmit(submit({ side: 'buy', price: 50_000.019, quantity: 0.012_39 }));
    const sell = engine.checkSubmit(submit({ side: 'sell', price: 50_000.011, quantity: 0.012_39 }));
    expect(buy.ok && [buy.command.price, buy.command.quantity]).toEqual([50_000.01, 0.0123]);
    expect(sell.ok && [sell.command.price, sell.command.quantity]).toEqual([50_000.02, 0.0123]);
  });

  it('denies an unknown instrument with UNKNOWN_INSTRUMENT', () => {
    expect(createRiskEngine({}, fakeEnv()).checkSubmit(submit({ instrumentId: 'DOGEUSD.SIM' }))).toEqual({
      ok: false,
      code: 'UNKNOWN_INSTRUMENT',
      message: 'unknown instrument DOGEUSD.SIM',
    });
  });

  it('throws on a malformed config, such as a bad rate spec', () => {
    expect(() => createRiskEngine({ rateLimits: { perStrategy: '20/x' } }, fakeEnv())).toThrow(/invalid rate limit "20\/x"/);
    expect(() => createRiskEngine({}, fakeEnv(), { initialState: 'PAUSED' as never })).toThrow(/unknown trading state/);
  });

  it('refuses a per-instrument limit keyed by an instrument the engine does not know, naming every one', () => {
    const env = fakeEnv();
    const limits: RiskLimits = { maxPositionQty: { 'BTCUSD.SlM': 1 }, maxNotional: { 'BTC-USD.SIM': 10, '*': 5 } };
    expect(() => createRiskEngine(limits, env, { instrumentIds: [...env.instruments.keys()] })).toThrow(
      'invalid risk limits: ' +
        'maxNotional["BTC-USD.SIM"] is not a configured instrument (known: BTCUSD.SIM, ETHUSD.ALT; use "*" for all); ' +
        'maxPositionQty["BTCUSD.SlM"] is not a configured instrument (known: BTCUSD.SIM, ETHUSD.ALT; use "*" for all)',
    );
  });

  it('accepts limits keyed by known instruments or "*", and checks no keys when not given the instrument ids', () => {
    const env = fakeEnv();
    const ids = [...env.instruments.keys()];
    const limits: RiskLimits = { maxPositionQty: { 'BTCUSD.SIM': 1, '*': 2 }, minNotional: { 'ETHUSD.ALT': 5 } };
    expect(() => createRiskEngine(limits, env, { instrumentIds: ids })).not.toThrow();
    expect(() => createRiskEngine({ maxPositionQty: { 'BTCUSD.SlM': 1 } }, env)).not.toThrow();
  });

  it('documents its check order', () => {
    expect(CHECK_ORDER[0]).toBe('tradingState');
    expect(CHECK_ORDER.at(-1)).toBe('rateLimit');
  });
});

describe('the check order', () => {
  it('lets HALTED win over a bad price', () => {
    const engine = createRiskEngine({}, fakeEnv(), { initialState: 'HALTED' });
    expect(engine.checkSubmit(submit({ price: -1 }))).toMatchObject({ code: 'TRADING_HALTED' });
  });

  it('checks the shape of an order before looking up its instrument', () => {
    const engine = createRiskEngine({}, fakeEnv());
    expect(engine.checkSubmit(submit({ instrumentId: 'NOPE.SIM', quantity: 0 }))).toMatchObject({ code: 'QTY_ZERO' });
  });

  it('checks the price grid before the quantity, and the quantity before the notional', () => {
    const engine = createRiskEngine({ pricePolicy: 'reject', qtyPolicy: 'reject' }, fakeEnv());
    expect(engine.checkSubmit(submit({ price: 50_000.001, quantity: 0.000_01 }))).toMatchObject({ code: 'PRICE_OFF_TICK' });
    expect(engine.checkSubmit(submit({ price: 50_000, quantity: 0.000_01 }))).toMatchObject({ code: 'QTY_OFF_STEP' });
  });

  it('judges the notional on the truncated quantity', () => {
    // 0.00029 truncates to 0.0002: 0.0002 × 40000 = 8 < 10, although 0.00029 × 40000 = 11.6
    const engine = createRiskEngine({}, fakeEnv());
    expect(engine.checkSubmit(submit({ price: 40_000, quantity: 0.000_29 }))).toMatchObject({ code: 'NOTIONAL_BELOW_MIN' });
  });

  it('checks the price band before the position limits', () => {
    const env = fakeEnv();
    env.mids.set(BTC.id, 50_000);
    const engine = createRiskEngine({ priceBandPct: 5, maxPositionQty: { '*': 0.001 } }, env);
    expect(engine.checkSubmit(submit({ price: 60_000 }))).toMatchObject({ code: 'PRICE_BAND' });
    expect(engine.checkSubmit(submit({ price: 50_000 }))).toMatchObject({ code: 'POSITION_LIMIT' });
  });

  it('checks the rate limit last, so a denied order takes no room in it', () => {
    const engine = createRiskEngine({ rateLimits: { perVenue: { SIM: '1/1s' } }, maxPositionQty: { '*': 1 } }, fakeEnv());
    expect(engine.checkSubmit(submit({ quantity: 2 }))).toMatchObject({ code: 'POSITION_LIMIT' });
    expect(engine.checkSubmit(submit({ price: 0 }))).toMatchObject({ code: 'INVALID_PRICE' });
    expect(engine.checkSubmit(submit()).ok).toBe(true); // the one place is still free
    expect(engine.checkSubmit(submit())).toEqual({
      ok: false,
      code: 'RATE_LIMITED',
      message: 'venue SIM rate limit 1/1s exceeded',
    });
  });
});

describe('rate limiting through the engine', () => {
  it('denies over the limit, does not queue, and has room again one window later on the injected clock', () => {
    const env = fakeEnv();
    const engine = createRiskEngine({ rateLimits: { perVenue: { SIM: '2/1s' }, perStrategy: '10/1s' } }, env);
    expect(engine.checkSubmit(submit()).ok).toBe(true);
    expect(engine.checkSubmit(submit()).ok).toBe(true);
    expect(engine.checkSubmit(submit())).toMatchObject({ code: 'RATE_LIMITED' });
    env.t += 999;
    expect(engine.checkSubmit(submit())).toMatchObject({ code: 'RATE_LIMITED' });
    env.t += 1;
    expect(engine.checkSubmit(submit()).ok).toBe(true);
    expect(engine.checkSubmit(submit()).ok).toBe(true);
    expect(engine.checkSubmit(submit())).toMatchObject({ code: 'RATE_LIMITED' });
    // Another venue has its own (unlimited) budget; the strategy limit still counts it.
    expect(engine.checkSubmit(submit({ instrumentId: ETH.id, price: 100, quantity: 1 })).ok).toBe(true);
  });

  it('lets cancels through while rate limited, taking room only where there is some', () => {
    const env = fakeEnv();
    const engine = createRiskEngine({ rateLimits: { perVenue: { SIM: '2/1s' } } }, env);
    expect(engine.checkCancel(cancel()).ok).toBe(true); // takes 1 of 2
    expect(engine.checkSubmit(submit()).ok).toBe(true); // takes the last
    const c = cancel();
    expect(engine.checkCancel(c)).toEqual({ ok: true, command: c });
    expect(engine.checkSubmit(submit())).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('lets a cancel on an unknown instrument through, still counting in the strategy limit', () => {
    const engine = createRiskEngine({ rateLimits: { perStrategy: '1/1s' } }, fakeEnv());
    expect(engine.checkCancel(cancel({ instrumentId: 'GONE.SIM', clientOrderId: 'x-1-1' })).ok).toBe(true);
    expect(engine.checkSubmit(submit())).toMatchObject({ code: 'RATE_LIMITED', message: 'strategy s1 rate limit 1/1s exceeded' });
  });

  it('applies the rate limit to a modify', () => {
    const env = fakeEnv();
    const o = openOrder();
    env.orders.push(o);
    const engine = createRiskEngine({ rateLimits: { perStrategy: '1/1s' } }, env);
    expect(engine.checkModify(modify(o, { price: 49_000 })).ok).toBe(true);
    expect(engine.checkModify(modify(o, { price: 48_000 }))).toMatchObject({
      code: 'RATE_LIMITED',
      message: 'strategy s1 rate limit 1/1s exceeded',
    });
  });
});

describe('trading state through the engine', () => {
  it('denies submits and modifies but passes cancels while HALTED', () => {
    const env = fakeEnv();
    const o = openOrder();
    env.orders.push(o);
    const engine = createRiskEngine({}, env);
    engine.setTradingState('HALTED');
    expect(engine.state).toBe('HALTED');
    expect(engine.checkSubmit(submit())).toMatchObject({ code: 'TRADING_HALTED' });
    expect(engine.checkModify(modify(o, { price: 1 }))).toMatchObject({ code: 'TRADING_HALTED' });
    expect(engine.checkCancel(cancel({ clientOrderId: o.clientOrderId })).ok).toBe(true);
    engine.setTradingState('ACTIVE');
    expect(engine.checkSubmit(submit()).ok).toBe(true);
  });

  it('while REDUCING allows a reducing sell of a long and denies a flip', () => {
    const env = fakeEnv();
    env.positions.set(BTC.id, 0.5);
    const engine = createRiskEngine({}, env, { initialState: 'REDUCING' });
    expect(engine.checkSubmit(submit({ side: 'sell', quantity: 0.5 })).ok).toBe(true);
    expect(engine.checkSubmit(submit({ side: 'sell', quantity: 0.6 }))).toMatchObject({ code: 'TRADING_REDUCING' });
    expect(engine.checkSubmit(submit({ side: 'buy', quantity: 0.1 }))).toMatchObject({ code: 'TRADING_REDUCING' });
  });

  it('while REDUCING judges the truncated quantity', () => {
    const env = fakeEnv();
    env.positions.set(BTC.id, 0.5);
    const engine = createRiskEngine({}, env, { initialState: 'REDUCING' });
    const v = engine.checkSubmit(submit({ side: 'sell', quantity: 0.500_09 }));
    expect(v.ok && v.command.quantity).toBe(0.5);
  });
});

describe('modify through the engine', () => {
  it('denies a modify of an unknown order with UNKNOWN_ORDER', () => {
    const engine = createRiskEngine({}, fakeEnv());
    expect(engine.checkModify(modify(openOrder(), { price: 1 }))).toMatchObject({ code: 'UNKNOWN_ORDER' });
  });

  it('rounds a new price side-aware and truncates a new quantity, leaving unchanged fields undefined', () => {
    const env = fakeEnv();
    const buy = openOrder({ side: 'buy' });
    const sell = openOrder({ side: 'sell' });
    env.orders.push(buy, sell);
    const engine = createRiskEngine({}, env);
    const b = engine.checkModify(modify(buy, { price: 49_000.019 }));
    const s = engine.checkModify(modify(sell, { price: 49_000.011, quantity: 0.020_09 }));
    expect(b.ok && b.command).toMatchObject({ price: 49_000.01 });
    expect(b.ok && b.command.quantity).toBeUndefined();
    expect(s.ok && [s.command.price, s.command.quantity]).toEqual([49_000.02, 0.02]);
  });

  it('runs a new price through the band and a new quantity through the notional and position checks', () => {
    const env = fakeEnv();
    env.mids.set(BTC.id, 50_000);
    const o = openOrder({ quantity: 0.5, price: 50_000 });
    env.orders.push(o);
    const engine = createRiskEngine({ priceBandPct: 5, maxNotional: { '*': 30_000 }, maxPositionQty: { '*': 0.55 } }, env);
    expect(engine.checkModify(modify(o, { price: 40_000 }))).toMatchObject({ code: 'PRICE_BAND' });
    expect(engine.checkModify(modify(o, { quantity: 0.55 })).ok).toBe(true); // 27500, projected 0.55
    expect(engine.checkModify(modify(o, { quantity: 0.0001 }))).toMatchObject({ code: 'NOTIONAL_BELOW_MIN' });
    expect(engine.checkModify(modify(o, { quantity: 0.56 }))).toMatchObject({ code: 'POSITION_LIMIT' });
  });

  it('does not count a modify against the open-order limit', () => {
    const env = fakeEnv();
    const o = openOrder();
    env.orders.push(o);
    const engine = createRiskEngine({ maxOpenOrders: 1 }, env);
    expect(engine.checkSubmit(submit())).toMatchObject({ code: 'MAX_OPEN_ORDERS' });
    expect(engine.checkModify(modify(o, { quantity: 0.02 })).ok).toBe(true);
  });

  it('denies a price on a market order', () => {
    const env = fakeEnv();
    const { price: _p, ...mkt } = openOrder({ type: 'market' });
    env.orders.push(mkt);
    expect(createRiskEngine({}, env).checkModify(modify(mkt, { price: 1 }))).toMatchObject({ code: 'INVALID_INTENT' });
  });
});

describe('end to end denials', () => {
  const limits: RiskLimits = { maxOpenOrders: 5, maxPositionQty: { '*': 2 } };

  it('denies a reduce-only order that would increase the position', () => {
    const env = fakeEnv();
    env.positions.set(BTC.id, 1);
    expect(createRiskEngine(limits, env).checkSubmit(submit({ side: 'buy', reduceOnly: true }))).toMatchObject({
      code: 'REDUCE_ONLY',
    });
  });

  it('approves a market order without a mid (its notional checks are skipped)', () => {
    const cmd = marketOrder({ quantity: 0.0001 });
    expect(createRiskEngine(limits, fakeEnv()).checkSubmit(cmd)).toEqual({ ok: true, command: cmd });
  });
});

describe('engine/risk sources', () => {
  it('never read the wall clock or draw random numbers', () => {
    const dir = join(import.meta.dirname, '../../engine/risk');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const code = readFileSync(join(dir, f), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      expect(code, f).not.toMatch(/Date\.now\(|Math\.random\(|new Date\(/);
    }
  });
});
