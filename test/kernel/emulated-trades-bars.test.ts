/**
 * Emulated orders and contingencies in backtests on trades (IBM, a day of real prints) and on bars (BTC/USD, a day of
 * real one-minute bars), checked against the data (issue 13): each order watching the last price is released at the
 * first print — or the first point of a bar's stated path, open → low → high → close when it closed up or flat,
 * open → high → low → close when down — that reaches its trigger, and the OCO pair and the bracket never fill more
 * than one member's quantity. And the scenario the paper test walks on the simulator (every type and contingency),
 * walked again as a backtest on quotes, with the same releases and outcomes.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../engine/config/config.js';
import { loadInstruments } from '../../engine/config/load.js';
import { readRecording } from '../../engine/data/recording/reader.js';
import { runBacktest } from '../../engine/kernel/backtest.js';
import { silentLogger } from '../../engine/log/logger.js';
import type { OrderEvent } from '../../engine/model/events.js';
import type { Tick } from '../../engine/model/tick.js';
import { openDatabase } from '../../engine/persistence/index.js';
import { defineStrategy, type StrategyContext, type StrategyDefinition } from '../../engine/strategy/index.js';

/** What a tick shows a trigger watching `last`, in order (the emulator's stated rule). */
const pathOf = (t: Tick): number[] =>
  t.kind === 'trade' ? [t.price] : t.kind === 'bar' ? (t.close >= t.open ? [t.open, t.low, t.high, t.close] : [t.open, t.high, t.low, t.close]) : [];

/** The first tick from `from` (an index) whose path reaches `trigger` going `up` (or down): its index and the price seen. */
function firstTouch(ticks: readonly Tick[], from: number, trigger: number, up: boolean): { index: number; observed: number } | undefined {
  for (let i = from; i < ticks.length; i++) {
    for (const p of pathOf(ticks[i]!)) if (up ? p >= trigger : p <= trigger) return { index: i, observed: p };
  }
  return undefined;
}

type Placer = (ctx: StrategyContext, first: number) => Record<string, string>;

function run(file: string, instrument: string, place: Placer, placeAt = 0) {
  const ticks = [...readRecording(file)];
  let seen = 0;
  const events: OrderEvent[] = [];
  let ids: Record<string, string> = {};
  const strategy = defineStrategy({
    name: 'placer',
    vars: () => ({ placed: false }),
    onTick(ctx, tick) {
      if (ctx.vars.placed || seen++ < placeAt) return;
      ctx.vars.placed = true;
      ids = place(ctx as unknown as StrategyContext, pathOf(tick).at(-1)!);
    },
    onOrderEvent(_ctx, e) {
      events.push(e);
    },
  });
  const config = resolveConfig({ instruments: 'data/instruments.json', strategies: [{ use: 'placer' }] });
  runBacktest({ config, definitions: new Map([['placer', strategy as StrategyDefinition]]), instruments: loadInstruments(config), db: openDatabase(':memory:'), log: silentLogger(), ticks });
  const of = (name: string) => events.filter((e) => e.clientOrderId === ids[name]);
  const released = (name: string) => of(name).find((e) => e.kind === 'OrderReleased') as Extract<OrderEvent, { kind: 'OrderReleased' }> | undefined;
  const filled = (name: string) => of(name).filter((e) => e.kind === 'OrderFilled').reduce((s, e) => s + (e as { lastQty: number }).lastQty, 0);
  const fillTick = (name: string) => ticks.findIndex((t) => t.tsInit === of(name).find((e) => e.kind === 'OrderFilled')?.tsEvent);
  return { ticks, events, ids: () => ids, of, released, filled, fillTick, instrument };
}

/** A released order matches the data: released at the tick and price the data says, from `from` on. */
function expectRelease(r: ReturnType<typeof run>, name: string, from: number, trigger: number, up: boolean): void {
  const touch = firstTouch(r.ticks, from, trigger, up);
  expect(touch, `${name}: the data reaches ${trigger}`).toBeDefined();
  expect(r.released(name), name).toMatchObject({ tsEvent: r.ticks[touch!.index]!.tsInit, triggerObserved: touch!.observed });
}

describe('emulated orders on trades and on bars, against the data', () => {
  it('on a day of IBM prints: a buy stop-limit, an OCO pair, a bracket and an OTO child', () => {
    // (its stop-loss is released as a market order, which prints alone cannot fill: its release is what is checked)
    const r = run('data/sample/ibm-20131007-trades.tkr', 'IBM.US', (ctx) => {
      const id = 'IBM.US';
      const ids: Record<string, string> = {};
      ids.stopLimit = ctx.buy(id, 100, { stop: 183, price: 183.1 });
      // prints alone are no market to fill a market order at (the simulated venue rejects it, NO_MARKET): limits here
      ids.ocoStop = ctx.sell(id, 100, { stop: 181.45, price: 181.4 });
      ids.ocoTouch = ctx.sell(id, 100, { touch: 182, price: 182, ocoWith: ids.ocoStop });
      const b = ctx.bracket({ instrumentId: id, side: 'buy', quantity: 100, price: 181.6, takeProfit: 182.5, stopLoss: 181.4 });
      Object.assign(ids, { entry: b.entry, tp: b.takeProfit, sl: b.stopLoss });
      ids.otoParent = ctx.buy(id, 100, { price: 181.5 });
      ids.otoChild = ctx.sell(id, 100, { touch: 182.2, price: 182.2, parent: ids.otoParent });
      return ids;
    });
    expectRelease(r, 'stopLimit', 1, 183, true);
    // the OCO pair: the member the data reaches first is released there; together they sell at most 100
    const stopFirst = firstTouch(r.ticks, 1, 181.45, false);
    const touchFirst = firstTouch(r.ticks, 1, 182, true);
    const firstName = (stopFirst?.index ?? Infinity) < (touchFirst?.index ?? Infinity) ? 'ocoStop' : 'ocoTouch';
    expectRelease(r, firstName, 1, firstName === 'ocoStop' ? 181.45 : 182, firstName === 'ocoTouch');
    expect(r.filled('ocoStop') + r.filled('ocoTouch')).toBeLessThanOrEqual(100);
    // the bracket's exits are armed at the entry's fill; the first the data reaches from there goes
    const armedAt = r.fillTick('entry');
    expect(armedAt).toBeGreaterThan(0);
    const tpAt = firstTouch(r.ticks, armedAt, 182.5, true)?.index ?? Infinity;
    const slAt = firstTouch(r.ticks, armedAt, 181.4, false)?.index ?? Infinity;
    expect(Math.min(tpAt, slAt)).toBeLessThan(Infinity);
    if (slAt < tpAt) expectRelease(r, 'sl', armedAt, 181.4, false);
    else expectRelease(r, 'tp', armedAt, 182.5, true);
    expect(r.filled('tp') + r.filled('sl')).toBeLessThanOrEqual(r.filled('entry'));
    // the OTO child waits for its parent's fill, then releases at the first print from there that reaches it
    const parentFill = r.fillTick('otoParent');
    expect(parentFill).toBeGreaterThan(0);
    expect(r.released('otoChild')!.tsEvent).toBeGreaterThanOrEqual(r.ticks[parentFill]!.tsInit);
    expectRelease(r, 'otoChild', parentFill, 182.2, true);
  });

  it('on a day of BTC/USD one-minute bars: a trailing stop, a buy if-touched, an OCO pair and a bracket, along each bar\'s path', () => {
    const r = run('data/sample/btcusd-coinbase-20180404-bars.tkr', 'BTCUSD.COINBASE', (ctx, first) => {
      const id = 'BTCUSD.COINBASE';
      const ids: Record<string, string> = {};
      ids.trailing = ctx.sell(id, 0.1, { trailing: 60, stop: +(first - 60).toFixed(2) });
      ids.mit = ctx.buy(id, 0.1, { touch: 7_000 });
      ids.ocoStop = ctx.sell(id, 0.1, { stop: 7_200 });
      ids.ocoTouch = ctx.sell(id, 0.1, { touch: 7_450, price: 7_450, ocoWith: ids.ocoStop });
      const b = ctx.bracket({ instrumentId: id, side: 'buy', quantity: 0.1, takeProfit: 7_460, stopLoss: 7_350 });
      Object.assign(ids, { entry: b.entry, tp: b.takeProfit, sl: b.stopLoss });
      return ids;
    });
    // the trailing stop, walked along the bars' paths: the trigger follows the peak 60 behind, then is checked
    let trigger = +(pathOf(r.ticks[0]!).at(-1)! - 60).toFixed(2);
    let at: { index: number; observed: number } | undefined;
    for (let i = 1; i < r.ticks.length && at === undefined; i++) {
      for (const p of pathOf(r.ticks[i]!)) {
        trigger = Math.max(trigger, +(p - 60).toFixed(2));
        if (p <= trigger) {
          at = { index: i, observed: p };
          break;
        }
      }
    }
    expect(at).toBeDefined();
    expect(r.released('trailing')).toMatchObject({ tsEvent: r.ticks[at!.index]!.tsInit, triggerObserved: at!.observed });
    expectRelease(r, 'mit', 1, 7_000, false);
    const stopFirst = firstTouch(r.ticks, 1, 7_200, false)?.index ?? Infinity;
    const touchFirst = firstTouch(r.ticks, 1, 7_450, true)?.index ?? Infinity;
    if (stopFirst < touchFirst) expectRelease(r, 'ocoStop', 1, 7_200, false);
    else expectRelease(r, 'ocoTouch', 1, 7_450, true);
    expect(r.filled('ocoStop') + r.filled('ocoTouch')).toBeLessThanOrEqual(0.1);
    const armedAt = r.fillTick('entry');
    expect(armedAt).toBeGreaterThan(0);
    const tpAt = firstTouch(r.ticks, armedAt, 7_460, true)?.index ?? Infinity;
    const slAt = firstTouch(r.ticks, armedAt, 7_350, false)?.index ?? Infinity;
    if (slAt < tpAt) expectRelease(r, 'sl', armedAt, 7_350, false);
    else expectRelease(r, 'tp', armedAt, 7_460, true);
    expect(r.filled('tp') + r.filled('sl')).toBeLessThanOrEqual(r.filled('entry') + 1e-12);
  });

  it('a bar that reaches both members of an OCO pair releases them in its stated order: a down bar its high first', () => {
    const bars = [...readRecording('data/sample/btcusd-coinbase-20180404-bars.tkr')] as Extract<Tick, { kind: 'bar' }>[];
    // a down bar that opens strictly inside its range: placed a bar before it, a take-profit just under its high and a
    // stop just over its low are touched by it alone, the take-profit first (open → high → low → close)
    const i = bars.findIndex((b, k) => k > 0 && b.close < b.open && b.high - b.open > 1 && b.open - b.low > 1 && bars[k - 1]!.close < b.high - 1 && bars[k - 1]!.close > b.low + 1);
    expect(i).toBeGreaterThan(0);
    const bar = bars[i]!;
    const tp = +(bar.high - 0.5).toFixed(2);
    const sl = +(bar.low + 0.5).toFixed(2);
    const r = run('data/sample/btcusd-coinbase-20180404-bars.tkr', 'BTCUSD.COINBASE', (ctx) => {
      const stop = ctx.sell('BTCUSD.COINBASE', 0.1, { stop: sl });
      return { stop, touch: ctx.sell('BTCUSD.COINBASE', 0.1, { touch: tp, price: tp, ocoWith: stop }) };
    }, i - 1);
    expect(r.released('touch')).toMatchObject({ tsEvent: bar.tsInit, triggerObserved: bar.high });
    // the take-profit is released first; the stop, reached later in the same bar, comes after it if at all
    const { stop, touch } = r.ids();
    const releases = r.events.filter((e) => e.kind === 'OrderReleased').map((e) => e.clientOrderId);
    expect(releases[0]).toBe(touch);
    expect(releases.filter((id) => id !== touch && id !== stop)).toEqual([]);
    expect(r.filled('stop') + r.filled('touch')).toBeLessThanOrEqual(0.1);
  });
});

describe('the paper scenario as a backtest on quotes', () => {
  it('releases every type and keeps every contingency exactly as paper does on the simulator', async () => {
    const { default: placer, SCENARIO_PATH, SCENARIO_RELEASES } = await import('./crash/scenario-placer.js');
    const id = 'BTCUSD.VENUE1';
    // each mid of the path held for five quotes a second apart, the bid a cent under, the ask a cent over
    const ticks: Tick[] = [];
    let ts = Date.UTC(2026, 0, 5);
    for (const { mid } of SCENARIO_PATH) {
      for (let k = 0; k < 5; k++, ts += 1_000) ticks.push({ kind: 'quote', instrumentId: id, tsEvent: ts, tsInit: ts, bid: +(mid - 0.01).toFixed(2), ask: +(mid + 0.01).toFixed(2), bidSize: 5, askSize: 5 });
    }
    const events: OrderEvent[] = [];
    const watched = defineStrategy({ ...placer, name: 'sc', onOrderEvent: (_ctx, e) => void events.push(e) });
    const config = resolveConfig({
      instruments: [{ id, venue: 'VENUE1', venueSymbol: 'BTCUSD', base: 'BTC', quote: 'USD', tickSize: 0.01, stepSize: 0.0001 }],
      strategies: [{ use: 'sc' }],
    });
    const db = openDatabase(':memory:');
    runBacktest({ config, definitions: new Map([['sc', watched as StrategyDefinition]]), instruments: loadInstruments(config), db, log: silentLogger(), ticks });
    const ids = JSON.parse((db.prepare(`SELECT value_json FROM strategy_state WHERE key = 'ids'`).get() as { value_json: string }).value_json) as Record<string, string>;
    const kinds = (name: string) => events.filter((e) => e.clientOrderId === ids[name]).map((e) => e.kind).filter((k) => k !== 'OrderUpdated');
    for (const [name, price] of Object.entries(SCENARIO_RELEASES)) {
      expect(events.find((e) => e.clientOrderId === ids[name] && e.kind === 'OrderReleased'), name).toMatchObject({ triggerObserved: price });
      expect(kinds(name), name).toEqual(['OrderEmulated', 'OrderReleased', 'OrderSubmitted', 'OrderAccepted', 'OrderFilled']);
    }
    const final = new Map((db.prepare(`SELECT client_order_id, status FROM orders`).all() as Array<{ client_order_id: string; status: string }>).map((r) => [r.client_order_id, r.status]));
    for (const { expect: expected } of SCENARIO_PATH) {
      for (const [name, status] of Object.entries(expected)) if (status === 'FILLED' || status === 'CANCELED') expect(final.get(ids[name]!), name).toBe(status);
    }
  });
});
