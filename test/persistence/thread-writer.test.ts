/**
 * The backtest writer on a thread of its own (persistence/thread-writer.ts): a run written by it stores exactly what
 * the engine-thread writer stores (orders, fills, positions, equity, the journal's events, in order); flush() returns
 * only once another connection can read everything; a thread that cannot open the database says so and the run reports
 * what was not stored instead of losing it silently.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../engine/config/config.js';
import { loadInstruments } from '../../engine/config/load.js';
import { openTicks } from '../../engine/data/source.js';
import { runBacktest } from '../../engine/kernel/backtest.js';
import { loadStrategies } from '../../engine/kernel/strategy-loader.js';
import { silentLogger } from '../../engine/log/logger.js';
import { openDatabase } from '../../engine/persistence/database.js';
import { loadEvents } from '../../engine/persistence/repositories.js';
import { createRun } from '../../engine/persistence/runs.js';
import { createThreadEventWriter } from '../../engine/persistence/thread-writer.js';
import { PORTFOLIO, accept, fill, newOrder, submit } from './fixtures.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'engine-thread-writer-'));
  dirs.push(d);
  return d;
};

async function backtestInto(path: string, writerThread: boolean) {
  const config = resolveConfig({
    instruments: 'data/instruments.json', strategies: [{ use: 'sma-cross', params: { fast: 5, slow: 20 } }, { use: 'quoter' }],
    storage: { writerThread, maxBatch: 500 }, sim: { latencyMs: 1 },
  });
  const definitions = await loadStrategies(config.strategies.map((s) => s.use));
  const db = openDatabase(path);
  const { summary } = runBacktest({
    config, definitions, instruments: loadInstruments(config), db, log: silentLogger(),
    ticks: openTicks([{ file: 'data/sample/eurusd-fxcm-quotes.tkr' }], { to: Date.UTC(2014, 4, 5, 12) }),
  });
  const dump = {
    orders: db.prepare(`SELECT * FROM orders ORDER BY client_order_id`).all(),
    fills: db.prepare(`SELECT * FROM fills ORDER BY id`).all(),
    positions: db.prepare(`SELECT * FROM positions ORDER BY instrument_id`).all(),
    equity: db.prepare(`SELECT * FROM equity ORDER BY ts`).all(),
    events: loadEvents(db, summary.runId).map((e) => e.event),
    chunks: (db.prepare(`SELECT COUNT(*) AS n FROM event_journal`).get() as { n: number }).n,
  };
  db.close();
  return { summary, dump };
}

describe('the backtest writer thread', () => {
  it('stores what the engine-thread writer stores, byte for byte, in the same order', async () => {
    const dir = tempDir();
    const inThread = await backtestInto(join(dir, 'a.db'), false);
    const threaded = await backtestInto(join(dir, 'b.db'), true);
    expect(threaded.summary.orders).toBeGreaterThan(1000);
    expect(threaded.summary.fills).toBeGreaterThan(100);
    expect(threaded.summary.positionsVerified).toBe(true);
    expect(threaded.dump.orders).toEqual(inThread.dump.orders);
    expect(threaded.dump.fills).toEqual(inThread.dump.fills);
    expect(threaded.dump.positions).toEqual(inThread.dump.positions);
    expect(threaded.dump.equity).toEqual(inThread.dump.equity);
    expect(threaded.dump.events).toEqual(inThread.dump.events);
    expect(threaded.dump.events.length).toBeGreaterThan(threaded.summary.orders);
    expect(threaded.dump.chunks).toBeGreaterThan(1);
    const { elapsedMs: _a, ...a } = threaded.summary as unknown as Record<string, unknown>;
    const { elapsedMs: _b, ...b } = inThread.summary as unknown as Record<string, unknown>;
    expect(a).toEqual(b);
  });

  it('flush() returns once another connection reads every row: what restoring a dropped order relies on', () => {
    const path = join(tempDir(), 'engine.db');
    const db = openDatabase(path);
    const runId = createRun(db, { mode: 'backtest', portfolioId: PORTFOLIO, startedAt: 0, config: {} });
    const errors: string[] = [];
    const writer = createThreadEventWriter({ path, runId, portfolioId: PORTFOLIO, maxBatch: 3, contractSizes: [], onError: (e) => errors.push(e.message) });
    for (let i = 1; i <= 20; i++) {
      const o = newOrder();
      writer.append(submit(o), o);
      writer.append(accept(o), o);
      writer.append(fill(o, { tradeId: `t-${i}`, qty: 0.3, price: 100 + i }), o);
      writer.flushIfDue();
    }
    writer.appendEquity(5, '12.5');
    expect(writer.flush()).toBe(true);
    const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
    expect(count(`SELECT COUNT(*) AS n FROM orders WHERE status = 'FILLED'`)).toBe(20);
    expect(count(`SELECT COUNT(*) AS n FROM fills`)).toBe(20);
    expect(count(`SELECT COUNT(*) AS n FROM equity`)).toBe(1);
    expect(loadEvents(db, runId).map((e) => e.event.kind).slice(0, 3)).toEqual(['OrderSubmitted', 'OrderAccepted', 'OrderFilled']);
    expect(writer.stats()).toMatchObject({ appended: 61, committed: 61, pending: 0, duplicateFills: 0 });
    expect(writer.close()).toBe(true);
    expect(errors).toEqual([]);
    db.close();
  });

  it('a thread that cannot open the database says so; nothing counts as stored', () => {
    const dir = tempDir();
    const notADb = join(dir, 'not-a-db');
    writeFileSync(notADb, 'this is not an SQLite file, but long enough to look like one would have a header here....');
    const errors: string[] = [];
    const writer = createThreadEventWriter({ path: notADb, runId: 1, portfolioId: PORTFOLIO, maxBatch: 2, contractSizes: [], onError: (e) => errors.push(e.message) });
    const o = newOrder();
    writer.append(submit(o), o);
    writer.append(accept(o), o);
    writer.flushIfDue();
    expect(writer.flush()).toBe(false);
    expect(writer.stats().pending).toBe(2);
    expect(writer.close()).toBe(false);
    expect(errors.join('\n')).toMatch(/the writer thread could not open .*not-a-db/);
  });
});
