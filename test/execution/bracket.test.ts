/**
 * Brackets in the execution engine (issue 13): the exits wait for the entry to fill, are sized to what it filled,
 * resized while it fills, and are one-cancels-other; an entry that ends unfilled takes them with it; a denied entry
 * denies them; nothing of it reaches the venue before it is released.
 */
import { describe, expect, it } from 'vitest';
import type { SubmitOrder } from '../../engine/model/commands.js';
import type { Tick } from '../../engine/model/tick.js';
import { createExecFixture, ID } from './fixtures.js';

const quote = (bid: number, ask: number): Tick => ({ kind: 'quote', instrumentId: ID, tsEvent: 0, tsInit: 0, bid, ask });

function bracket(fx: ReturnType<typeof createExecFixture>, over: Partial<SubmitOrder> = {}) {
  const entry = fx.submitCommand({ side: 'buy', quantity: 1, price: 100, ...over });
  const takeProfit = fx.submitCommand({ side: 'sell', type: 'limit', quantity: entry.quantity, price: 110, trigger: { kind: 'touch', price: 110, on: 'bid_ask' } });
  const stopLoss = fx.submitCommand({ side: 'sell', type: 'market', quantity: entry.quantity, price: undefined, trigger: { kind: 'stop', price: 90, on: 'bid_ask' } });
  fx.exec.bracket(entry, takeProfit, stopLoss);
  return { entry: entry.clientOrderId, tp: takeProfit.clientOrderId, sl: stopLoss.clientOrderId };
}

describe('brackets', () => {
  it('holds the exits until the entry fills, sizes them to each fill, and cancels the other exit when one has filled it all', () => {
    const fx = createExecFixture();
    const { entry, tp, sl } = bracket(fx);
    expect(fx.client.calls.map((c) => c.command.clientOrderId)).toEqual([entry]); // only the entry went out
    fx.exec.onTick(quote(80, 81)); // would release the stop were it armed: it is not, the entry has not filled
    expect(fx.kinds(sl)).toEqual(['OrderEmulated']);

    fx.exec.onVenueEvent(fx.accepted(entry));
    fx.exec.onVenueEvent(fx.filled(entry, { tradeId: 't1', qty: 0.4, price: 100 }));
    expect(fx.exec.order(tp)).toMatchObject({ status: 'EMULATED', quantity: 0.4 });
    expect(fx.exec.order(sl)).toMatchObject({ status: 'EMULATED', quantity: 0.4 });
    fx.exec.onVenueEvent(fx.filled(entry, { tradeId: 't2', qty: 0.6, price: 100 }));
    expect(fx.exec.order(sl)!.quantity).toBe(1);
    expect(fx.kinds(sl)).toEqual(['OrderEmulated', 'OrderUpdated', 'OrderUpdated']);

    fx.exec.onTick(quote(95, 96)); // neither touched
    expect(fx.client.calls).toHaveLength(1);
    fx.exec.onTick(quote(89.5, 90.5)); // the bid falls to the stop: sent at once, the take-profit is not at the venue
    expect(fx.kinds(sl)).toEqual(['OrderEmulated', 'OrderUpdated', 'OrderUpdated', 'OrderReleased', 'OrderSubmitted']);
    expect(fx.exec.order(tp)!.status).toBe('EMULATED'); // still armed: the stop has filled nothing yet
    expect(fx.client.calls.at(-1)).toMatchObject({ kind: 'submit', command: { clientOrderId: sl, side: 'sell', type: 'market', quantity: 1 } });
    expect((fx.client.calls.at(-1)!.command as SubmitOrder).trigger).toBeUndefined();
    fx.exec.onVenueEvent(fx.accepted(sl));
    fx.exec.onVenueEvent(fx.filled(sl, { tradeId: 's1', qty: 0.25, price: 89.5 }));
    expect(fx.exec.order(tp)).toMatchObject({ status: 'EMULATED', quantity: 0.75 }); // it protects what is left
    fx.exec.onVenueEvent(fx.filled(sl, { tradeId: 's2', qty: 0.75, price: 89.4 }));
    expect(fx.kinds(tp)).toEqual(['OrderEmulated', 'OrderUpdated', 'OrderUpdated', 'OrderUpdated', 'OrderCanceled']);
    expect(fx.published.find((p) => p.event.clientOrderId === tp && p.event.kind === 'OrderCanceled')!.event).toMatchObject({ reason: `one-cancels-other: ${sl} filled` });
    fx.exec.onTick(quote(120, 121)); // the take-profit is gone: nothing more
    expect(fx.client.calls).toHaveLength(2);
  });

  it('cancels a take-profit resting at the venue before it sends the stop-loss, and sends only what the take-profit left', () => {
    const fx = createExecFixture();
    const { entry, tp, sl } = bracket(fx);
    fx.exec.onVenueEvent(fx.accepted(entry));
    fx.exec.onVenueEvent(fx.filled(entry, { tradeId: 't1', qty: 1, price: 100 }));
    fx.exec.onTick(quote(110, 110.5)); // the bid touches the take-profit: a limit sell at 110 goes to the venue
    expect(fx.client.calls.at(-1)).toMatchObject({ kind: 'submit', command: { clientOrderId: tp, type: 'limit', price: 110, quantity: 1 } });
    fx.exec.onVenueEvent(fx.accepted(tp));
    fx.exec.onVenueEvent(fx.filled(tp, { tradeId: 'p1', qty: 0.3, price: 110 }));
    expect(fx.exec.order(sl)).toMatchObject({ status: 'EMULATED', quantity: 0.7 }); // the stop still guards the rest

    fx.exec.onTick(quote(89, 89.5)); // the price falls through the stop while the take-profit rests unfilled
    expect(fx.exec.order(sl)!.status).toBe('RELEASED'); // it waits: the take-profit is canceled first
    expect(fx.client.calls.at(-1)).toMatchObject({ kind: 'cancel', command: { clientOrderId: tp } });
    expect(fx.client.calls.filter((c) => c.command.clientOrderId === sl)).toEqual([]);
    fx.exec.onVenueEvent(fx.filled(tp, { tradeId: 'p2', qty: 0.2, price: 110 })); // one more fill before the cancel lands
    expect(fx.exec.order(sl)!.quantity).toBe(0.5);
    fx.exec.onVenueEvent(fx.canceled(tp));
    expect(fx.client.calls.at(-1)).toMatchObject({ kind: 'submit', command: { clientOrderId: sl, type: 'market', quantity: 0.5 } });
    // together they never sell more than the entry bought
    fx.exec.onVenueEvent(fx.accepted(sl));
    fx.exec.onVenueEvent(fx.filled(sl, { tradeId: 's1', qty: 0.5, price: 89 }));
    expect(fx.exec.order(tp)!.filledQty + fx.exec.order(sl)!.filledQty).toBe(1);
  });

  it('cancels the waiting stop-loss, never sending it, when the resting take-profit fills it all before its cancel lands', () => {
    const fx = createExecFixture();
    const { entry, tp, sl } = bracket(fx);
    fx.exec.onVenueEvent(fx.accepted(entry));
    fx.exec.onVenueEvent(fx.filled(entry, { tradeId: 't1', qty: 1, price: 100 }));
    fx.exec.onTick(quote(110, 110.5));
    fx.exec.onVenueEvent(fx.accepted(tp));
    fx.exec.onTick(quote(89, 89.5));
    expect(fx.exec.order(sl)!.status).toBe('RELEASED');
    fx.exec.onVenueEvent(fx.filled(tp, { tradeId: 'p1', qty: 1, price: 110 })); // filled before the cancel arrived
    expect(fx.exec.order(sl)!.status).toBe('CANCELED');
    expect(fx.client.calls.filter((c) => c.command.clientOrderId === sl)).toEqual([]);
  });

  it('cancels the exits when the entry ends without a fill', () => {
    const fx = createExecFixture();
    const { entry, tp, sl } = bracket(fx);
    fx.exec.onVenueEvent(fx.accepted(entry));
    fx.exec.cancel(fx.cancelCommand(entry));
    fx.exec.onVenueEvent(fx.canceled(entry));
    for (const id of [tp, sl]) {
      expect(fx.exec.order(id)!.status).toBe('CANCELED');
      expect(fx.published.filter((p) => p.event.clientOrderId === id).at(-1)!.event).toMatchObject({ reason: `its parent ${entry} ended CANCELED without a fill` });
    }
    fx.exec.onTick(quote(80, 81));
    expect(fx.client.calls.map((c) => c.kind)).toEqual(['submit', 'cancel']);
  });

  it('denies the exits when the entry is denied', () => {
    const fx = createExecFixture({ limits: { maxOrderQty: { '*': 0.5 } } });
    const { entry, tp, sl } = bracket(fx);
    expect(fx.kinds(entry)).toEqual(['OrderDenied']);
    for (const id of [tp, sl]) expect(fx.published.find((p) => p.event.clientOrderId === id)!.event).toMatchObject({ kind: 'OrderDenied', code: 'PARENT_DENIED' });
    expect(fx.client.calls).toEqual([]);
  });
});
