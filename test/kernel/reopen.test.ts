import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedClock, type SimulatedClock } from '../../engine/clock/simulated-clock.js';
import { resolveConfig } from '../../engine/config/config.js';
import { loadInstruments } from '../../engine/config/load.js';
import { readCsvTicks } from '../../engine/data/csv-ticks.js';
import { between } from '../../engine/data/merge.js';
import { loadStrategies } from '../../engine/kernel/strategy-loader.js';
import { createTradingNode } from '../../engine/kernel/trading-node.js';
import { silentLogger } from '../../engine/log/logger.js';
import { loadPositions, openDatabase, type Database } from '../../engine/persistence/index.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

async function paperSession(db: Database, from: number, to: number) {
  const config = resolveConfig({ mode: 'paper', portfolio: 'desk1', instruments: 'data/instruments.json', strategies: [{ use: 'flip-flop' }] });
  const definitions = await loadStrategies(['flip-flop']);
  let clock: SimulatedClock | undefined;
  const node = createTradingNode({
    config, definitions, instruments: loadInstruments(config), db, log: silentLogger(),
    clock: (runner) => (clock = createSimulatedClock({ start: from, runner })),
  });
  const before = node.portfolio.view('EURUSD.FXCM');
  node.start();
  for (const t of between(readCsvTicks('data/sample/eurusd-fxcm-20140505.quotes.csv.gz', 'EURUSD.FXCM'), from, to)) {
    clock!.advanceTo(t.tsInit);
    node.onTick(t);
  }
  clock!.advanceTo(to);
  node.close();
  return { node, before };
}

describe('reopening a database (paper/live portfolios)', () => {
  it('carries positions and strategy state over to the next session', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-reopen-'));
    dirs.push(dir);
    const path = join(dir, 'engine.db');
    const h = 3_600_000;
    const first = await paperSession(openDatabase(path), Date.UTC(2014, 4, 5, 8), Date.UTC(2014, 4, 5, 8) + h);
    const after1 = first.node.portfolio.view('EURUSD.FXCM');
    expect(first.node.stats.fills).toBeGreaterThan(0);

    const db2 = openDatabase(path);
    const second = await paperSession(db2, Date.UTC(2014, 4, 5, 9), Date.UTC(2014, 4, 5, 9) + h);
    expect(second.before.quantity).toBe(after1.quantity);
    expect(second.before.realizedPnl).toBe(after1.realizedPnl);
    // client order ids resume past the first session's
    const counters = db2.prepare(`SELECT client_order_id FROM orders ORDER BY ts_init`).all() as Array<{ client_order_id: string }>;
    expect(new Set(counters.map((r) => r.client_order_id)).size).toBe(counters.length);
    expect(loadPositions(db2, "desk1-paper").get("EURUSD.FXCM")!.fillCount).toBe(first.node.stats.fills + second.node.stats.fills);
  });

  it('refuses to start when stored positions do not equal the stored fills', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-reopen-'));
    dirs.push(dir);
    const path = join(dir, 'engine.db');
    await paperSession(openDatabase(path), Date.UTC(2014, 4, 5, 8), Date.UTC(2014, 4, 5, 9));
    const db = openDatabase(path);
    db.prepare(`UPDATE positions SET quantity = '123' WHERE portfolio_id = 'desk1-paper'`).run();
    await expect(paperSession(db, Date.UTC(2014, 4, 5, 9), Date.UTC(2014, 4, 5, 10))).rejects.toThrow(/stored positions of portfolio "desk1-paper" do not match its stored fills/);
  });
});
