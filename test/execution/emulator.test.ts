/**
 * The order emulator's trigger books (engine/execution/emulator.ts): what releases each kind of trigger, in which
 * order, on quotes, trades and bars; and a property test on random price paths: a trigger is released at the first
 * tick whose watched price reaches it, never before, never twice, and never once disarmed.
 */
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../../engine/execution/emulator.js';
import type { Order, Trigger } from '../../engine/model/order.js';
import type { Tick } from '../../engine/model/tick.js';

const ID = 'BTCUSD.SIM';
let n = 0;
const order = (side: 'buy' | 'sell', trigger: Trigger, instrumentId = ID): Order => ({
  clientOrderId: `o-${++n}`, strategyId: 's', instrumentId, venue: 'SIM', side, type: 'market', timeInForce: 'GTC', trigger,
  postOnly: false, reduceOnly: false, tsInit: 0, quantity: 1, status: 'EMULATED', filledQty: 0, tsLast: 0,
});
const quote = (bid: number, ask: number, instrumentId = ID): Tick => ({ kind: 'quote', instrumentId, tsEvent: 0, tsInit: 0, bid, ask });
const trade = (price: number): Tick => ({ kind: 'trade', instrumentId: ID, tsEvent: 0, tsInit: 0, price, size: 1 });
const bar = (open: number, high: number, low: number, close: number): Tick => ({ kind: 'bar', instrumentId: ID, tsEvent: 0, tsInit: 0, periodMs: 60_000, open, high, low, close, volume: 1 });

/** A seeded linear congruential generator in [0, 1): the same paths every run. */
function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
}

function harness() {
  const released: Array<{ id: string; observed: number }> = [];
  const em = createEmulator((o, observed) => released.push({ id: o.clientOrderId, observed }));
  return { em, released, ids: () => released.map((r) => r.id) };
}

describe('order emulator', () => {
  it('releases a buy stop when the ask rises to it, a sell stop when the bid falls to it (bid_ask), not before', () => {
    const { em, released } = harness();
    const buyStop = order('buy', { kind: 'stop', price: 101, on: 'bid_ask' });
    const sellStop = order('sell', { kind: 'stop', price: 99, on: 'bid_ask' });
    em.arm(buyStop);
    em.arm(sellStop);
    em.onTick(quote(100, 100.9)); // ask below 101, bid above 99
    em.onTick(quote(100.95, 100.99));
    expect(released).toEqual([]);
    em.onTick(quote(100.5, 101)); // the ask touches 101
    expect(released).toEqual([{ id: buyStop.clientOrderId, observed: 101 }]);
    em.onTick(quote(98, 98.5)); // a gap through 99: released at the price seen, not at the stop
    expect(released.at(-1)).toEqual({ id: sellStop.clientOrderId, observed: 98 });
    em.onTick(quote(90, 120));
    expect(released).toHaveLength(2);
    expect(em.armed).toBe(0);
  });

  it('releases if-touched orders the other way: a buy when the price falls to it, a sell when it rises', () => {
    const { em, ids } = harness();
    const buyMit = order('buy', { kind: 'touch', price: 99, on: 'mid' });
    const sellMit = order('sell', { kind: 'touch', price: 101, on: 'mid' });
    em.arm(buyMit);
    em.arm(sellMit);
    em.onTick(quote(99.5, 100.5)); // mid 100
    expect(ids()).toEqual([]);
    em.onTick(quote(100.5, 101.5)); // mid 101
    expect(ids()).toEqual([sellMit.clientOrderId]);
    em.onTick(quote(98.5, 99.5)); // mid 99
    expect(ids()).toEqual([sellMit.clientOrderId, buyMit.clientOrderId]);
  });

  it('watches last trades only for `last`, and ignores other instruments', () => {
    const { em, ids } = harness();
    const stop = order('sell', { kind: 'stop', price: 50, on: 'last' });
    em.arm(stop);
    em.onTick(quote(10, 11)); // quotes do not move `last`
    em.onTick(quote(10, 11, 'ETHUSD.SIM'));
    expect(ids()).toEqual([]);
    em.onTick(trade(50.5));
    expect(ids()).toEqual([]);
    em.onTick(trade(50));
    expect(ids()).toEqual([stop.clientOrderId]);
  });

  it('walks a bar open → low → high → close when it closed up, open → high → low → close when it closed down', () => {
    // both a sell stop (low side) and a sell take-profit (high side) in one bar's range: the stated path decides
    const up = harness();
    const stopA = order('sell', { kind: 'stop', price: 95, on: 'last' });
    const tpA = order('sell', { kind: 'touch', price: 105, on: 'last' });
    up.em.arm(tpA);
    up.em.arm(stopA);
    up.em.onTick(bar(100, 106, 94, 103));
    expect(up.ids()).toEqual([stopA.clientOrderId, tpA.clientOrderId]);
    expect(up.released.map((r) => r.observed)).toEqual([94, 106]);

    const down = harness();
    const stopB = order('sell', { kind: 'stop', price: 95, on: 'last' });
    const tpB = order('sell', { kind: 'touch', price: 105, on: 'last' });
    down.em.arm(stopB);
    down.em.arm(tpB);
    down.em.onTick(bar(100, 106, 94, 97));
    expect(down.ids()).toEqual([tpB.clientOrderId, stopB.clientOrderId]);
  });

  it('releases the nearest trigger first, then in the order armed; a disarmed order never', () => {
    const { em, ids } = harness();
    const far = order('buy', { kind: 'stop', price: 103, on: 'last' });
    const near1 = order('buy', { kind: 'stop', price: 101, on: 'last' });
    const near2 = order('buy', { kind: 'stop', price: 101, on: 'last' });
    const gone = order('buy', { kind: 'stop', price: 100.5, on: 'last' });
    for (const o of [far, near1, near2, gone]) em.arm(o);
    expect(em.disarm(gone)).toBe(true);
    expect(em.disarm(gone)).toBe(false);
    em.onTick(trade(104));
    expect(ids()).toEqual([near1.clientOrderId, near2.clientOrderId, far.clientOrderId]);
  });

  it('trails: a sell stop rises with the price and never falls back, a buy stop falls with it; released on the turn', () => {
    const up = harness();
    const sell = order('sell', { kind: 'stop', price: 95, on: 'last', trailing: 2 });
    up.em.arm(sell);
    for (const p of [100, 101, 102.5]) up.em.onTick(trade(p));
    expect(up.em.triggerOf(sell)).toBe(100.5); // 102.5 − 2
    up.em.onTick(trade(101)); // 1.5 under the peak: holds, and the trigger stays where it was
    expect(up.released).toEqual([]);
    expect(up.em.triggerOf(sell)).toBe(100.5);
    up.em.onTick(trade(100.5));
    expect(up.released).toEqual([{ id: sell.clientOrderId, observed: 100.5 }]);

    const down = harness();
    const buy = order('buy', { kind: 'stop', price: 105, on: 'last', trailing: 2 });
    down.em.arm(buy);
    for (const p of [100, 99, 97.5]) down.em.onTick(trade(p));
    expect(down.em.triggerOf(buy)).toBe(99.5); // 97.5 + 2
    down.em.onTick(trade(99)); // 1.5 over the low: holds
    expect(down.released).toEqual([]);
    down.em.onTick(trade(99.5));
    expect(down.released).toEqual([{ id: buy.clientOrderId, observed: 99.5 }]);
    expect(down.em.armed).toBe(0);
  });

  it('property: a trailing sell stop releases at the first price at or under max(start, highest so far − distance)', () => {
    const random = seededRandom(11);
    for (let run = 0; run < 300; run++) {
      const { em, released } = harness();
      const distance = 1 + Math.floor(random() * 5);
      const start = 95 - Math.floor(random() * 5);
      const o = order('sell', { kind: 'stop', price: start, on: 'last', trailing: distance });
      em.arm(o);
      let p = 100;
      let peak = -Infinity;
      let expected: number | undefined;
      for (let t = 0; t < 60; t++) {
        p += Math.round((random() - 0.5) * 4);
        em.onTick(trade(p));
        peak = Math.max(peak, p);
        if (expected === undefined && p <= Math.max(start, peak - distance)) expected = p;
      }
      expect(released).toEqual(expected === undefined ? [] : [{ id: o.clientOrderId, observed: expected }]);
    }
  });

  it('keeps each instrument to its own books when their ticks interleave, and arms one whose ticks it already saw', () => {
    const { em, ids } = harness();
    const eth = 'ETHUSD.SIM';
    const sol = 'SOLUSD.SIM';
    const btcStop = order('sell', { kind: 'stop', price: 99, on: 'bid_ask' });
    const ethStop = order('sell', { kind: 'stop', price: 9, on: 'bid_ask' }, eth);
    em.arm(btcStop);
    em.arm(ethStop);
    em.onTick(quote(8, 8.1, eth)); // below the BTC stop's price, but ETH's tick: releases the ETH stop only
    expect(ids()).toEqual([ethStop.clientOrderId]);
    em.onTick(quote(100, 101)); // BTC above its stop
    em.onTick(quote(8, 8.1, sol)); // an instrument with nothing armed yet
    const solStop = order('sell', { kind: 'stop', price: 9.45, on: 'bid_ask' }, sol);
    em.arm(solStop);
    em.onTick(quote(9.4, 9.5, sol)); // touched on SOL's next tick
    expect(ids()).toEqual([ethStop.clientOrderId, solStop.clientOrderId]);
    // a trailing stop on SOL, whose books exist and whose ticks were just seen without one
    const solTrail = order('sell', { kind: 'stop', price: 5, on: 'bid_ask', trailing: 0.5 }, sol);
    em.arm(solTrail);
    em.onTick(quote(10, 10.1, sol)); // moves up to 9.5
    em.onTick(quote(9.5, 9.6, sol));
    expect(ids()).toEqual([ethStop.clientOrderId, solStop.clientOrderId, solTrail.clientOrderId]);
    const ada = 'ADAUSD.SIM';
    em.onTick(quote(1, 1.1, ada)); // the same for a trailing stop
    const adaTrail = order('sell', { kind: 'stop', price: 0.5, on: 'bid_ask', trailing: 0.05 }, ada);
    em.arm(adaTrail);
    em.onTick(quote(1, 1.1, ada)); // the trailing stop moves up to 0.95
    em.onTick(quote(0.94, 0.95, ada));
    expect(ids()).toEqual([ethStop.clientOrderId, solStop.clientOrderId, solTrail.clientOrderId, adaTrail.clientOrderId]);
    em.onTick(quote(98, 98.5)); // and BTC's book is still BTC's
    expect(ids().at(-1)).toBe(btcStop.clientOrderId);
  });

  it('property: on random paths each trigger releases at the first price that reaches it, once, never after a disarm; the armed gauge follows', () => {
    const random = seededRandom(7);
    for (let run = 0; run < 200; run++) {
      const { em, released } = harness();
      const armed: Array<{ o: Order; up: boolean; price: number; disarmAt: number }> = [];
      for (let i = 0; i < 20; i++) {
        const side = random() < 0.5 ? 'buy' : 'sell';
        const kind = random() < 0.5 ? 'stop' : 'touch';
        const price = Math.round(900 + random() * 200) / 10; // 90 … 110
        const o = order(side, { kind, price, on: 'last' });
        em.arm(o);
        armed.push({ o, up: kind === 'stop' ? side === 'buy' : side === 'sell', price, disarmAt: random() < 0.2 ? Math.floor(random() * 50) : -1 });
      }
      // trailing stops beside them (their releases are not checked here): the kernel's per-tick gauge counts them too
      for (let i = 0; i < 3; i++) em.arm(order('sell', { kind: 'stop', price: 95, on: 'last', trailing: 1 + i }));
      expect(em.gauge.armed).toBe(23);
      let p = 100;
      const path: number[] = [];
      for (let t = 0; t < 50; t++) {
        for (const a of armed) if (a.disarmAt === t) em.disarm(a.o);
        expect(em.gauge.armed).toBe(em.armed);
        p = Math.round((p + (random() - 0.5) * 6) * 10) / 10;
        path.push(p);
        em.onTick(trade(p));
        expect(em.gauge.armed, 'the gauge the kernel reads on every tick follows the armed count').toBe(em.armed);
      }
      // the expected release of each order from the path alone
      for (const a of armed) {
        const first = path.findIndex((x, t) => (a.disarmAt === -1 || t < a.disarmAt) && (a.up ? x >= a.price : x <= a.price));
        const got = released.filter((r) => r.id === a.o.clientOrderId);
        if (first === -1) expect(got, `${a.o.clientOrderId} ${a.up ? '≥' : '≤'} ${a.price}`).toEqual([]);
        else expect(got, `${a.o.clientOrderId} ${a.up ? '≥' : '≤'} ${a.price}`).toEqual([{ id: a.o.clientOrderId, observed: path[first] }]);
      }
    }
  });
});
