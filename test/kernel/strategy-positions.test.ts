/**
 * Positions per strategy (issue 12 item 1): ctx.position is the strategy's own, the account's position is the sum and
 * stays what account-level risk uses; fills and PnL are attributed per strategy in the summary; paper and live take
 * each strategy's position back from the stored fills on the next start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedClock, type SimulatedClock } from '../../engine/clock/simulated-clock.js';
import { resolveConfig } from '../../engine/config/config.js';
import { loadInstruments } from '../../engine/config/load.js';
import { readCsvTicks } from '../../engine/data/csv-ticks.js';
import { between } from '../../engine/data/merge.js';
import { runBacktest } from '../../engine/kernel/backtest.js';
import { createTradingNode } from '../../engine/kernel/trading-node.js';
import { silentLogger } from '../../engine/log/logger.js';
import { loadFills, openDatabase, type Database } from '../../engine/persistence/index.js';
import { defineStrategy, type StrategyDefinition } from '../../engine/strategy/index.js';

const DATA = 'data/sample/eurusd-fxcm-20140505.quotes.csv.gz';
const EURUSD = 'EURUSD.FXCM';
const FROM = Date.UTC(2014, 4, 5, 8);
const TO = Date.UTC(2014, 4, 5, 9);

/** Sells 10,000 on its first quote and holds the short. */
const shorter = defineStrategy({
  name: 'shorter',
  vars: () => ({ sent: false }),
  onTick(ctx, tick) {
    if (tick.kind !== 'quote' || ctx.vars.sent) return;
    ctx.vars.sent = true;
    ctx.sell(EURUSD, 10_000);
  },
});

/** Closes whatever position it sees, on every quote; records what it saw. */
const seen: Array<{ own: number; account: number }> = [];
const flattener = defineStrategy({
  name: 'flattener',
  onTick(ctx, tick) {
    if (tick.kind !== 'quote') return;
    const own = ctx.position(EURUSD).quantity;
    seen.push({ own, account: ctx.accountPosition(EURUSD).quantity });
    if (own !== 0 && ctx.openOrders(EURUSD).length === 0) ctx.submit({ instrumentId: EURUSD, side: own > 0 ? 'sell' : 'buy', quantity: Math.abs(own) });
  },
});

/** Buys 1,000 every 200th quote and sells it back 100 quotes later: many round trips of its own. */
const cycler = defineStrategy({
  name: 'cycler',
  vars: () => ({ n: 0 }),
  onTick(ctx, tick) {
    if (tick.kind !== 'quote') return;
    const n = ctx.vars.n++;
    if (n % 200 === 0) ctx.buy(EURUSD, 1_000);
    else if (n % 200 === 100 && ctx.position(EURUSD).quantity > 0) ctx.sell(EURUSD, ctx.position(EURUSD).quantity);
  },
});

const definitions = new Map<string, StrategyDefinition>([['shorter', shorter], ['flattener', flattener], ['cycler', cycler]] as Array<[string, StrategyDefinition]>);

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('positions per strategy', () => {
  it("one strategy's position is not another's: the flattener never closes the shorter's short", () => {
    seen.length = 0;
    const config = resolveConfig({ instruments: 'data/instruments.json', strategies: [{ use: 'shorter' }, { use: 'flattener' }] });
    const db = openDatabase(':memory:');
    const { summary, node } = runBacktest({
      config, definitions, instruments: loadInstruments(config), db, log: silentLogger(), ticks: between(readCsvTicks(DATA, EURUSD), FROM, TO),
    });
    // the account is short 10,000, the flattener saw it there and its own position flat all along
    expect(summary.positions.map((p) => [p.instrumentId, p.quantity])).toEqual([[EURUSD, -10_000]]);
    expect(seen.length).toBeGreaterThan(100);
    expect(seen.every((s) => s.own === 0)).toBe(true);
    expect(seen.at(-1)!.account).toBe(-10_000);
    expect(summary.fills).toBe(1);
    expect(loadFills(db, summary.portfolioId).map((f) => f.strategyId)).toEqual(['shorter']);
    expect(summary.byStrategy!.map((r) => [r.strategyId, r.fills, r.positions.map((p) => p.quantity)])).toEqual([['shorter', 1, [-10_000]]]);
    expect(node.portfolio.strategyView('flattener', EURUSD).side).toBe('flat');
    expect(summary.positionsVerified).toBe(true);
  });

  it('attributes fills, PnL and fees to each strategy; the account is their sum and all verify against the stored fills', () => {
    const config = resolveConfig({ instruments: 'data/instruments.json', strategies: [{ use: 'shorter' }, { use: 'cycler' }] });
    const db = openDatabase(':memory:');
    const { summary } = runBacktest({
      config, definitions, instruments: loadInstruments(config), db, log: silentLogger(), ticks: between(readCsvTicks(DATA, EURUSD), FROM, TO),
    });
    const by = new Map(summary.byStrategy!.map((r) => [r.strategyId, r]));
    expect([...by.keys()].sort()).toEqual(['cycler', 'shorter']);
    const cycler = by.get('cycler')!;
    expect(cycler.fills).toBeGreaterThan(10);
    // the cycler sells back what it bought: flat at the end (on its own), while the account holds the shorter's short
    expect(cycler.positions[0]!.quantity).toBe(0);
    expect(by.get('shorter')!.positions[0]!.quantity).toBe(-10_000);
    expect(summary.positions[0]!.quantity).toBe(-10_000);
    // fills per strategy in the database equal the summary's; PnL and fees add up to the account's, exactly
    const fills = loadFills(db, summary.portfolioId);
    expect(fills.filter((f) => f.strategyId === 'cycler').length).toBe(cycler.fills);
    expect(cycler.fills + by.get('shorter')!.fills).toBe(summary.fills);
    // net PnL and fees add up; realized does not (the account nets one strategy's buys against the other's short)
    const sum = (k: 'netPnl' | 'fees' | 'realizedPnl') => summary.byStrategy!.reduce((a, r) => a + Number(r.exact[k]), 0);
    expect(sum('netPnl')).toBeCloseTo(Number(summary.exact!.netPnl), 9);
    expect(sum('fees')).toBeCloseTo(Number(summary.exact!.fees), 9);
    expect(sum('realizedPnl')).not.toBeCloseTo(Number(summary.exact!.realizedPnl), 6);
    expect(cycler.exact.realizedPnl).not.toBe('0');
    expect(summary.positionsVerified).toBe(true);
  });

  it("paper: the next session starts with each strategy's own position, rebuilt from the stored fills", () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-strategy-positions-'));
    dirs.push(dir);
    const path = join(dir, 'engine.db');
    const session = (db: Database, from: number, to: number) => {
      const config = resolveConfig({ mode: 'paper', portfolio: 'desk', instruments: 'data/instruments.json', strategies: [{ use: 'shorter' }, { use: 'flattener' }] });
      let clock: SimulatedClock | undefined;
      const node = createTradingNode({
        config, definitions, instruments: loadInstruments(config), db, log: silentLogger(),
        clock: (runner) => (clock = createSimulatedClock({ start: from, runner })),
      });
      const before = { shorter: node.portfolio.strategyView('shorter', EURUSD).quantity, flattener: node.portfolio.strategyView('flattener', EURUSD).quantity };
      node.start();
      for (const t of between(readCsvTicks(DATA, EURUSD), from, to)) {
        clock!.advanceTo(t.tsInit);
        node.onTick(t);
      }
      clock!.advanceTo(to);
      node.close();
      return { node, before };
    };
    seen.length = 0;
    const first = session(openDatabase(path), FROM, TO);
    expect(first.node.portfolio.strategyView('shorter', EURUSD).quantity).toBe(-10_000);
    seen.length = 0;
    // the second session's shorter sells again (its vars start over): it had -10,000 of its own from the first
    const second = session(openDatabase(path), TO, TO + 1_800_000);
    expect(second.before).toEqual({ shorter: -10_000, flattener: 0 });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => s.own === 0)).toBe(true);
    expect(second.node.portfolio.strategyView('shorter', EURUSD).quantity).toBe(-20_000);
    expect(second.node.portfolio.view(EURUSD).quantity).toBe(-20_000);
  });
});
