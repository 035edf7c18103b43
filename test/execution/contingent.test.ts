/**
 * One-cancels-other groups and one-triggers-other children of a strategy's own choosing (engine/execution/contingent.ts),
 * and a property test of the rule the README states: the members of a group never fill more, together, than one
 * member's quantity, and never work at the venue two at a time — whatever the prices, the partial fills and the time
 * a cancel takes to land.
 */
import { describe, expect, it } from 'vitest';
import type { SubmitOrder } from '../../engine/model/commands.js';
import type { Order } from '../../engine/model/order.js';
import type { Tick } from '../../engine/model/tick.js';
import { createPrng } from '../venues/prng.js';
import { createExecFixture, ID } from './fixtures.js';

const quote = (bid: number, ask: number): Tick => ({ kind: 'quote', instrumentId: ID, tsEvent: 0, tsInit: 0, bid, ask });
const stopSell = (price: number, over: Partial<SubmitOrder> = {}): Partial<SubmitOrder> =>
  ({ side: 'sell', type: 'market', price: undefined, trigger: { kind: 'stop', price, on: 'bid_ask' }, ...over });
const touchSell = (price: number, over: Partial<SubmitOrder> = {}): Partial<SubmitOrder> =>
  ({ side: 'sell', type: 'limit', price, trigger: { kind: 'touch', price, on: 'bid_ask' }, ...over });

const denial = (fx: ReturnType<typeof createExecFixture>, id: string) =>
  fx.published.find((p) => p.event.clientOrderId === id && p.event.kind === 'OrderDenied')?.event as { code: string; message: string } | undefined;

describe('one-cancels-other', () => {
  it('a stop guarding a resting limit: the limit is canceled first, the stop waits for that, then sells what is left', () => {
    const fx = createExecFixture();
    const limit = fx.openOrder({ side: 'sell', price: 110, quantity: 2 });
    const stop = fx.submitCommand(stopSell(90, { quantity: 2, ocoWith: limit }));
    fx.exec.submit(stop);
    expect(fx.exec.order(stop.clientOrderId)).toMatchObject({ status: 'EMULATED', ocoGroup: limit });
    fx.exec.onVenueEvent(fx.filled(limit, { tradeId: 'a', qty: 0.5 }));
    expect(fx.exec.order(stop.clientOrderId)!.quantity).toBe(1.5);

    fx.exec.onTick(quote(89.5, 90));
    expect(fx.exec.order(stop.clientOrderId)!.status).toBe('RELEASED');
    expect(fx.client.calls.at(-1)).toMatchObject({ kind: 'cancel', command: { clientOrderId: limit } });
    fx.exec.onVenueEvent(fx.canceled(limit));
    expect(fx.client.calls.at(-1)).toMatchObject({ kind: 'submit', command: { clientOrderId: stop.clientOrderId, type: 'market', quantity: 1.5 } });
  });

  it('two emulated members: the first released goes at once, its fills reduce the other, all of it cancels the other', () => {
    const fx = createExecFixture();
    const tp = fx.submitCommand(touchSell(110, { quantity: 1 }));
    fx.exec.submit(tp);
    const sl = fx.submitCommand(stopSell(90, { quantity: 1, ocoWith: tp.clientOrderId }));
    fx.exec.submit(sl);
    fx.exec.onTick(quote(110, 110.5));
    expect(fx.client.calls.map((c) => [c.kind, c.command.clientOrderId])).toEqual([['submit', tp.clientOrderId]]);
    fx.exec.onVenueEvent(fx.accepted(tp.clientOrderId));
    fx.exec.onVenueEvent(fx.filled(tp.clientOrderId, { tradeId: 'a', qty: 0.4 }));
    expect(fx.exec.order(sl.clientOrderId)).toMatchObject({ status: 'EMULATED', quantity: 0.6 });
    fx.exec.onVenueEvent(fx.filled(tp.clientOrderId, { tradeId: 'b', qty: 0.6 }));
    expect(fx.exec.order(sl.clientOrderId)!.status).toBe('CANCELED');
    fx.exec.onTick(quote(80, 80.5));
    expect(fx.client.calls).toHaveLength(1);
  });

  it('a member released while another waits is canceled: the first released goes', () => {
    const fx = createExecFixture();
    const limit = fx.openOrder({ side: 'sell', price: 120, quantity: 1 });
    const stop = fx.submitCommand(stopSell(90, { ocoWith: limit }));
    const deeper = fx.submitCommand(stopSell(85, { ocoWith: limit }));
    fx.exec.submit(stop);
    fx.exec.submit(deeper);
    fx.exec.onTick(quote(84, 84.5)); // both touched on one quote: the nearest (90) is released first and waits
    expect(fx.exec.order(stop.clientOrderId)!.status).toBe('RELEASED');
    expect(fx.exec.order(deeper.clientOrderId)!.status).toBe('CANCELED');
    expect(fx.published.find((p) => p.event.clientOrderId === deeper.clientOrderId && p.event.kind === 'OrderCanceled')!.event)
      .toMatchObject({ reason: `one-cancels-other: ${stop.clientOrderId} was released first` });
  });

  it('canceling a member that waits cancels it at once, and it is never sent', () => {
    const fx = createExecFixture();
    const limit = fx.openOrder({ side: 'sell', price: 120, quantity: 1 });
    const stop = fx.submitCommand(stopSell(90, { ocoWith: limit }));
    fx.exec.submit(stop);
    fx.exec.onTick(quote(89, 89.5));
    fx.exec.cancel(fx.cancelCommand(stop.clientOrderId));
    expect(fx.exec.order(stop.clientOrderId)!.status).toBe('CANCELED');
    fx.exec.onVenueEvent(fx.canceled(limit));
    expect(fx.client.calls.filter((c) => c.command.clientOrderId === stop.clientOrderId)).toEqual([]);
  });

  it('refuses a second order at the venue in one group, and groups with unknown, closed or foreign orders, saying why', () => {
    const fx = createExecFixture();
    const limit = fx.openOrder({ side: 'sell', price: 110 });
    const second = fx.submitCommand({ side: 'sell', price: 120, ocoWith: limit });
    fx.exec.submit(second);
    expect(denial(fx, second.clientOrderId)).toMatchObject({ code: 'UNSUPPORTED_ORDER', message: expect.stringContaining(`at most one order at the venue at a time, and ${limit} is one`) });
    const unknown = fx.submitCommand(stopSell(90, { ocoWith: 'nope' }));
    fx.exec.submit(unknown);
    expect(denial(fx, unknown.clientOrderId)).toMatchObject({ code: 'INVALID_INTENT', message: 'ocoWith nope is not a known order' });
    fx.exec.cancel(fx.cancelCommand(limit));
    fx.exec.onVenueEvent(fx.canceled(limit));
    const closed = fx.submitCommand(stopSell(90, { ocoWith: limit }));
    fx.exec.submit(closed);
    expect(denial(fx, closed.clientOrderId)!.message).toBe(`ocoWith ${limit} is CANCELED: there is nothing to cancel`);
    const mine = fx.openOrder({ side: 'sell', price: 130 });
    const foreign = fx.submitCommand(stopSell(90, { ocoWith: mine, strategyId: 'other' }));
    fx.exec.submit(foreign);
    expect(denial(fx, foreign.clientOrderId)!.message).toBe(`ocoWith ${mine} is not an order of other`);
    expect(fx.client.calls.filter((c) => c.kind === 'submit').map((c) => c.command.clientOrderId)).toEqual([limit, mine]);
  });
});

describe('one-triggers-other', () => {
  it('holds a child until its parent fills, sizes it to the fills, and arms it then', () => {
    const fx = createExecFixture();
    const parent = fx.openOrder({ side: 'buy', price: 100, quantity: 2 });
    const child = fx.submitCommand(stopSell(95, { quantity: 2, parentId: parent }));
    fx.exec.submit(child);
    fx.exec.onTick(quote(94, 94.5)); // would release it were it armed
    expect(fx.exec.order(child.clientOrderId)!.status).toBe('EMULATED');
    fx.exec.onVenueEvent(fx.filled(parent, { tradeId: 'a', qty: 0.5 }));
    expect(fx.exec.order(child.clientOrderId)).toMatchObject({ status: 'EMULATED', quantity: 0.5, parentId: parent });
    fx.exec.onTick(quote(94, 94.5));
    expect(fx.client.calls.at(-1)).toMatchObject({ kind: 'submit', command: { clientOrderId: child.clientOrderId, quantity: 0.5 } });
  });

  it('arms a child at once when the parent has filled already; cancels it when the parent ends unfilled', () => {
    const fx = createExecFixture();
    const filled = fx.openOrder({ quantity: 1 });
    fx.exec.onVenueEvent(fx.filled(filled, { tradeId: 'a', qty: 1 }));
    const late = fx.submitCommand(stopSell(95, { parentId: filled }));
    fx.exec.submit(late);
    fx.exec.onTick(quote(94, 94.5));
    expect(fx.kinds(late.clientOrderId)).toEqual(['OrderEmulated', 'OrderReleased', 'OrderSubmitted']);

    const unfilled = fx.openOrder({ quantity: 1 });
    const child = fx.submitCommand(stopSell(95, { parentId: unfilled }));
    fx.exec.submit(child);
    fx.exec.cancel(fx.cancelCommand(unfilled));
    fx.exec.onVenueEvent(fx.canceled(unfilled));
    expect(fx.published.filter((p) => p.event.clientOrderId === child.clientOrderId).at(-1)!.event)
      .toMatchObject({ kind: 'OrderCanceled', reason: `its parent ${unfilled} ended CANCELED without a fill` });
    const afterEnd = fx.submitCommand(stopSell(95, { parentId: unfilled }));
    fx.exec.submit(afterEnd);
    expect(denial(fx, afterEnd.clientOrderId)).toMatchObject({ code: 'PARENT_DENIED' });
  });

  it('holds a plain child until the parent has filled all it will, then sends it sized to the fills, through the risk layer', () => {
    const fx = createExecFixture();
    const parent = fx.openOrder({ side: 'buy', price: 100, quantity: 2 });
    const child = fx.submitCommand({ side: 'sell', type: 'limit', price: 110, quantity: 2, parentId: parent });
    fx.exec.submit(child);
    expect(fx.published.at(-1)!.event).toMatchObject({ kind: 'OrderHeld', parentId: parent });
    fx.exec.onVenueEvent(fx.filled(parent, { tradeId: 'a', qty: 0.5, price: 99.5 }));
    expect(fx.exec.order(child.clientOrderId)).toMatchObject({ status: 'EMULATED', quantity: 0.5 }); // sized, still held
    expect(fx.client.calls.filter((c) => c.command.clientOrderId === child.clientOrderId)).toEqual([]);
    fx.exec.cancel(fx.cancelCommand(parent));
    fx.exec.onVenueEvent(fx.canceled(parent)); // done with 0.5 filled: the child goes for 0.5
    expect(fx.kinds(child.clientOrderId)).toEqual(['OrderHeld', 'OrderUpdated', 'OrderReleased', 'OrderSubmitted']);
    expect(fx.published.find((p) => p.event.clientOrderId === child.clientOrderId && p.event.kind === 'OrderReleased')!.event).toMatchObject({ triggerObserved: 99.5 });
    expect(fx.client.calls.at(-1)).toMatchObject({ kind: 'submit', command: { clientOrderId: child.clientOrderId, type: 'limit', price: 110, quantity: 0.5 } });
    expect((fx.client.calls.at(-1)!.command as SubmitOrder).parentId).toBeUndefined();
  });

  it('sends at a restart a plain child whose parent filled before the crash released it', () => {
    const parent: Order = {
      clientOrderId: 's1-1-1', strategyId: 's1', instrumentId: ID, venue: 'SIM', side: 'buy', type: 'limit', price: 100, timeInForce: 'GTC',
      postOnly: false, reduceOnly: false, tsInit: 0, quantity: 1, status: 'FILLED', filledQty: 1, avgFillPrice: 100, tsLast: 0,
    };
    const child: Order = {
      clientOrderId: 's1-1-2', strategyId: 's1', instrumentId: ID, venue: 'SIM', side: 'sell', type: 'limit', price: 110, timeInForce: 'GTC',
      postOnly: false, reduceOnly: false, tsInit: 0, quantity: 1, status: 'EMULATED', filledQty: 0, tsLast: 0, parentId: 's1-1-1',
    };
    // the parent is closed, so only the store has it (the kernel's restore reads it back)
    const fx = createExecFixture({ restore: (id) => (id === parent.clientOrderId ? { order: parent, fills: [] } : undefined) });
    fx.exec.takeOver([{ order: child, fills: [] }]);
    expect(fx.kinds('s1-1-2')).toEqual(['OrderReleased', 'OrderSubmitted']);
    expect(fx.client.calls).toMatchObject([{ kind: 'submit', command: { clientOrderId: 's1-1-2', type: 'limit', price: 110, quantity: 1 } }]);
  });

  it('refuses a child of another size than its parent, saying why', () => {
    const fx = createExecFixture();
    const parent = fx.openOrder({ quantity: 2 });
    const sized = fx.submitCommand(stopSell(95, { quantity: 1, parentId: parent }));
    fx.exec.submit(sized);
    expect(denial(fx, sized.clientOrderId)!.message).toBe("a one-triggers-other child is sized to its parent's fills: give the parent's quantity 2, not 1");
    const plain = fx.submitCommand({ side: 'sell', price: 110, quantity: 3, parentId: parent });
    fx.exec.submit(plain);
    expect(denial(fx, plain.clientOrderId)).toMatchObject({ code: 'INVALID_INTENT' });
  });
});

describe('time in force of emulated orders', () => {
  it('a GTD stop expires while held at its expireAt; released before it, the venue order carries the GTD', () => {
    const fx = createExecFixture();
    const t0 = fx.clock.now();
    const late = fx.submitCommand(stopSell(90, { timeInForce: 'GTD', expireAt: t0 + 500 }));
    const early = fx.submitCommand(stopSell(95, { timeInForce: 'GTD', expireAt: t0 + 5_000 }));
    fx.exec.submit(late);
    fx.exec.submit(early);
    fx.exec.onTick(quote(94, 94.5)); // touches the 95 stop only
    expect(fx.client.calls.at(-1)).toMatchObject({ kind: 'submit', command: { clientOrderId: early.clientOrderId, timeInForce: 'GTD', expireAt: t0 + 5_000 } });
    fx.clock.advanceTo(t0 + 499);
    expect(fx.exec.order(late.clientOrderId)!.status).toBe('EMULATED');
    fx.clock.advanceTo(t0 + 500);
    expect(fx.kinds(late.clientOrderId)).toEqual(['OrderEmulated', 'OrderExpired']);
    fx.exec.onTick(quote(89, 89.5)); // through it: expired, nothing is sent
    expect(fx.client.calls.map((c) => c.command.clientOrderId)).toEqual([early.clientOrderId]);
    fx.clock.advanceTo(t0 + 6_000); // the released one's GTD is the venue's business now
    expect(fx.kinds(early.clientOrderId)).toEqual(['OrderEmulated', 'OrderReleased', 'OrderSubmitted']);
  });

  it('a stored GTD stop whose time ran out while the engine was down expires at the restart, never armed', () => {
    const fx = createExecFixture();
    const order = {
      clientOrderId: 's1-1-9', strategyId: 's1', instrumentId: ID, venue: 'SIM', side: 'sell' as const, type: 'market' as const, timeInForce: 'GTD' as const,
      expireAt: fx.clock.now() - 1, trigger: { kind: 'stop' as const, price: 90, on: 'bid_ask' as const }, postOnly: false, reduceOnly: false,
      tsInit: 0, quantity: 1, status: 'EMULATED' as const, filledQty: 0, tsLast: 0,
    };
    fx.exec.takeOver([{ order, fills: [] }]);
    fx.clock.advanceTo(fx.clock.now() + 1);
    expect(fx.kinds('s1-1-9')).toEqual(['OrderExpired']);
    fx.exec.onTick(quote(89, 89.5));
    expect(fx.client.calls).toEqual([]);
  });
});

describe('a live restart with held orders stored', () => {
  const stored = (id: string, over: Partial<Order> = {}): Order => ({
    clientOrderId: id, strategyId: 's1', instrumentId: ID, venue: 'SIM', side: 'sell', type: 'market', timeInForce: 'GTC',
    trigger: { kind: 'stop', price: 90, on: 'bid_ask' }, postOnly: false, reduceOnly: false, tsInit: 1_000, quantity: 1,
    status: 'EMULATED', filledQty: 0, tsLast: 1_000, ...over,
  });

  it('arms none before the venue is asked; arms one it does not know, adopts one it has (sent before the crash), sends neither twice', () => {
    const fx = createExecFixture({ verifyHeldOnStart: true });
    const unsent = stored('s1-1-1');
    const sent = stored('s1-1-2');
    const waiting = stored('s1-1-3', { status: 'RELEASED' });
    fx.exec.takeOver([unsent, sent, waiting].map((order) => ({ order, fills: [] })));
    expect(fx.exec.heldToVerify('SIM').map((o) => o.clientOrderId)).toEqual(['s1-1-1', 's1-1-2', 's1-1-3']);
    fx.exec.onTick(quote(89, 89.5)); // through every stop: none is armed yet
    expect(fx.client.calls).toEqual([]);
    fx.exec.cancel(fx.cancelCommand('s1-1-1')); // it might be at the venue: not canceled here blind
    expect(fx.published.at(-1)!.event).toMatchObject({ kind: 'OrderCancelRejected', reason: expect.stringContaining('not checked at the venue since the restart') });

    fx.exec.settleHeld('s1-1-1', undefined);
    fx.exec.settleHeld('s1-1-2', { venue: 'SIM', instrumentId: ID, clientOrderId: 's1-1-2', venueOrderId: 'V-77', side: 'sell', type: 'market', timeInForce: 'GTC', status: 'FILLED', quantity: 1, filledQty: 1, tsLast: 1_500 });
    fx.exec.settleHeld('s1-1-3', undefined);
    expect(fx.exec.heldToVerify('SIM')).toEqual([]);
    expect(fx.exec.order('s1-1-2')).toMatchObject({ status: 'ACCEPTED', venueOrderId: 'V-77' }); // the venue's fills follow by reconciliation
    expect(fx.kinds('s1-1-2').at(-1)).toBe('OrderAdopted');
    // the released one was never sent: it goes now; the unsent one is armed and goes at the next touch
    expect(fx.client.calls.map((c) => [c.kind, c.command.clientOrderId])).toEqual([['submit', 's1-1-3']]);
    fx.exec.onTick(quote(89, 89.5));
    expect(fx.client.calls.map((c) => [c.kind, c.command.clientOrderId])).toEqual([['submit', 's1-1-3'], ['submit', 's1-1-1']]);
  });
});

describe('the OCO rule, on random paths with a venue that fills in pieces and answers cancels late', () => {
  it('a bracket or a stop guarding a resting limit never fills more than the position, never two members at the venue at once', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = createPrng(seed);
      const fx = createExecFixture();
      const qty = 1 + Math.floor(r() * 4);
      // a bracket (entry, take-profit and stop-loss, emulated) or a stop guarding a resting take-profit limit
      let members: string[];
      let cap: () => number;
      if (r() < 0.5) {
        const entry = fx.submitCommand({ side: 'buy', type: 'market', price: undefined, quantity: qty });
        const tp = fx.submitCommand(touchSell(110, { quantity: qty }));
        const sl = fx.submitCommand(stopSell(90, { quantity: qty }));
        fx.exec.bracket(entry, tp, sl);
        members = [tp.clientOrderId, sl.clientOrderId];
        cap = () => fx.exec.order(entry.clientOrderId)!.filledQty;
      } else {
        const limit = fx.submitCommand({ side: 'sell', price: 110, quantity: qty });
        fx.exec.submit(limit);
        const stop = fx.submitCommand(stopSell(90, { quantity: qty, ocoWith: limit.clientOrderId }));
        fx.exec.submit(stop);
        members = [limit.clientOrderId, stop.clientOrderId];
        cap = () => qty;
      }
      // the venue: accepts what it gets, fills open orders in random pieces at random steps (market orders when they
      // arrive, limits when the price is through them), and answers a cancel some steps later, perhaps after a fill
      const working = new Map<string, { left: number; limit?: number }>();
      const cancels: Array<{ id: string; at: number }> = [];
      let seen = 0;
      let price = 100;
      let trade = 0;
      const fill = (id: string, q: number): void => {
        const w = working.get(id)!;
        const lot = Math.min(w.left, q);
        w.left = +(w.left - lot).toFixed(3);
        fx.exec.onVenueEvent(fx.filled(id, { tradeId: `t${++trade}`, qty: lot, price }));
        if (w.left === 0) working.delete(id);
      };
      for (let step = 0; step < 120; step++) {
        price = Math.max(80, Math.min(120, price + (r() - 0.5) * 6));
        price = Math.round(price * 2) / 2;
        for (; seen < fx.client.calls.length; seen++) {
          const c = fx.client.calls[seen]!;
          if (c.kind === 'submit') {
            fx.exec.onVenueEvent(fx.accepted(c.command.clientOrderId));
            working.set(c.command.clientOrderId, { left: c.command.quantity, limit: c.command.type === 'limit' ? c.command.price : undefined });
          } else if (c.kind === 'cancel') cancels.push({ id: c.command.clientOrderId, at: step + Math.floor(r() * 4) });
        }
        fx.exec.onTick(quote(price, price + 0.5));
        for (const [id, w] of [...working]) {
          const side = fx.exec.order(id)!.side;
          const through = w.limit === undefined || (side === 'sell' ? price >= w.limit : price + 0.5 <= w.limit);
          if (through && r() < 0.7) fill(id, Math.max(0.001, +(r() * w.left * 1.2).toFixed(3)));
        }
        for (const c of cancels.filter((x) => x.at <= step)) {
          cancels.splice(cancels.indexOf(c), 1);
          if (working.delete(c.id)) fx.exec.onVenueEvent(fx.canceled(c.id));
          else fx.exec.onVenueEvent(fx.cancelRejected(c.id, 'already filled'));
        }
        const atVenue = members.filter((id) => working.has(id));
        expect(atVenue.length, `seed ${seed} step ${step}: at the venue ${atVenue.join(', ')}`).toBeLessThanOrEqual(1);
        const filled = members.reduce((s, id) => s + (fx.exec.order(id)?.filledQty ?? 0), 0);
        expect(+filled.toFixed(3), `seed ${seed} step ${step}`).toBeLessThanOrEqual(cap());
      }
    }
  });
});
