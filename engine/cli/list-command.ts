/** `engine list strategies` and `engine list runs`: what there is to run, and what has run (the database read only). */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { ConfigError } from '../config/config.js';
import { DatabaseOpenError } from '../persistence/database.js';
import { loadStrategies, strategyNames } from '../kernel/strategy-loader.js';
import { strategiesOf } from '../report/run-config.js';

/** Columns padded to their widest cell; the last column is not padded. */
function table(head: readonly string[], rows: readonly string[][], right: ReadonlySet<number> = new Set()): string {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]): string =>
    cells.map((x, c) => (c === cells.length - 1 ? x : right.has(c) ? x.padStart(widths[c]!) : x.padEnd(widths[c]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

const showValue = (v: unknown): string => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

/**
 * One line per strategy in the strategies folder: the name `--strategy` takes and its default params. A file that does
 * not load is listed with the reason, and the exit code is 1.
 */
export async function listStrategiesCommand(out: (s: string) => void, strategiesDir = 'strategies'): Promise<number> {
  const names = strategyNames(strategiesDir);
  if (names.length === 0) {
    out(`no strategies in ${resolve(strategiesDir)} (the engine looks for them in strategies/ of the working directory)`);
    return 0;
  }
  let failed = 0;
  const rows: string[][] = [];
  for (const name of names) {
    try {
      const definition = (await loadStrategies([name], strategiesDir)).get(name)!;
      rows.push([name, Object.entries(definition.params ?? {}).map(([k, v]) => `${k}=${showValue(v)}`).join(' ') || '(no params)']);
    } catch (e) {
      failed++;
      rows.push([name, `cannot load: ${(e instanceof ConfigError ? e.problems.join('; ') : (e as Error).message)}`]);
    }
  }
  out(table(['strategy', 'default params'], rows));
  return failed > 0 ? 1 : 0;
}

interface RunListRow {
  id: number;
  mode: string;
  status: string;
  started_at: number;
  config_json: string;
  summary_json: string | null;
}

const parseJson = (s: string | null): unknown => {
  try {
    return s === null ? undefined : (JSON.parse(s) as unknown);
  } catch {
    return undefined;
  }
};

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

const count = (summary: unknown, key: string): string => {
  const v = isObject(summary) ? summary[key] : undefined;
  return typeof v === 'number' ? v.toLocaleString('en-US') : '-';
};

/**
 * The newest `limit` runs of a database, newest first: id, mode, status, start, ticks and fills (from the stored
 * summary, "-" while a run has none), strategies. The file is opened read-only: listing never migrates or writes it.
 */
export function listRunsCommand(args: { db: string; limit: number }, out: (s: string) => void): number {
  if (!existsSync(args.db)) throw new DatabaseOpenError(`no database at ${args.db} (${resolve(args.db)}): run a backtest first, or pass --db <path>`);
  let rows: RunListRow[];
  try {
    const db = new BetterSqlite3(args.db, { readonly: true, fileMustExist: true });
    try {
      rows = db.prepare(`SELECT id, mode, status, started_at, config_json, summary_json FROM runs ORDER BY id DESC LIMIT ?`).all(args.limit) as RunListRow[];
    } finally {
      db.close();
    }
  } catch (e) {
    throw new DatabaseOpenError(`cannot read the runs of ${args.db}: ${(e as Error).message}`, { cause: e });
  }
  if (rows.length === 0) {
    out(`no runs in ${args.db}`);
    return 0;
  }
  out(table(['run', 'mode', 'status', 'started', 'ticks', 'fills', 'strategies'], rows.map((r) => {
    const summary = parseJson(r.summary_json);
    const strategies = strategiesOf(parseJson(r.config_json)).map((s) => (s.id === s.use ? s.id : `${s.id} (${s.use})`));
    // runs interrupted before migration 7 were stored as failed; their summary says they were interrupted
    const status = r.status === 'failed' && isObject(summary) && typeof summary.interrupted === 'string' ? 'interrupted' : r.status;
    return [String(r.id), r.mode, status, new Date(r.started_at).toISOString(), count(summary, 'ticks'), count(summary, 'fills'), strategies.join(', ') || '-'];
  }), new Set([0, 4, 5])));
  return 0;
}
