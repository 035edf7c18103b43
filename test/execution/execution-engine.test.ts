import { describe, expect, it } from 'vitest';
import type { RiskGate } from '../../engine/execution/execution-engine.js';
import { createExecFixture, ERROR, capturingLogger, ID } from './fixtures.js';

const positionOf = (fx: ReturnType<typeof createExecFixture>) => {
  const p = fx.portfolio.position(ID);
  return { quantity: p.quantity.toString(), fillCount: p.fillCount };
};

describe('execution engine: submit', () => {
  it('publishes OrderSubmitted, leaves the order SUBMITTED and sends the client exactly the rounded command', () => {
    const fx = createExecFixture();
    const cmd = fx.submitCommand({ side: 'buy', price: 100.3, quantity: 0.12345 });
    fx.exec.submit(cmd);

    expect(fx.published.map((p) => [p.event.kind, p.status])).toEqual([['OrderSubmitted', 'SUBMITTED']]);
    expect(fx.published[0]!.event).toMatchObject({ clientOrderId: cmd.clientOrderId, strategyId: 's1', venue: 'SIM', tsEvent: 1_000 });
    expect(fx.client.calls).toEqual([{ kind: 'submit', command: { ...cmd, price: 100, quantity: 0.123 } }]);
    expect(fx.exec.order(cmd.clientOrderId)).toMatchObject({ status: 'SUBMITTED', price: 100, quantity: 0.123 });
    expect(fx.exec.openOrders('s1').map((o) => o.clientOrderId)).toEqual([cmd.clientOrderId]);
    expect(fx.exec.stats.submitted).toBe(1);
  });

  it('rounds a sell price up to the tick before it reaches the client', () => {
    const fx = createExecFixture();
    fx.exec.submit(fx.submitCommand({ side: 'sell', price: 100.3 }));
    expect(fx.client.calls[0]).toMatchObject({ kind: 'submit', command: { side: 'sell', price: 100.5 } });
  });

  it('publishes OrderDenied with the risk code and message, leaves the order DENIED and sends the client nothing', () => {
    const fx = createExecFixture({ limits: { maxNotional: { '*': 1_000 } } });
    const cmd = fx.submitCommand({ quantity: 20, price: 100 });
    fx.exec.submit(cmd);

    expect(fx.client.calls).toEqual([]);
    expect(fx.published).toHaveLength(1);
    expect(fx.published[0]!.status).toBe('DENIED');
    expect(fx.published[0]!.event).toMatchObject({
      kind: 'OrderDenied',
      clientOrderId: cmd.clientOrderId,
      code: 'NOTIONAL_ABOVE_MAX',
      message: 'notional 2000 exceeds the per-order maximum 1000 for BTCUSD.SIM',
    });
    expect(fx.exec.order(cmd.clientOrderId)?.status).toBe('DENIED');
    expect(fx.exec.openOrders()).toEqual([]);
    expect(fx.exec.stats).toMatchObject({ submitted: 0, denied: 1 });
  });

  it('denies NOT_RECONCILED while submits are held, still sends cancels, and submits again once released', () => {
    const fx = createExecFixture();
    const open = fx.openOrder();
    fx.exec.holdSubmits('reconnecting to SIM');

    const held = fx.submitCommand();
    fx.exec.submit(held);
    expect(fx.published.at(-1)!.event).toMatchObject({ kind: 'OrderDenied', code: 'NOT_RECONCILED' });
    expect((fx.published.at(-1)!.event as { message: string }).message).toContain('reconnecting to SIM');

    fx.exec.cancel(fx.cancelCommand(open));
    expect(fx.client.calls.map((c) => c.kind)).toEqual(['submit', 'cancel']);
    expect(fx.client.calls[1]!.command.clientOrderId).toBe(open);

    fx.exec.holdSubmits(undefined);
    fx.exec.submit(fx.submitCommand());
    expect(fx.client.calls.map((c) => c.kind)).toEqual(['submit', 'cancel', 'submit']);
  });

  it('refuses to reuse a client order id: nothing is published and nothing is sent', () => {
    const fx = createExecFixture();
    const cmd = fx.submitCommand();
    fx.exec.submit(cmd);
    fx.exec.submit({ ...cmd, price: 99 });
    expect(fx.client.calls).toHaveLength(1);
    expect(fx.published).toHaveLength(1);
    expect(fx.exec.order(cmd.clientOrderId)?.price).toBe(100);
  });

  it('refuses to reuse the client order id of a denied order', () => {
    const fx = createExecFixture();
    const cmd = fx.submitCommand({ quantity: 0 });
    fx.exec.submit(cmd);
    fx.exec.submit({ ...cmd, quantity: 1 });
    expect(fx.kinds(cmd.clientOrderId)).toEqual(['OrderDenied']);
    expect(fx.client.calls).toEqual([]);
  });

  it('denies an instrument it does not know without asking the risk layer', () => {
    let asked = 0;
    const gate: RiskGate = {
      checkSubmit: (c) => (asked++, { ok: true, command: c }),
      checkModify: (c) => ({ ok: true, command: c }),
      checkCancel: (c) => ({ ok: true, command: c }),
    };
    const fx = createExecFixture({ gate });
    fx.exec.submit(fx.submitCommand({ instrumentId: 'ETHUSD.SIM' }));
    expect(asked).toBe(0);
    expect(fx.published[0]!.event).toMatchObject({ kind: 'OrderDenied', code: 'UNKNOWN_INSTRUMENT' });
    expect(fx.client.calls).toEqual([]);
  });
});

describe('execution engine: fills', () => {
  it('moves ACCEPTED → PARTIALLY_FILLED → FILLED with an exact filled quantity and one position update per fill', () => {
    const fx = createExecFixture();
    const id = fx.openOrder({ quantity: 0.3 });
    fx.exec.onVenueEvent(fx.filled(id, { tradeId: 'T1', qty: 0.1 }));
    expect(positionOf(fx)).toEqual({ quantity: '0.1', fillCount: 1 });
    fx.exec.onVenueEvent(fx.filled(id, { tradeId: 'T2', qty: 0.2 }));

    expect(fx.published.map((p) => p.status)).toEqual(['SUBMITTED', 'ACCEPTED', 'PARTIALLY_FILLED', 'FILLED']);
    expect(fx.published.map((p) => p.filledQty)).toEqual([0, 0, 0.1, 0.3]);
    expect(fx.exec.order(id)).toMatchObject({ status: 'FILLED', filledQty: 0.3, venueOrderId: `V-${id}` });
    expect(positionOf(fx)).toEqual({ quantity: '0.3', fillCount: 2 });
    expect(fx.portfolio.view(ID).quantity).toBe(0.3);
    expect(fx.exec.openOrders()).toEqual([]);
    expect(fx.exec.stats.fills).toBe(2);
  });

  it('ignores a duplicate fill: nothing is published, the position is unchanged and duplicateFills counts it', () => {
    const fx = createExecFixture();
    const id = fx.openOrder({ quantity: 1 });
    const fill = fx.filled(id, { tradeId: 'T1', qty: 0.4 });
    fx.exec.onVenueEvent(fill);
    const before = fx.published.length;
    fx.exec.onVenueEvent({ ...fill });

    expect(fx.published).toHaveLength(before);
    expect(positionOf(fx)).toEqual({ quantity: '0.4', fillCount: 1 });
    expect(fx.exec.order(id)).toMatchObject({ status: 'PARTIALLY_FILLED', filledQty: 0.4 });
    expect(fx.exec.stats).toMatchObject({ fills: 1, duplicateFills: 1, conflictingFills: 0 });
  });

  it('ignores a conflicting duplicate fill, logs it as an error and keeps the first fill in the position', () => {
    const { log, lines } = capturingLogger();
    const fx = createExecFixture({ log });
    const id = fx.openOrder({ quantity: 1 });
    fx.exec.onVenueEvent(fx.filled(id, { tradeId: 'T1', qty: 0.4 }));
    const before = fx.published.length;
    fx.exec.onVenueEvent(fx.filled(id, { tradeId: 'T1', qty: 0.5 }));

    expect(fx.published).toHaveLength(before);
    expect(positionOf(fx)).toEqual({ quantity: '0.4', fillCount: 1 });
    expect(fx.exec.order(id)?.filledQty).toBe(0.4);
    expect(fx.exec.stats).toMatchObject({ fills: 1, duplicateFills: 0, conflictingFills: 1 });
    expect(lines.some((l) => l.level === ERROR && l.msg.includes('conflicting duplicate fill'))).toBe(true);
  });

  it('keys fills by venue order id too: the same trade id on another venue order is a new fill', () => {
    const fx = createExecFixture();
    const a = fx.openOrder({ quantity: 1 });
    const b = fx.openOrder({ quantity: 1 });
    fx.exec.onVenueEvent(fx.filled(a, { tradeId: 'T1', qty: 0.1 }));
    fx.exec.onVenueEvent(fx.filled(b, { tradeId: 'T1', qty: 0.1 }));
    expect(positionOf(fx)).toEqual({ quantity: '0.2', fillCount: 2 });
    expect(fx.exec.stats.duplicateFills).toBe(0);
  });

  it('applies a late fill after OrderCanceled to the position and keeps the order CANCELED', () => {
    const fx = createExecFixture();
    const id = fx.openOrder({ quantity: 1 });
    fx.exec.onVenueEvent(fx.filled(id, { tradeId: 'T1', qty: 0.1 }));
    fx.exec.cancel(fx.cancelCommand(id));
    fx.exec.onVenueEvent(fx.canceled(id));
    expect(fx.exec.order(id)?.status).toBe('CANCELED');

    fx.exec.onVenueEvent(fx.filled(id, { tradeId: 'T2', qty: 0.2 }));
    expect(fx.published.at(-1)).toMatchObject({ event: { kind: 'OrderFilled', tradeId: 'T2' }, status: 'CANCELED', filledQty: 0.3 });
    expect(fx.exec.order(id)).toMatchObject({ status: 'CANCELED', filledQty: 0.3 });
    expect(positionOf(fx)).toEqual({ quantity: '0.3', fillCount: 2 });
    expect(fx.exec.stats.invalidTransitions).toBe(0);
  });

  it('applies a fill for an order already FILLED as venue truth, counting an overfill and an invalid transition', () => {
    const fx = createExecFixture();
    const id = fx.openOrder({ quantity: 0.3 });
    fx.exec.onVenueEvent(fx.filled(id, { tradeId: 'T1', qty: 0.3 }));
    expect(fx.exec.order(id)?.status).toBe('FILLED');

    expect(() => fx.exec.onVenueEvent(fx.filled(id, { tradeId: 'T2', qty: 0.1 }))).not.toThrow();
    expect(fx.exec.order(id)).toMatchObject({ status: 'FILLED', filledQty: 0.4 });
    expect(positionOf(fx)).toEqual({ quantity: '0.4', fillCount: 2 });
    expect(fx.exec.stats).toMatchObject({ fills: 2, overfills: 1, invalidTransitions: 1 });
    // published, so the fill reaches the event log and the stored position follows the venue as well
    expect(fx.published.at(-1)).toMatchObject({ event: { kind: 'OrderFilled', tradeId: 'T2' }, status: 'FILLED' });
  });
});

describe('execution engine: average fill price', () => {
  it('is exact, not a running float average', () => {
    const fx = createExecFixture();
    const id = fx.openOrder({ side: 'buy', price: 102, quantity: 0.3 });
    fx.exec.onVenueEvent(fx.filled(id, { tradeId: 't1', qty: 0.1, price: 100.5 }));
    fx.exec.onVenueEvent(fx.filled(id, { tradeId: 't2', qty: 0.1, price: 101 }));
    fx.exec.onVenueEvent(fx.filled(id, { tradeId: 't3', qty: 0.1, price: 101.5 }));
    expect(fx.exec.order(id)).toMatchObject({ status: 'FILLED', filledQty: 0.3, avgFillPrice: 101 });
  });
});

describe('execution engine: open orders by strategy and by instrument', () => {
  it('lists each strategy its own open orders and each instrument all of them, in submission order, and drops closed ones', () => {
    const fx = createExecFixture();
    const a1 = fx.openOrder({ strategyId: 'a' });
    const b1 = fx.openOrder({ strategyId: 'b' });
    const a2 = fx.openOrder({ strategyId: 'a' });
    const ids = (orders: readonly { clientOrderId: string }[]) => orders.map((o) => o.clientOrderId);
    expect(ids(fx.exec.openOrders('a'))).toEqual([a1, a2]);
    expect(ids(fx.exec.openOrders('b'))).toEqual([b1]);
    expect(ids(fx.exec.openOrdersFor(ID))).toEqual([a1, b1, a2]);
    expect(ids(fx.exec.openOrders())).toEqual([a1, b1, a2]);
    expect(fx.exec.openOrdersFor('ETHUSD.SIM')).toEqual([]);
    expect(fx.exec.openOrders('nobody')).toEqual([]);
    // a fill closes a1, a cancel closes b1: they leave every list
    fx.exec.onVenueEvent(fx.filled(a1, { tradeId: 't1', qty: 1 }));
    fx.exec.cancel(fx.cancelCommand(b1));
    expect(ids(fx.exec.openOrders('b'))).toEqual([b1]); // PENDING_CANCEL is still open
    fx.exec.onVenueEvent(fx.canceled(b1));
    expect(ids(fx.exec.openOrders('a'))).toEqual([a2]);
    expect(fx.exec.openOrders('b')).toEqual([]);
    expect(ids(fx.exec.openOrdersFor(ID))).toEqual([a2]);
  });
});
