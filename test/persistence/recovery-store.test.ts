import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../engine/persistence/database.js';
import { createEventWriter } from '../../engine/persistence/event-writer.js';
import { loadFillMark } from '../../engine/persistence/fill-marks.js';
import { MIGRATIONS, migrate } from '../../engine/persistence/migrations.js';
import { loadOpenOrders, storedOrderReader } from '../../engine/persistence/repositories.js';
import { createRun } from '../../engine/persistence/runs.js';
import { accept, cancel, fill, newOrder, submit, tempDir } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

const writerFor = (db: ReturnType<typeof openDatabase>, runId: number, portfolioId: string) =>
  createEventWriter(db, { runId, portfolioId, flushIntervalMs: 0, onError: (e) => { throw e; } });

describe('what a paper or live start recovers from the database', () => {
  it('finds an order of any earlier run of the portfolio, and none of another portfolio', () => {
    const db = openDatabase(':memory:');
    const run1 = createRun(db, { mode: 'live', portfolioId: 'desk', startedAt: 1_000, config: {} });
    const o = newOrder();
    const w1 = writerFor(db, run1, 'desk');
    w1.append(submit(o), o);
    w1.append(accept(o), o);
    w1.append(fill(o, { tradeId: 't1', qty: 0.1, price: 100 }), o);
    w1.flush();
    createRun(db, { mode: 'live', portfolioId: 'desk', startedAt: 2_000, config: {} });
    const other = createRun(db, { mode: 'live', portfolioId: 'elsewhere', startedAt: 2_000, config: {} });
    expect(storedOrderReader(db, 'desk')(o.clientOrderId)?.order.status).toBe('PARTIALLY_FILLED');
    expect(storedOrderReader(db, 'desk')(o.clientOrderId)?.fills.map((f) => f.tradeId)).toEqual(['t1']);
    expect(storedOrderReader(db, 'elsewhere')(o.clientOrderId)).toBeUndefined();
    expect(loadOpenOrders(db, 'desk').map((s) => s.order.clientOrderId)).toEqual([o.clientOrderId]);
    expect(loadOpenOrders(db, 'elsewhere')).toEqual([]);
    expect(other).toBeGreaterThan(run1);
  });

  it('leaves closed orders out of the open ones', () => {
    const db = openDatabase(':memory:');
    const run = createRun(db, { mode: 'live', portfolioId: 'desk', startedAt: 1_000, config: {} });
    const w = writerFor(db, run, 'desk');
    const done = newOrder();
    w.append(submit(done), done);
    w.append(cancel(done), done);
    w.flush();
    expect(loadOpenOrders(db, 'desk')).toEqual([]);
  });
});

describe('the fill mark', () => {
  it('starts at the portfolio\'s first run, then is the stored mark, which never goes back', () => {
    const db = openDatabase(':memory:');
    expect(loadFillMark(db, 'desk', 'SIM')).toEqual({ since: 0, source: 'none' });
    const run = createRun(db, { mode: 'live', portfolioId: 'desk', startedAt: 5_000, config: {} });
    createRun(db, { mode: 'live', portfolioId: 'desk', startedAt: 9_000, config: {} });
    expect(loadFillMark(db, 'desk', 'SIM')).toEqual({ since: 5_000, source: 'first-run' });
    const w = writerFor(db, run, 'desk');
    w.saveFillMark('SIM', 20_000, 20_001);
    w.saveFillMark('SIM', 15_000, 20_002); // an older mark written late does not move it back
    w.flush();
    expect(loadFillMark(db, 'desk', 'SIM')).toEqual({ since: 20_000, source: 'mark' });
    expect(loadFillMark(db, 'desk', 'OTHER')).toEqual({ since: 5_000, source: 'first-run' });
  });

  it('is committed with or after the fills appended before it, never before them', () => {
    const file = tmp.path('engine.db');
    const db = openDatabase(file);
    const run = createRun(db, { mode: 'live', portfolioId: 'desk', startedAt: 0, config: {} });
    const w = createEventWriter(db, { runId: run, portfolioId: 'desk', maxBatch: 3, flushOnAppend: true, flushIntervalMs: 0, onError: (e) => { throw e; } });
    const o = newOrder();
    w.append(submit(o), o);
    w.append(fill(o, { tradeId: 't1', qty: 0.3, price: 100 }), o);
    w.saveFillMark('SIM', 50_000, 50_000); // the third item: the batch commits with it
    const reader = new Database(file, { readonly: true });
    const row = reader.prepare(`SELECT (SELECT COUNT(*) FROM fills) AS fills, (SELECT COUNT(*) FROM venue_sync) AS marks`).get();
    expect(row).toEqual({ fills: 1, marks: 1 });
    reader.close();
    db.close();
  });
});

describe('migration 4 on a database written before it', () => {
  it('gives every stored order the portfolio of the run that created it', () => {
    const file = tmp.path('old.db');
    const old = new Database(file);
    migrate(old, MIGRATIONS.slice(0, 3));
    old.prepare(`INSERT INTO runs (mode, portfolio_id, status, started_at, config_json) VALUES ('live', 'desk', 'finished', 1, '{}')`).run();
    old.prepare(`INSERT INTO orders (client_order_id, run_id, strategy_id, instrument_id, venue, side, type, time_in_force, quantity, status, filled_qty, post_only, reduce_only, ts_init, ts_last)
      VALUES ('s-1-1', 1, 's', 'BTCUSD.SIM', 'SIM', 'buy', 'limit', 'GTC', '1', 'ACCEPTED', '0', 0, 0, 1, 1)`).run();
    old.close();
    const db = openDatabase(file);
    expect(loadOpenOrders(db, 'desk').map((s) => s.order.clientOrderId)).toEqual(['s-1-1']);
    db.close();
  });
});
