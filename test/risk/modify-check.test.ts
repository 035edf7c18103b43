import { describe, expect, it } from 'vitest';
import { applyDraft, checkModifyTarget, modifyDraft } from '../../engine/risk/index.js';
import { modify, openOrder } from './fake-env.js';

describe('checkModifyTarget', () => {
  it('passes a modify of an open order of the same strategy, instrument and side', () => {
    const o = openOrder();
    const cmd = modify(o, { price: 49_000 });
    expect(checkModifyTarget(cmd, o)).toEqual({ ok: true, command: cmd });
  });

  it('denies a modify of an order it does not know with UNKNOWN_ORDER', () => {
    const o = openOrder({ clientOrderId: 's1-1-99' });
    expect(checkModifyTarget(modify(o, { price: 1 }), undefined)).toEqual({
      ok: false,
      code: 'UNKNOWN_ORDER',
      message: 'no order s1-1-99 to modify',
    });
  });

  it('denies a modify of an order that is no longer open with UNKNOWN_ORDER', () => {
    const o = openOrder({ clientOrderId: 's1-1-5', status: 'FILLED' });
    expect(checkModifyTarget(modify(o, { price: 1 }), o)).toEqual({
      ok: false,
      code: 'UNKNOWN_ORDER',
      message: 'order s1-1-5 is FILLED, not open: cannot modify',
    });
  });

  it("denies a modify of another strategy's order with INVALID_INTENT", () => {
    const o = openOrder({ strategyId: 'other' });
    expect(checkModifyTarget(modify(o, { strategyId: 's1', price: 1 }), o)).toMatchObject({
      ok: false,
      code: 'INVALID_INTENT',
      message: `order ${o.clientOrderId} belongs to strategy other, not s1`,
    });
  });

  it('denies a modify that names a different instrument or side than the order', () => {
    const o = openOrder();
    expect(checkModifyTarget(modify(o, { side: 'sell', price: 1 }), o)).toMatchObject({ code: 'INVALID_INTENT' });
    expect(checkModifyTarget(modify(o, { instrumentId: 'ETHUSD.ALT', price: 1 }), o)).toMatchObject({ code: 'INVALID_INTENT' });
  });

  it('denies a modify that changes neither price nor quantity', () => {
    const o = openOrder();
    expect(checkModifyTarget(modify(o), o)).toMatchObject({
      code: 'INVALID_INTENT',
      message: `modify of ${o.clientOrderId} changes neither price nor quantity`,
    });
  });
});

describe('modifyDraft and applyDraft', () => {
  it('build the order as it would be after the modify, keeping unchanged fields', () => {
    const o = openOrder({ price: 50_000, quantity: 0.3, reduceOnly: true });
    const draft = modifyDraft(modify(o, { quantity: 0.5 }), o);
    expect(draft).toMatchObject({ kind: 'SubmitOrder', clientOrderId: o.clientOrderId, price: 50_000, quantity: 0.5, reduceOnly: true });
  });

  it('carry an adjusted price back and leave an unchanged quantity undefined', () => {
    const o = openOrder();
    const cmd = modify(o, { price: 49_000.019 });
    const out = applyDraft(cmd, { ...modifyDraft(cmd, o), price: 49_000.01 });
    expect(out.price).toBe(49_000.01);
    expect('quantity' in out).toBe(false);
  });

  it('return the same command when nothing was adjusted', () => {
    const o = openOrder();
    const cmd = modify(o, { quantity: 0.02 });
    expect(applyDraft(cmd, modifyDraft(cmd, o))).toBe(cmd);
  });
});
