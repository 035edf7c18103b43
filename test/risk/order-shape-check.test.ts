import { describe, expect, it } from 'vitest';
import { checkOrderShape } from '../../engine/risk/index.js';
import { marketOrder, submit } from './fake-env.js';

describe('checkOrderShape', () => {
  it('passes a valid limit order and a valid market order unchanged', () => {
    const limit = submit();
    const market = marketOrder();
    expect(checkOrderShape(limit)).toEqual({ ok: true, command: limit });
    expect(checkOrderShape(market)).toEqual({ ok: true, command: market });
  });

  it('denies a quantity that is not a finite number with INVALID_INTENT', () => {
    expect(checkOrderShape(submit({ quantity: Number.NaN }))).toEqual({
      ok: false,
      code: 'INVALID_INTENT',
      message: 'quantity must be a finite number above zero, got NaN',
    });
    expect(checkOrderShape(submit({ quantity: Infinity }))).toMatchObject({ code: 'INVALID_INTENT' });
    expect(checkOrderShape(submit({ quantity: '1' as unknown as number }))).toMatchObject({ code: 'INVALID_INTENT' });
  });

  it('denies a negative quantity with INVALID_INTENT', () => {
    expect(checkOrderShape(submit({ quantity: -1 }))).toMatchObject({ ok: false, code: 'INVALID_INTENT' });
  });

  it('denies a zero quantity with QTY_ZERO', () => {
    expect(checkOrderShape(submit({ quantity: 0 }))).toEqual({
      ok: false,
      code: 'QTY_ZERO',
      message: 'quantity is zero for BTCUSD.SIM',
    });
  });

  it('denies a limit order without a price with INVALID_PRICE', () => {
    const { price: _p, ...noPrice } = submit();
    expect(checkOrderShape(noPrice)).toEqual({
      ok: false,
      code: 'INVALID_PRICE',
      message: 'a limit buy needs a finite price above zero, got undefined',
    });
  });

  it('denies a limit price that is zero, negative or not finite with INVALID_PRICE', () => {
    for (const price of [0, -5, Number.NaN, Infinity]) {
      expect(checkOrderShape(submit({ price }))).toMatchObject({ ok: false, code: 'INVALID_PRICE' });
    }
  });

  it('denies a market order that carries a price', () => {
    expect(checkOrderShape(submit({ type: 'market', price: 50_000 }))).toEqual({
      ok: false,
      code: 'INVALID_INTENT',
      message: 'a market order carries no price, got 50000',
    });
  });

  it('denies a post-only market order', () => {
    expect(checkOrderShape(marketOrder({ postOnly: true }))).toMatchObject({ ok: false, code: 'INVALID_INTENT' });
  });

  it('denies a GTD order without an expiry time', () => {
    const v = checkOrderShape(submit({ timeInForce: 'GTD' }));
    expect(v).toMatchObject({ ok: false, code: 'INVALID_INTENT', message: 'a GTD order needs an expiry time, got undefined' });
    expect(checkOrderShape(submit({ timeInForce: 'GTD', expireAt: 2_000_000 })).ok).toBe(true);
  });

  it('denies an unknown side or order type', () => {
    expect(checkOrderShape(submit({ side: 'long' as never }))).toMatchObject({ ok: false, code: 'INVALID_INTENT' });
    expect(checkOrderShape(submit({ type: 'stop' as never }))).toMatchObject({ ok: false, code: 'INVALID_INTENT' });
  });
});
