/**
 * `engine export-run` on a real backtest: fills, orders, trades (round trips) and equity as NDJSON and CSV with the
 * stored exact text, Parquet read back by an independent reader (@dsnp/parquetjs; written by hyparquet-writer), the
 * numeric views, and the errors: an unknown --out extension, a bad run, a missing database.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ParquetReader } from '@dsnp/parquetjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from '../../engine/model/decimal.js';
import { openDatabase } from '../../engine/persistence/index.js';

const ROOT = resolve(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'engine-export-run-'));
const db = join(dir, 'runs.db');
const engine = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, maxBuffer: 256 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
type Row = Record<string, unknown>;
let summary: { trades: number; fees: number; realizedPnl: number };
const stored = (sql: string): Row[] => {
  const d = openDatabase(db);
  try {
    return d.prepare(sql).all() as Row[];
  } finally {
    d.close();
  }
};
const parseCsv = (text: string): Row[] => {
  const [head, ...lines] = text.trim().split('\n');
  const names = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v])));
};

beforeAll(() => {
  const r = engine('backtest', '--strategy', 'flip-flop', '--data', 'data/sample/eurusd-fxcm-quotes.tkr', '--to', '2014-05-05T12:00:00Z', '--db', db, '--json');
  expect(r.code, r.err).toBe(0);
  summary = JSON.parse(r.out) as typeof summary;
}, 90_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('engine export-run', () => {
  it('exports fills, orders and equity as NDJSON and CSV with the stored exact text', () => {
    const fills = stored('SELECT * FROM fills WHERE run_id = 1 ORDER BY id');
    const orders = stored('SELECT * FROM orders WHERE run_id = 1 ORDER BY ts_init, rowid');
    const equity = stored('SELECT * FROM equity WHERE run_id = 1 ORDER BY ts');
    expect(fills.length).toBeGreaterThan(100);
    for (const [what, rows, key] of [['fills', fills, 'id'], ['orders', orders, 'client_order_id'], ['equity', equity, 'ts']] as const) {
      const nd = engine('export-run', 'latest', '--what', what, '--db', db);
      expect(nd.code, nd.err).toBe(0);
      const lines = nd.out.trim().split('\n').map((l) => JSON.parse(l) as Row);
      expect(lines).toHaveLength(rows.length);
      expect(lines.map((l) => l[key])).toEqual(rows.map((r) => r[key]));
      const out = join(dir, `${what}.csv`);
      const csv = engine('export-run', '1', '--what', what, '--db', db, '--out', out);
      expect(csv.code, csv.err).toBe(0);
      const csvRows = parseCsv(readFileSync(out, 'utf8'));
      expect(csvRows).toHaveLength(rows.length);
      expect(csvRows.map((l) => l[key])).toEqual(rows.map((r) => String(r[key])));
      // the same CSV on standard output with --format
      expect(engine('export-run', '1', '--what', what, '--db', db, '--format', 'csv').out).toBe(readFileSync(out, 'utf8'));
    }
    const nd = engine('export-run', '1', '--what', 'fills', '--db', db).out.trim().split('\n').map((l) => JSON.parse(l) as Row);
    const csv = parseCsv(engine('export-run', '1', '--what', 'fills', '--db', db, '--format', 'csv').out);
    for (const i of [0, 1, fills.length - 1]) {
      for (const c of ['qty', 'price', 'fee', 'side', 'instrument_id']) {
        expect(nd[i]![c]).toBe(fills[i]![c]); // exact decimal text, as a JSON string
        expect(csv[i]![c]).toBe(fills[i]![c]);
      }
      expect(nd[i]!.ts_event).toBe(fills[i]!.ts_event);
    }
    const ord = engine('export-run', '1', '--what', 'orders', '--db', db).out.trim().split('\n').map((l) => JSON.parse(l) as Row);
    expect(ord[0]).toMatchObject({ quantity: orders[0]!.quantity, filled_qty: orders[0]!.filled_qty, avg_fill_price: orders[0]!.avg_fill_price, post_only: false, price: null });
    const eq = engine('export-run', '1', '--what', 'equity', '--db', db).out.trim().split('\n').map((l) => JSON.parse(l) as Row);
    expect(eq.at(-1)).toEqual({ ts: equity.at(-1)!.ts, equity: equity.at(-1)!.equity });
  }, 120_000);

  it('exports trades: one per round trip the summary counts, their PnL adding up to the run\'s realized PnL', () => {
    const nd = engine('export-run', 'latest', '--what', 'trades', '--db', db);
    expect(nd.code, nd.err).toBe(0);
    const trips = nd.out.trim().split('\n').map((l) => JSON.parse(l) as Row);
    expect(trips).toHaveLength(summary.trades);
    expect(Object.keys(trips[0]!)).toEqual(['strategy_id', 'instrument_id', 'side', 'entry_time', 'exit_time', 'quantity', 'entry_price', 'exit_price', 'pnl', 'fees', 'net_pnl', 'duration_ms', 'fills', 'tag', 'opened_by']);
    const fills = stored('SELECT * FROM fills WHERE run_id = 1 ORDER BY id LIMIT 2');
    // flip-flop: sells 10000, then buys 20000 (closes and goes long): the first trip is short, its fee and half the second's
    expect(trips[0]).toMatchObject({ strategy_id: 'flip-flop', opened_by: fills[0]!.client_order_id, side: 'short', entry_time: fills[0]!.ts_event, exit_time: fills[1]!.ts_event, quantity: '10000', entry_price: fills[0]!.price, exit_price: fills[1]!.price, fills: 2 });
    // flip-flop's open position never closed in part: the closed trips hold all the realized PnL, exactly
    expect(trips.reduce((a, t) => a.plus(t.pnl as string), new Decimal(0)).toNumber()).toBe(summary.realizedPnl);
    expect(trips.every((t) => new Decimal(t.net_pnl as string).eq(new Decimal(t.pnl as string).minus(t.fees as string)))).toBe(true);
    expect(trips.every((t) => t.duration_ms === (t.exit_time as number) - (t.entry_time as number))).toBe(true);
    const csv = parseCsv(engine('export-run', '1', '--what', 'trades', '--db', db, '--format', 'csv').out);
    expect(csv).toHaveLength(summary.trades);
    expect(csv[5]).toEqual(Object.fromEntries(Object.entries(trips[5]!).map(([k, v]) => [k, v === null ? '' : String(v)])));
  }, 120_000);

  it('writes Parquet (picked by the extension) that an independent reader reads back: DOUBLE numbers, exact text, times', async () => {
    const fills = stored('SELECT * FROM fills WHERE run_id = 1 ORDER BY id');
    const file = join(dir, 'fills.parquet');
    const r = engine('export-run', 'latest', '--what', 'fills', '--db', db, '--out', file);
    expect(r.code, r.err).toBe(0);
    const reader = await ParquetReader.openFile(file);
    try {
      expect(Number(reader.getRowCount())).toBe(fills.length);
      expect(Object.keys(reader.getSchema().fields)).toEqual([
        'id', 'ts_event', 'instrument_id', 'strategy_id', 'client_order_id', 'venue', 'venue_order_id', 'trade_id', 'side',
        'qty', 'qty_text', 'price', 'price_text', 'fee', 'fee_text', 'fee_currency', 'liquidity',
      ]);
      expect(reader.getSchema().fields.price!.primitiveType).toBe('DOUBLE');
      const cursor = reader.getCursor();
      const rows: Row[] = [];
      for (let row = await cursor.next(); row !== null; row = await cursor.next()) rows.push(row as Row);
      expect(rows).toHaveLength(fills.length);
      for (const i of [0, 7, fills.length - 1]) {
        const s = fills[i]!;
        expect(rows[i]).toMatchObject({ id: BigInt(s.id as number), side: s.side, price: Number(s.price), price_text: s.price, qty: Number(s.qty), fee: Number(s.fee), fee_text: s.fee, trade_id: s.trade_id });
        expect((rows[i]!.ts_event as Date).getTime()).toBe(Math.round(s.ts_event as number));
      }
    } finally {
      await reader.close();
    }

    const tradesFile = join(dir, 'trades.parquet');
    expect(engine('export-run', '1', '--what', 'trades', '--db', db, '--out', tradesFile).code).toBe(0);
    const nd = engine('export-run', '1', '--what', 'trades', '--db', db).out.trim().split('\n').map((l) => JSON.parse(l) as Row);
    const tr = await ParquetReader.openFile(tradesFile);
    try {
      expect(Number(tr.getRowCount())).toBe(summary.trades);
      const cursor = tr.getCursor();
      const first = (await cursor.next()) as Row;
      expect(first).toMatchObject({ side: nd[0]!.side, pnl: Number(nd[0]!.pnl), pnl_text: nd[0]!.pnl, entry_price: Number(nd[0]!.entry_price), fills: 2n });
      expect((first.exit_time as Date).getTime()).toBe(nd[0]!.exit_time);
    } finally {
      await tr.close();
    }
  }, 120_000);

  it('leaves numeric views in the database for SQL users', () => {
    expect(engine('export-run', '1', '--what', 'equity', '--db', db).code).toBe(0);
    const [sums] = stored('SELECT sum(fee) AS fees, typeof(price) AS t, (SELECT typeof(equity) FROM equity_num LIMIT 1) AS e, (SELECT typeof(filled_qty) FROM orders_num LIMIT 1) AS o FROM fills_num WHERE run_id = 1');
    expect(sums).toMatchObject({ t: 'real', e: 'real', o: 'real' });
    expect(sums!.fees as number).toBeCloseTo(summary.fees, 6);
  }, 120_000);

  it('refuses an unknown --out extension (listing the known ones), a bad run, a missing database: exit 2, one line', () => {
    const xlsx = join(dir, 'fills.xlsx');
    const r = engine('export-run', '1', '--what', 'fills', '--db', db, '--out', xlsx);
    expect(r).toMatchObject({ code: 2, err: expect.stringMatching(/unknown extension "\.xlsx" \(known: \.csv, \.ndjson, \.jsonl, \.parquet\)/) });
    expect(existsSync(xlsx)).toBe(false);
    expect(engine('export-run', '9', '--what', 'fills', '--db', db)).toMatchObject({ code: 2, err: expect.stringMatching(/no run 9 in .*runs\.db/) });
    expect(engine('export-run', 'x', '--what', 'fills', '--db', db)).toMatchObject({ code: 2, err: expect.stringMatching(/must be a run id/) });
    const none = engine('export-run', '1', '--what', 'fills', '--db', join(dir, 'none.db'));
    expect(none).toMatchObject({ code: 2, err: expect.stringMatching(/no database at .*none\.db/) });
    expect(none.err.trim().split('\n')).toHaveLength(1);
    expect(engine('export-run', '1', '--what', 'positions', '--db', db)).toMatchObject({ code: 2, err: expect.stringMatching(/--what positions: one of fills, orders, equity, trades/) });
    expect(engine('export-run', '1', '--what', 'fills', '--db', db, '--format', 'parquet')).toMatchObject({ code: 2, err: expect.stringMatching(/give --out/) });
    expect(engine('export-run', '1', '--what', 'fills', '--db', db, '--format', 'csv', '--out', join(dir, 'f.parquet'))).toMatchObject({ code: 2, err: expect.stringMatching(/--format csv but --out .*f\.parquet names parquet/) });
    expect(existsSync(join(dir, 'f.parquet'))).toBe(false);
  }, 120_000);
});
