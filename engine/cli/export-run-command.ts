/**
 * `engine export-run <runId|latest> --what fills|orders|trades|equity [--format csv|ndjson|parquet] [--out file]
 * [--db path]`: a stored run's fills, orders, round trips (engine/report/round-trips.ts) or equity curve as CSV, NDJSON
 * or Parquet. CSV and NDJSON keep prices, quantities, fees and PnL as the exact decimal text (NDJSON as strings);
 * Parquet has them as DOUBLE columns, each with its exact text beside it in `<name>_text`, and times as TIMESTAMP (ms).
 * Without --format the format is --out's extension (an unknown one is refused), or NDJSON to standard output; a
 * --format that --out's known extension contradicts is refused.
 * Also creates the numeric SQLite views (engine/report/numeric-views.ts) if they are not there.
 * Returns the exit code: 0 done, 2 bad arguments, a missing database or an unknown run.
 */
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import type { Database } from '../persistence/index.js';
import { ensureNumericViews } from '../report/numeric-views.js';
import { roundTrips, type TripFill } from '../report/round-trips.js';
import { contractSizesOf } from '../report/run-config.js';
import { StdoutClosedError } from './stdout.js';
import { openRun } from './stored-run.js';
import { csvCell } from '../data/import/csv-line.js';

export interface ExportRunArgs {
  readonly runId: string;
  readonly db: string;
  readonly what?: string;
  readonly format?: string;
  readonly out?: string;
}

/** text: a string; dec: exact decimal text; time: epoch ms; int: a whole number; bool: 0/1 stored. */
type Kind = 'text' | 'dec' | 'time' | 'int' | 'bool';
type Row = Record<string, unknown>;
interface Table {
  readonly columns: readonly (readonly [name: string, kind: Kind])[];
  rows(db: Database, runId: number, config: unknown): Row[];
}

const TABLES: Readonly<Record<string, Table>> = {
  fills: {
    columns: [['id', 'int'], ['ts_event', 'time'], ['instrument_id', 'text'], ['strategy_id', 'text'], ['client_order_id', 'text'], ['venue', 'text'], ['venue_order_id', 'text'], ['trade_id', 'text'], ['side', 'text'], ['qty', 'dec'], ['price', 'dec'], ['fee', 'dec'], ['fee_currency', 'text'], ['liquidity', 'text']],
    rows: (db, runId) => db.prepare('SELECT * FROM fills WHERE run_id = ? ORDER BY id').all(runId) as Row[],
  },
  orders: {
    columns: [['client_order_id', 'text'], ['ts_init', 'time'], ['ts_last', 'time'], ['strategy_id', 'text'], ['instrument_id', 'text'], ['venue', 'text'], ['side', 'text'], ['type', 'text'], ['time_in_force', 'text'], ['expire_at', 'time'], ['quantity', 'dec'], ['price', 'dec'], ['status', 'text'], ['filled_qty', 'dec'], ['avg_fill_price', 'dec'], ['venue_order_id', 'text'], ['tag', 'text'], ['post_only', 'bool'], ['reduce_only', 'bool']],
    rows: (db, runId) => db.prepare('SELECT * FROM orders WHERE run_id = ? ORDER BY ts_init, rowid').all(runId) as Row[],
  },
  equity: {
    columns: [['ts', 'time'], ['equity', 'dec']],
    rows: (db, runId) => db.prepare('SELECT ts, equity FROM equity WHERE run_id = ? ORDER BY ts').all(runId) as Row[],
  },
  trades: {
    columns: [['strategy_id', 'text'], ['instrument_id', 'text'], ['side', 'text'], ['entry_time', 'time'], ['exit_time', 'time'], ['quantity', 'dec'], ['entry_price', 'dec'], ['exit_price', 'dec'], ['pnl', 'dec'], ['fees', 'dec'], ['net_pnl', 'dec'], ['duration_ms', 'int'], ['fills', 'int'], ['tag', 'text'], ['opened_by', 'text']],
    // round trips of each strategy's own position (as the tearsheet lists them), tagged with the opening order's tag
    rows: (db, runId, config) => {
      const fills = db.prepare('SELECT strategy_id, client_order_id, instrument_id, side, qty, price, fee, ts_event FROM fills WHERE run_id = ? ORDER BY id').all(runId) as { strategy_id: string; client_order_id: string; instrument_id: string; side: 'buy' | 'sell'; qty: string; price: string; fee: string; ts_event: number }[];
      const tags = new Map((db.prepare('SELECT client_order_id, tag FROM orders WHERE run_id = ? AND tag IS NOT NULL').all(runId) as { client_order_id: string; tag: string }[]).map((r) => [r.client_order_id, r.tag]));
      const sizes = contractSizesOf(config);
      const trips = roundTrips(
        fills.map((f): TripFill => ({
          strategyId: f.strategy_id, clientOrderId: f.client_order_id, instrumentId: f.instrument_id, side: f.side, qty: f.qty, price: f.price, fee: f.fee, tsEvent: f.ts_event,
        })),
        (i) => sizes.get(i) ?? 1,
      );
      return trips.map((t) => ({
        strategy_id: t.strategyId, instrument_id: t.instrumentId, side: t.side, entry_time: t.entryTime, exit_time: t.exitTime, quantity: t.quantity, entry_price: t.entryPrice,
        exit_price: t.exitPrice, pnl: t.pnl, fees: t.fees, net_pnl: t.netPnl, duration_ms: t.durationMs, fills: t.fills,
        tag: t.openedBy === undefined ? null : tags.get(t.openedBy) ?? null, opened_by: t.openedBy ?? null,
      }));
    },
  },
};

export const EXPORT_WHATS = Object.keys(TABLES);
export const EXPORT_FORMATS = ['csv', 'ndjson', 'parquet'] as const;
type Format = (typeof EXPORT_FORMATS)[number];
/** The extensions --out may have when --format is not given. */
const EXTENSIONS: Readonly<Record<string, Format>> = { '.csv': 'csv', '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.parquet': 'parquet' };

/** A value as a CSV cell (the importer's quoting rule); empty for a missing one. */
const csvValue = (v: unknown): string => (v === undefined || v === null ? '' : csvCell(String(v)));

/** A cell for CSV and NDJSON: decimals stay exact text, flags are booleans. */
function cell(v: unknown, kind: Kind): unknown {
  if (v === undefined || v === null || v === '') return null;
  if (kind === 'bool') return v === 1 || v === true;
  if (kind === 'dec') return String(v);
  return v;
}

function formatOf(args: ExportRunArgs, err: (s: string) => void): Format | undefined {
  if (args.format !== undefined) {
    if (!(EXPORT_FORMATS as readonly string[]).includes(args.format)) {
      err(`engine export-run: --format ${args.format}: one of ${EXPORT_FORMATS.join(', ')}`);
      return undefined;
    }
    // --format csv --out x.parquet would write a file its name lies about
    const named = args.out === undefined ? undefined : EXTENSIONS[extname(args.out).toLowerCase()];
    if (named !== undefined && named !== args.format) {
      err(`engine export-run: --format ${args.format} but --out ${args.out} names ${named}: drop --format or change the extension`);
      return undefined;
    }
    return args.format as Format;
  }
  if (args.out === undefined) return 'ndjson';
  const ext = extname(args.out).toLowerCase();
  const f = EXTENSIONS[ext];
  if (f === undefined) {
    err(`engine export-run: --out ${args.out}: unknown extension ${JSON.stringify(ext)} (known: ${Object.keys(EXTENSIONS).join(', ')}), or give --format ${EXPORT_FORMATS.join('|')}`);
  }
  return f;
}

type ParquetColumn = Parameters<typeof parquetWriteFile>[0]['columnData'][number];

function writeParquet(file: string, table: Table, rows: readonly Row[]): void {
  const columnData = table.columns.flatMap(([name, kind]): ParquetColumn[] => {
    const values = rows.map((r) => r[name]);
    switch (kind) {
      case 'dec':
        return [
          { name, type: 'DOUBLE' as const, data: values.map((v) => (v === null || v === undefined || v === '' ? null : Number(v))) },
          { name: `${name}_text`, type: 'STRING' as const, data: values.map((v) => (v === null || v === undefined || v === '' ? null : String(v))) },
        ];
      case 'time':
        return [{ name, type: 'TIMESTAMP' as const, data: values.map((v) => (typeof v === 'number' ? new Date(Math.round(v)) : null)) }];
      case 'int':
        return [{ name, type: 'INT64' as const, data: values.map((v) => (typeof v === 'number' ? BigInt(Math.round(v)) : null)) }];
      case 'bool':
        return [{ name, type: 'BOOLEAN' as const, data: values.map((v) => (v === null || v === undefined ? null : v === 1 || v === true)) }];
      default:
        return [{ name, type: 'STRING' as const, data: values.map((v) => (v === null || v === undefined ? null : String(v))) }];
    }
  });
  parquetWriteFile({ filename: file, columnData, createdBy: 'strategy-engine export-run' });
}

export async function exportRunCommand(args: ExportRunArgs, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const what = args.what;
  const table = what === undefined ? undefined : TABLES[what];
  if (table === undefined) {
    err(`engine export-run: --what ${what ?? '(missing)'}: one of ${EXPORT_WHATS.join(', ')}`);
    return 2;
  }
  const format = formatOf(args, err);
  if (format === undefined) return 2;
  if (format === 'parquet' && args.out === undefined) {
    err('engine export-run: Parquet is written to a file: give --out <file>.parquet');
    return 2;
  }
  const opened = openRun('export-run', args.runId, args.db, err);
  if (opened === undefined) return 2;
  const { db, runId, run } = opened;
  try {
    ensureNumericViews(db);
    const rows = table.rows(db, runId, run.config);
    if (format === 'parquet') {
      writeParquet(args.out!, table, rows);
      err(`engine export-run: ${rows.length} ${what} of run ${runId} written to ${args.out}`);
      return 0;
    }
    const names = table.columns.map(([n]) => n);
    const line = (r: Row): string => {
      const vals = table.columns.map(([n, k]) => cell(r[n], k));
      return format === 'csv' ? vals.map(csvValue).join(',') : JSON.stringify(Object.fromEntries(names.map((n, i) => [n, vals[i]])));
    };
    if (args.out !== undefined) {
      const lines = rows.map(line);
      if (format === 'csv') lines.unshift(names.join(','));
      writeFileSync(args.out, lines.length > 0 ? `${lines.join('\n')}\n` : '');
      err(`engine export-run: ${rows.length} ${what} of run ${runId} written to ${args.out}`);
      return 0;
    }
    if (format === 'csv') out(names.join(','));
    for (let i = 0; i < rows.length; i += 1_000) out(rows.slice(i, i + 1_000).map(line).join('\n'));
    return 0;
  } catch (e) {
    if (e instanceof StdoutClosedError) throw e; // the reader has gone (| head): not an error
    err(`engine export-run: ${(e as Error).message}`);
    return 2;
  } finally {
    db.close();
  }
}
