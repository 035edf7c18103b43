import { describe, expect, it } from 'vitest';
import { createExecFixture } from './fixtures.js';

const callKinds = (fx: ReturnType<typeof createExecFixture>) => fx.client.calls.map((c) => c.kind);

describe('execution engine: cancel', () => {
  it('publishes OrderPendingCancel, sends the cancel with the venue order id, and is CANCELED once the venue confirms', () => {
    const fx = createExecFixture();
    const id = fx.openOrder();
    fx.exec.cancel(fx.cancelCommand(id));

    expect(fx.published.at(-1)).toMatchObject({ event: { kind: 'OrderPendingCancel', clientOrderId: id }, status: 'PENDING_CANCEL' });
    expect(fx.client.calls.at(-1)).toMatchObject({ kind: 'cancel', command: { clientOrderId: id, venueOrderId: `V-${id}` } });

    fx.exec.onVenueEvent(fx.canceled(id));
    expect(fx.published.at(-1)).toMatchObject({ event: { kind: 'OrderCanceled' }, status: 'CANCELED' });
    expect(fx.exec.order(id)?.status).toBe('CANCELED');
    expect(fx.exec.openOrders()).toEqual([]);
  });

  it('sends a cancel once while it is pending', () => {
    const fx = createExecFixture();
    const id = fx.openOrder();
    fx.exec.cancel(fx.cancelCommand(id));
    fx.exec.cancel(fx.cancelCommand(id));
    expect(callKinds(fx)).toEqual(['submit', 'cancel']);
    expect(fx.kinds(id)).toEqual(['OrderSubmitted', 'OrderAccepted', 'OrderPendingCancel']);
  });

  it('answers a cancel of a FILLED order with a local OrderCancelRejected and sends nothing', () => {
    const fx = createExecFixture();
    const id = fx.openOrder({ quantity: 1 });
    fx.exec.onVenueEvent(fx.filled(id, { tradeId: 'T1', qty: 1 }));
    fx.exec.cancel(fx.cancelCommand(id));

    expect(fx.published.at(-1)).toMatchObject({ event: { kind: 'OrderCancelRejected', reason: 'order is FILLED' }, status: 'FILLED' });
    expect(callKinds(fx)).toEqual(['submit']);
    expect(fx.exec.stats.invalidTransitions).toBe(0);
  });

  it('restores ACCEPTED when the venue rejects the cancel', () => {
    const fx = createExecFixture();
    const id = fx.openOrder();
    fx.exec.cancel(fx.cancelCommand(id));
    fx.exec.onVenueEvent(fx.cancelRejected(id, 'RATE_LIMITED'));
    expect(fx.published.at(-1)).toMatchObject({ event: { kind: 'OrderCancelRejected', reason: 'RATE_LIMITED' }, status: 'ACCEPTED' });
    expect(fx.exec.openOrders().map((o) => o.clientOrderId)).toEqual([id]);
  });

  it('restores PARTIALLY_FILLED when the venue rejects the cancel of a partly filled order', () => {
    const fx = createExecFixture();
    const id = fx.openOrder({ quantity: 1 });
    fx.exec.onVenueEvent(fx.filled(id, { tradeId: 'T1', qty: 0.25 }));
    fx.exec.cancel(fx.cancelCommand(id));
    fx.exec.onVenueEvent(fx.cancelRejected(id));
    expect(fx.exec.order(id)).toMatchObject({ status: 'PARTIALLY_FILLED', filledQty: 0.25 });
  });

  it('restores PARTIALLY_FILLED when the order filled partly while the cancel was pending and the cancel is rejected', () => {
    const fx = createExecFixture();
    const id = fx.openOrder({ quantity: 1 });
    fx.exec.cancel(fx.cancelCommand(id));
    fx.exec.onVenueEvent(fx.filled(id, { tradeId: 'T1', qty: 0.25 }));
    expect(fx.exec.order(id)?.status).toBe('PENDING_CANCEL');
    fx.exec.onVenueEvent(fx.cancelRejected(id));
    expect(fx.exec.order(id)?.status).toBe('PARTIALLY_FILLED');
  });

  it('ignores a cancel of an order it never saw', () => {
    const fx = createExecFixture();
    fx.exec.cancel(fx.cancelCommand('s1-1-999'));
    expect(fx.published).toEqual([]);
    expect(fx.client.calls).toEqual([]);
  });

  it('answers a cancel of a DENIED order with OrderCancelRejected and counts no invalid transition', () => {
    const fx = createExecFixture();
    const cmd = fx.submitCommand({ quantity: 0 });
    fx.exec.submit(cmd);
    fx.exec.cancel(fx.cancelCommand(cmd.clientOrderId));
    expect(fx.client.calls).toEqual([]);
    expect(fx.exec.stats.invalidTransitions).toBe(0);
    expect(fx.kinds(cmd.clientOrderId)).toEqual(['OrderDenied', 'OrderCancelRejected']);
  });
});

describe('execution engine: modify', () => {
  it('publishes OrderPendingUpdate, sends the (rounded) modify, and OrderUpdated sets price and quantity back in ACCEPTED', () => {
    const fx = createExecFixture();
    const id = fx.openOrder({ quantity: 1, price: 100 });
    fx.exec.modify(fx.modifyCommand(id, { price: 101.3, quantity: 2 }));

    expect(fx.published.at(-1)).toMatchObject({ event: { kind: 'OrderPendingUpdate' }, status: 'PENDING_UPDATE' });
    expect(fx.client.calls.at(-1)).toMatchObject({ kind: 'modify', command: { clientOrderId: id, venueOrderId: `V-${id}`, price: 101, quantity: 2 } });

    fx.exec.onVenueEvent(fx.updated(id, { price: 101, quantity: 2 }));
    expect(fx.published.at(-1)).toMatchObject({ event: { kind: 'OrderUpdated', price: 101, quantity: 2 }, status: 'ACCEPTED' });
    expect(fx.exec.order(id)).toMatchObject({ status: 'ACCEPTED', price: 101, quantity: 2 });
  });

  it('publishes OrderModifyRejected with the risk code in the reason and sends nothing when the risk layer denies', () => {
    const fx = createExecFixture({ limits: { maxNotional: { '*': 1_000 } } });
    const id = fx.openOrder({ quantity: 1, price: 100 });
    fx.exec.modify(fx.modifyCommand(id, { quantity: 20 }));

    const last = fx.published.at(-1)!;
    expect(last).toMatchObject({ event: { kind: 'OrderModifyRejected' }, status: 'ACCEPTED' });
    expect((last.event as { reason: string }).reason).toMatch(/^NOTIONAL_ABOVE_MAX: /);
    expect(callKinds(fx)).toEqual(['submit']);
    expect(fx.exec.order(id)).toMatchObject({ quantity: 1, price: 100 });
  });

  it('denies a modify while trading is halted, naming TRADING_HALTED', () => {
    const fx = createExecFixture();
    const id = fx.openOrder();
    fx.risk!.setTradingState('HALTED');
    fx.exec.modify(fx.modifyCommand(id, { price: 99 }));
    expect((fx.published.at(-1)!.event as { reason?: string }).reason).toMatch(/^TRADING_HALTED: /);
    expect(callKinds(fx)).toEqual(['submit']);
  });

  it('restores the status before the update when the venue rejects the modify', () => {
    const fx = createExecFixture();
    const id = fx.openOrder({ quantity: 1 });
    fx.exec.onVenueEvent(fx.filled(id, { tradeId: 'T1', qty: 0.5 }));
    fx.exec.modify(fx.modifyCommand(id, { price: 99 }));
    fx.exec.onVenueEvent(fx.modifyRejected(id));
    expect(fx.exec.order(id)).toMatchObject({ status: 'PARTIALLY_FILLED', price: 100 });
  });

  it('rejects locally, sending nothing, a modify of a FILLED order or of one with a cancel pending', () => {
    const fx = createExecFixture();
    const filled = fx.openOrder({ quantity: 1 });
    fx.exec.onVenueEvent(fx.filled(filled, { tradeId: 'T1', qty: 1 }));
    const canceling = fx.openOrder();
    fx.exec.cancel(fx.cancelCommand(canceling));

    fx.exec.modify(fx.modifyCommand(filled, { price: 99 }));
    fx.exec.modify(fx.modifyCommand(canceling, { price: 99 }));
    expect(callKinds(fx)).toEqual(['submit', 'submit', 'cancel']);
    expect(fx.published.slice(-2).map((p) => [p.event.kind, (p.event as { reason?: string }).reason, p.status])).toEqual([
      ['OrderModifyRejected', 'order is FILLED', 'FILLED'],
      ['OrderModifyRejected', 'order is PENDING_CANCEL', 'PENDING_CANCEL'],
    ]);
  });
});
