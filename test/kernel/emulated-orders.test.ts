/**
 * Emulated orders (issue 13, first slice) through a whole backtest on real EUR/USD quotes: a protective sell stop and
 * a take-profit if-touched order are held by the engine, released at the first quote that touches them (checked
 * against the data), pass the risk layer at that moment (a refusal is an OrderDenied the strategy sees), fill at the
 * market's price then (a gap is not filled at the stop), and are stored with their trigger; cancels while emulated
 * never reach the venue; paper re-arms them after a restart and refuses trailing stops and brackets, saying why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSimulatedClock, type SimulatedClock } from '../../engine/clock/simulated-clock.js';
import { resolveConfig } from '../../engine/config/config.js';
import { loadInstruments } from '../../engine/config/load.js';
import { readCsvTicks } from '../../engine/data/csv-ticks.js';
import { between } from '../../engine/data/merge.js';
import { runBacktest } from '../../engine/kernel/backtest.js';
import { createTradingNode } from '../../engine/kernel/trading-node.js';
import { silentLogger } from '../../engine/log/logger.js';
import type { OrderEvent } from '../../engine/model/events.js';
import type { Quote } from '../../engine/model/tick.js';
import { loadEvents, openDatabase } from '../../engine/persistence/index.js';
import { defineStrategy, type StrategyDefinition } from '../../engine/strategy/index.js';

const DATA = 'data/sample/eurusd-fxcm-20140505.quotes.csv.gz';
const EURUSD = 'EURUSD.FXCM';
const FROM = Date.UTC(2014, 4, 5, 8);
const TO = Date.UTC(2014, 4, 5, 12);
const quotes = (): Quote[] => [...between(readCsvTicks(DATA, EURUSD), FROM, TO)].filter((t): t is Quote => t.kind === 'quote');

const events: OrderEvent[] = [];
const ids: Record<string, string> = {};
/** Buys 10,000 on its first quote with a sell stop 5 pips under the bid and a sell take-profit 2 pips over the ask. */
const bracketByHand = defineStrategy({
  name: 'bracket_by_hand',
  params: { stopPips: 5, takePips: 2, quantity: 10_000, cancelStop: false },
  vars: () => ({ placed: false }),
  onTick(ctx, tick) {
    if (tick.kind !== 'quote' || ctx.vars.placed) return;
    ctx.vars.placed = true;
    const pip = 0.0001;
    ids.entry = ctx.buy(EURUSD, ctx.params.quantity);
    ids.stop = ctx.sell(EURUSD, ctx.params.quantity, { stop: +(tick.bid - ctx.params.stopPips * pip).toFixed(5), trigger: 'bid_ask', tag: 'stop' });
    ids.take = ctx.sell(EURUSD, ctx.params.quantity, { touch: +(tick.ask + ctx.params.takePips * pip).toFixed(5), price: +(tick.ask + ctx.params.takePips * pip).toFixed(5), trigger: 'bid_ask', tag: 'take' });
    if (ctx.params.cancelStop) ctx.cancel(ids.stop);
  },
  onOrderEvent(_ctx, e) {
    events.push(e);
  },
});
const definitions = new Map<string, StrategyDefinition>([['bracket_by_hand', bracketByHand as StrategyDefinition]]);

function backtest(params: Record<string, unknown> = {}, risk: Record<string, unknown> = {}) {
  events.length = 0;
  const config = resolveConfig({ instruments: 'data/instruments.json', strategies: [{ use: 'bracket_by_hand', params }], risk });
  const db = openDatabase(':memory:');
  const { summary } = runBacktest({ config, definitions, instruments: loadInstruments(config), db, log: silentLogger(), ticks: between(readCsvTicks(DATA, EURUSD), FROM, TO) });
  const of = (id: string) => events.filter((e) => e.clientOrderId === id);
  return { summary, db, of };
}

describe('emulated orders in a backtest', () => {
  it('releases the stop and the take-profit at the first quotes that touch them, then fills them at the market', () => {
    const { summary, db, of } = backtest();
    const qs = quotes();
    const first = qs[0]!;
    const stopAt = +(first.bid - 0.0005).toFixed(5);
    const takeAt = +(first.ask + 0.0002).toFixed(5);
    // from the data alone (both are sells: bid_ask watches the bid, the price a sell gets): the first later quote whose
    // bid is at or under the stop, and the first whose bid is at or over the take-profit
    const stopTouch = qs.findIndex((q, i) => i > 0 && q.bid <= stopAt);
    const takeTouch = qs.findIndex((q, i) => i > 0 && q.bid >= takeAt);
    expect(stopTouch).toBeGreaterThan(0);
    expect(takeTouch).toBeGreaterThan(0);

    const stop = of(ids.stop!);
    expect(stop.map((e) => e.kind).slice(0, 5)).toEqual(['OrderEmulated', 'OrderReleased', 'OrderSubmitted', 'OrderAccepted', 'OrderFilled']);
    expect(stop[0]).toMatchObject({ triggerPrice: stopAt, triggerType: 'bid_ask' });
    const released = stop[1] as Extract<OrderEvent, { kind: 'OrderReleased' }>;
    expect(released.tsEvent).toBe(qs[stopTouch]!.tsInit);
    expect(released.triggerObserved).toBe(qs[stopTouch]!.bid);
    // a sell stop is filled at the bid of its moment, never above its trigger (a gap is not filled at the stop)
    const stopFill = stop[4] as Extract<OrderEvent, { kind: 'OrderFilled' }>;
    expect(stopFill.lastPrice).toBeLessThanOrEqual(stopAt);

    const take = of(ids.take!);
    expect(take[0]!.kind).toBe('OrderEmulated');
    expect((take[1] as Extract<OrderEvent, { kind: 'OrderReleased' }>).tsEvent).toBe(qs[takeTouch]!.tsInit);
    expect(take.some((e) => e.kind === 'OrderFilled')).toBe(true);

    // stored with its trigger; its events in the run's journal; the run ends clean
    const row = db.prepare(`SELECT type, status, trigger_kind, trigger_price, trigger_type, tag FROM orders WHERE client_order_id = ?`).get(ids.stop!);
    expect(row).toEqual({ type: 'market', status: 'FILLED', trigger_kind: 'stop', trigger_price: String(stopAt), trigger_type: 'bid_ask', tag: 'stop' });
    const stored = loadEvents(db, summary.runId).filter((e) => e.event.clientOrderId === ids.stop).map((e) => e.event.kind);
    expect(stored.slice(0, 2)).toEqual(['OrderEmulated', 'OrderReleased']);
    expect(summary.openAtEnd).toEqual([]);
    expect(summary.positionsVerified).toBe(true);
  });

  it('cancels an emulated order at once, without the venue; it is never released', () => {
    const { of } = backtest({ cancelStop: true });
    expect(of(ids.stop!).map((e) => e.kind)).toEqual(['OrderEmulated', 'OrderCanceled']);
    expect(of(ids.stop!)[1]).toMatchObject({ reason: 'canceled while emulated' });
  });

  it('checks risk when it releases: a stop over the maximum order quantity is denied then, and the strategy sees it', () => {
    const { of, summary } = backtest({ quantity: 20_000 }, { maxOrderQty: { '*': 15_000 } });
    // the entry (a plain market order) is denied at once; the stop only when its trigger is touched
    expect(of(ids.entry!).map((e) => e.kind)).toEqual(['OrderDenied']);
    const stop = of(ids.stop!);
    expect(stop.map((e) => e.kind)).toEqual(['OrderEmulated', 'OrderReleased', 'OrderDenied']);
    expect(stop[2]).toMatchObject({ code: 'QTY_ABOVE_MAX' });
    expect((stop[2] as { message: string }).message).toMatch(/^released at 1\.\d+: /);
    expect(summary.deniedByCode.QTY_ABOVE_MAX).toBeGreaterThanOrEqual(2);
  });

  it('refuses a malformed stop with a reason: no trigger price, a limit price on a stop-market, stop and touch together', () => {
    const denied: string[] = [];
    const bad = defineStrategy({
      name: 'bad',
      vars: () => ({ done: false }),
      onTick(ctx) {
        if (ctx.vars.done) return;
        ctx.vars.done = true;
        ctx.submit({ instrumentId: EURUSD, side: 'sell', type: 'stop_market', quantity: 1000 });
        ctx.submit({ instrumentId: EURUSD, side: 'sell', type: 'stop_market', quantity: 1000, triggerPrice: 1.3, price: 1.3 });
        ctx.sell(EURUSD, 1000, { stop: 1.3, touch: 1.4 });
        ctx.submit({ instrumentId: EURUSD, side: 'sell', quantity: 1000, triggerPrice: 1.3 });
      },
      onOrderEvent(_ctx, e) {
        if (e.kind === 'OrderDenied') denied.push(e.message);
      },
    });
    const config = resolveConfig({ instruments: 'data/instruments.json', strategies: [{ use: 'bad' }] });
    runBacktest({
      config, definitions: new Map([['bad', bad as StrategyDefinition]]), instruments: loadInstruments(config), db: openDatabase(':memory:'),
      log: silentLogger(), ticks: between(readCsvTicks(DATA, EURUSD), FROM, FROM + 60_000),
    });
    expect(denied).toEqual([
      'a stop_market order needs a triggerPrice (a number), got undefined',
      'a stop_market order takes no price (it is released as a market order)',
      'an order takes stop or touch, not both',
      'only stop and if-touched orders take a triggerPrice',
    ]);
  });

  it("the README's exit pair: one exit fills, the other is canceled, and the position never goes short", () => {
    const positions: number[] = [];
    const kinds = new Map<string, string[]>();
    const readme = defineStrategy({
      name: 'readme_exits',
      onTick(ctx, tick) {
        positions.push(ctx.position(EURUSD).quantity);
        if (tick.kind !== 'quote' || ctx.position(EURUSD).quantity !== 0 || ctx.openOrders().length) return;
        ctx.buy(EURUSD, 10_000);
        // the README's strategy with exits 3 pips away (10 and 20 are rarely reached in one day of this sample)
        ctx.sell(EURUSD, 10_000, { stop: tick.bid - 0.0003, trigger: 'bid_ask', tag: 'exit' });
        ctx.sell(EURUSD, 10_000, { touch: tick.ask + 0.0003, price: tick.ask + 0.0003, trigger: 'bid_ask', tag: 'exit' });
      },
      onOrderEvent(ctx, e) {
        kinds.set(e.clientOrderId, [...(kinds.get(e.clientOrderId) ?? []), e.kind]);
        if (e.kind === 'OrderFilled' && ctx.order(e.clientOrderId)?.tag === 'exit') ctx.cancelAll(EURUSD);
      },
    });
    const config = resolveConfig({ instruments: 'data/instruments.json', strategies: [{ use: 'readme_exits' }] });
    const { summary } = runBacktest({
      config, definitions: new Map([['readme_exits', readme as StrategyDefinition]]), instruments: loadInstruments(config),
      db: openDatabase(':memory:'), log: silentLogger(), ticks: readCsvTicks(DATA, EURUSD),
    });
    const exits = [...kinds.values()].filter((k) => k[0] === 'OrderEmulated');
    const filled = exits.filter((k) => k.includes('OrderFilled')).length;
    const canceled = exits.filter((k) => k.at(-1) === 'OrderCanceled' && !k.includes('OrderReleased')).length;
    expect(filled).toBeGreaterThan(3);
    // every filled exit had a sibling canceled while still emulated (the last pair may be canceled at the end of data)
    expect(canceled).toBeGreaterThanOrEqual(filled);
    expect(Math.min(...positions)).toBe(0);
    expect(summary.positionsVerified).toBe(true);
  });

  it('brackets through a day: each entry fills, one exit fills, the other is canceled at its release; never short', () => {
    const positions: number[] = [];
    const placed: Array<{ entry: string; takeProfit: string; stopLoss: string }> = [];
    const kinds = new Map<string, string[]>();
    const trader = defineStrategy({
      name: 'brackets',
      onTick(ctx, tick) {
        positions.push(ctx.position(EURUSD).quantity);
        if (tick.kind !== 'quote' || ctx.position(EURUSD).quantity !== 0 || ctx.openOrders(EURUSD).length) return;
        placed.push(ctx.bracket({ instrumentId: EURUSD, side: 'buy', quantity: 10_000, takeProfit: tick.ask + 0.0003, stopLoss: tick.bid - 0.0003, trigger: 'bid_ask', tag: 'b' }));
      },
      onOrderEvent(_ctx, e) {
        kinds.set(e.clientOrderId, [...(kinds.get(e.clientOrderId) ?? []), e.kind]);
      },
    });
    const config = resolveConfig({ instruments: 'data/instruments.json', strategies: [{ use: 'brackets' }] });
    const { summary } = runBacktest({
      config, definitions: new Map([['brackets', trader as StrategyDefinition]]), instruments: loadInstruments(config),
      db: openDatabase(':memory:'), log: silentLogger(), ticks: readCsvTicks(DATA, EURUSD),
    });
    expect(placed.length).toBeGreaterThan(5);
    for (const b of placed.slice(0, -1)) {
      expect(kinds.get(b.entry)).toContain('OrderFilled');
      const exits = [b.takeProfit, b.stopLoss].map((id) => kinds.get(id)!);
      // exactly one exit was released and filled; the other was canceled without being released
      expect(exits.filter((k) => k.includes('OrderReleased') && k.includes('OrderFilled'))).toHaveLength(1);
      expect(exits.filter((k) => k.at(-1) === 'OrderCanceled' && !k.includes('OrderReleased'))).toHaveLength(1);
    }
    expect(Math.min(...positions)).toBe(0);
    expect(Math.max(...positions)).toBe(10_000);
    expect(summary.positionsVerified).toBe(true);
    expect(summary.openAtEnd).toEqual([]);
  });

  it('a trailing stop follows the bid up 3 pips behind and is released where the data says, never lower', () => {
    const seen: OrderEvent[] = [];
    let id = '';
    const trader = defineStrategy({
      name: 'trailer',
      vars: () => ({ placed: false }),
      onTick(ctx, tick) {
        if (tick.kind !== 'quote' || ctx.vars.placed) return;
        ctx.vars.placed = true;
        ctx.buy(EURUSD, 10_000);
        id = ctx.sell(EURUSD, 10_000, { trailingTicks: 30, trigger: 'bid_ask' }); // tick 0.00001: 3 pips
      },
      onOrderEvent(_ctx, e) {
        if (e.clientOrderId === id) seen.push(e);
      },
    });
    const config = resolveConfig({ instruments: 'data/instruments.json', strategies: [{ use: 'trailer' }] });
    runBacktest({
      config, definitions: new Map([['trailer', trader as StrategyDefinition]]), instruments: loadInstruments(config),
      db: openDatabase(':memory:'), log: silentLogger(), ticks: between(readCsvTicks(DATA, EURUSD), FROM, TO),
    });
    // from the data: the stop starts 3 pips under the first bid and rises with the highest bid since; each rise is an
    // OrderUpdated with the new trigger (stored, so a restart re-arms it there)
    const qs = quotes();
    let trigger = +(qs[0]!.bid - 0.0003).toFixed(5);
    const moves: number[] = [];
    let at = -1;
    for (let i = 1; i < qs.length && at < 0; i++) {
      const next = Math.max(trigger, +(qs[i]!.bid - 0.0003).toFixed(5));
      if (qs[i]!.bid <= next) at = i;
      else if (next !== trigger) moves.push(next);
      trigger = next;
    }
    expect(at).toBeGreaterThan(0);
    expect(moves.length).toBeGreaterThan(0);
    const kinds = seen.map((e) => e.kind);
    expect(kinds.slice(0, moves.length + 2)).toEqual(['OrderEmulated', ...moves.map(() => 'OrderUpdated'), 'OrderReleased']);
    expect(seen[0]).toMatchObject({ triggerType: 'bid_ask', trailing: 0.0003 });
    expect((seen[0] as { triggerPrice: number }).triggerPrice).toBe(+(qs[0]!.bid - 0.0003).toFixed(5));
    expect(seen.slice(1, moves.length + 1).map((e) => (e as { triggerPrice?: number }).triggerPrice)).toEqual(moves);
    expect(seen[moves.length + 1]).toMatchObject({ tsEvent: qs[at]!.tsInit, triggerObserved: qs[at]!.bid });
    expect(qs[at]!.bid).toBeGreaterThan(qs[0]!.bid - 0.0003); // it trailed: released above where it started
    expect(seen.some((e) => e.kind === 'OrderFilled')).toBe(true);
  });

  it('paper re-arms a stop, a trailing stop and an armed bracket after a restart exactly as they were: each released once, nothing sent twice', () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-emulated-'));
    try {
      const path = join(dir, 'engine.db');
      const split = FROM + 30 * 60_000;
      const qs = quotes();
      const inFirst = qs.filter((q) => q.tsInit >= FROM && q.tsInit < split);
      const inSecond = qs.filter((q) => q.tsInit >= split && q.tsInit < TO);
      const low = (xs: typeof qs) => Math.min(...xs.map((q) => q.bid));
      expect(low(inSecond)).toBeLessThan(low(inFirst)); // the sample falls further in the second session
      const trigger = +((low(inFirst) + low(inSecond)) / 2).toFixed(5); // touched only in the second session
      // a trailing distance wider than any fall from the peak in the first session: it trails there, releases later
      let peak = -Infinity;
      let fall = 0;
      for (const q of inFirst) {
        peak = Math.max(peak, q.bid);
        fall = Math.max(fall, peak - q.bid);
      }
      const distance = +(fall + 0.0001).toFixed(4);
      const seen: OrderEvent[] = [];
      const placed: Record<string, string> = {};
      const placer = defineStrategy({
        name: 'placer',
        onTick(ctx, tick) {
          if (tick.kind !== 'quote' || ctx.state.get('placed')) return;
          ctx.state.set('placed', true);
          placed.stop = ctx.sell(EURUSD, 10_000, { stop: trigger, trigger: 'bid_ask' });
          placed.trailing = ctx.sell(EURUSD, 10_000, { trailing: distance, trigger: 'bid_ask' });
          Object.assign(placed, ctx.bracket({ instrumentId: EURUSD, side: 'buy', quantity: 10_000, takeProfit: 1.5, stopLoss: trigger, trigger: 'bid_ask' }));
        },
        onOrderEvent(_ctx, e) {
          seen.push(e);
        },
      });
      const session = (from: number, to: number) => {
        const config = resolveConfig({ mode: 'paper', portfolio: 'desk', instruments: 'data/instruments.json', strategies: [{ use: 'placer' }] });
        let clock: SimulatedClock | undefined;
        const db = openDatabase(path);
        const node = createTradingNode({
          config, definitions: new Map([['placer', placer as StrategyDefinition]]), instruments: loadInstruments(config), db, log: silentLogger(),
          clock: (runner) => (clock = createSimulatedClock({ start: from, runner })),
        });
        node.start();
        for (const t of between(readCsvTicks(DATA, EURUSD), from, to)) {
          clock!.advanceTo(t.tsInit);
          node.onTick(t);
        }
        node.close(); // no stop: its open orders stay as stored, as after a crash
        db.close();
      };
      session(FROM, split);
      const first = seen.splice(0);
      expect(first.filter((e) => e.kind === 'OrderDenied')).toEqual([]);
      expect(first.filter((e) => e.clientOrderId === placed.stop).map((e) => e.kind)).toEqual(['OrderEmulated']);
      expect(first.filter((e) => e.clientOrderId === placed.entry).map((e) => e.kind)).toEqual(['OrderSubmitted', 'OrderAccepted', 'OrderFilled']);
      for (const id of [placed.takeProfit, placed.stopLoss]) expect(first.filter((e) => e.clientOrderId === id).map((e) => e.kind)).toEqual(['OrderEmulated']);
      const movedTo = first.filter((e) => e.clientOrderId === placed.trailing && e.kind === 'OrderUpdated').map((e) => (e as { triggerPrice: number }).triggerPrice);
      expect(movedTo.length).toBeGreaterThan(0); // it trailed in the first session
      const stored = openDatabase(path);
      expect(stored.prepare(`SELECT trigger_price FROM orders WHERE client_order_id = ?`).get(placed.trailing)).toEqual({ trigger_price: String(movedTo.at(-1)) });
      stored.close();

      session(split, TO);
      // re-armed where it was: it only moves up from there, never again from where it started
      const movedAgain = seen.filter((e) => e.clientOrderId === placed.trailing && e.kind === 'OrderUpdated').map((e) => (e as { triggerPrice: number }).triggerPrice);
      for (const t of movedAgain) expect(t).toBeGreaterThan(movedTo.at(-1)!);
      // the trailing stop goes on from where its last move left it, with the second session's quotes
      let trail = movedTo.at(-1)!;
      const release = inSecond.find((q) => {
        trail = Math.max(trail, +(q.bid - distance).toFixed(5));
        return q.bid <= trail;
      });
      expect(release).toBeDefined();
      const touch = inSecond.find((q) => q.bid <= trigger)!;
      const released = (id: string) => seen.find((e) => e.clientOrderId === id && e.kind === 'OrderReleased');
      expect(released(placed.stop!)).toMatchObject({ tsEvent: touch.tsInit, triggerObserved: touch.bid });
      expect(released(placed.stopLoss!)).toMatchObject({ tsEvent: touch.tsInit, triggerObserved: touch.bid });
      expect(released(placed.trailing!)).toMatchObject({ tsEvent: release!.tsInit, triggerObserved: release!.bid });

      const db = openDatabase(path);
      const kinds = (id: string) => (db.prepare(`SELECT kind FROM events WHERE client_order_id = ? ORDER BY seq`).all(id) as Array<{ kind: string }>).map((r) => r.kind);
      const filledOnce = ['OrderEmulated', 'OrderReleased', 'OrderSubmitted', 'OrderAccepted', 'OrderFilled'];
      expect(kinds(placed.stop!)).toEqual(filledOnce);
      expect(kinds(placed.stopLoss!)).toEqual(filledOnce);
      expect(kinds(placed.trailing!).filter((k) => k !== 'OrderUpdated')).toEqual(filledOnce);
      expect(kinds(placed.entry!)).toEqual(['OrderSubmitted', 'OrderAccepted', 'OrderFilled']);
      // the take-profit was never released: the stop-loss filled the whole entry, so it ended with the group
      expect(kinds(placed.takeProfit!)).toEqual(['OrderEmulated', 'OrderCanceled']);
      expect(db.prepare(`SELECT status, parent_id, oco_group FROM orders WHERE client_order_id = ?`).get(placed.stopLoss)).toEqual({ status: 'FILLED', parent_id: placed.entry, oco_group: placed.takeProfit });
      // one fill per order sent, none twice
      const fills = db.prepare(`SELECT client_order_id AS id, COUNT(*) AS n FROM fills GROUP BY client_order_id`).all() as Array<{ id: string; n: number }>;
      expect(new Map(fills.map((f) => [f.id, f.n]))).toEqual(new Map([[placed.stop, 1], [placed.trailing, 1], [placed.entry, 1], [placed.stopLoss, 1]]));
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
