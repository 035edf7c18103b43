/** `engine import` (CSV/NDJSON → a recording) and `engine export` (a recording → CSV/NDJSON). */
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../config/config.js';
import { DataError } from '../data/csv-ticks.js';
import { exportTicks, importTicks, leanPreset, type ImportOptions, type LeanPresetName } from '../data/import/index.js';
import { createRecordingWriter, recordingInfo, replayRecordings } from '../data/recording/index.js';
import type { Tick } from '../model/tick.js';
import { parseTime } from './cli-options.js';
import { writeStdout } from './stdout.js';
import { terminalFor, type TerminalStream } from '../log/terminal.js';
import { performance } from 'node:perf_hooks';

export interface ImportArgs {
  kind?: string;
  instrument: string;
  out: string;
  map?: string;
  tsUnit?: string;
  date?: string;
  tz?: string;
  priceScale?: string;
  sideUpdates?: boolean;
  skipFlagged?: string;
  skipBad?: boolean;
  periodMs?: string;
  preset?: string;
  format?: string;
}

const PRESETS = ['fx-quote', 'equity-quote', 'equity-trade', 'crypto-quote-bar', 'crypto-trade-bar'];
const KINDS: Record<string, ImportOptions['kind']> = { quotes: 'quotes', trades: 'trades', bars: 'bars', ticks: 'ticks' };

/** `--map col=field,col=field` (as a user reads a file: its column, then our field) → the importer's field ← column. */
export function parseMap(spec: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new ConfigError([`--map ${pair}: write column=field, e.g. time=ts,b=bid`]);
    map[pair.slice(eq + 1).trim()] = pair.slice(0, eq).trim();
  }
  return map;
}

const number = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError([`--${name}: expected a positive number, got ${JSON.stringify(v)}`]);
  return n;
};

export function importOptions(file: string, a: ImportArgs): ImportOptions {
  let base: Partial<ImportOptions> = {};
  if (a.preset !== undefined) {
    if (!PRESETS.includes(a.preset)) throw new ConfigError([`--preset ${a.preset}: one of ${PRESETS.join(', ')}`]);
    // without --date the day is read when the file is opened: from its name, else from its zip entry's
    base = leanPreset(a.preset as LeanPresetName, a.date);
  }
  const kind = a.kind === undefined ? base.kind : KINDS[a.kind];
  if (kind === undefined) throw new ConfigError([`--kind: one of quotes, trades, bars, ticks${a.kind === undefined ? ' (or --preset)' : `, got ${JSON.stringify(a.kind)}`}`]);
  return {
    ...base,
    kind,
    instrument: a.instrument,
    ...(a.format !== undefined ? { format: a.format as ImportOptions['format'] } : {}),
    ...(a.map !== undefined ? { map: { ...base.map, ...parseMap(a.map) } } : {}),
    ...(a.tsUnit !== undefined ? { tsUnit: a.tsUnit as ImportOptions['tsUnit'] } : {}),
    ...(a.date !== undefined && a.preset === undefined ? { date: a.date } : {}),
    ...(a.tz !== undefined ? { tz: a.tz as ImportOptions['tz'] } : {}),
    ...(a.priceScale !== undefined ? { priceScale: number('price-scale', a.priceScale) } : {}),
    ...(a.sideUpdates ? { sideUpdates: true } : {}),
    ...(a.skipFlagged !== undefined ? { skipFlagged: a.skipFlagged } : {}),
    ...(a.skipBad ? { skipBad: true } : {}),
    ...(a.periodMs !== undefined ? { periodMs: number('period-ms', a.periodMs) } : {}),
  };
}

/**
 * Imports into a recording (appending when it exists). Returns the exit code. All or nothing: an import that fails
 * (a bad row, a tick earlier than the recording's last) leaves the recording as it was, so a retry does not append
 * twice, and says so.
 */
export function importCommand(file: string, a: ImportArgs, out: (s: string) => void): number {
  const opts = importOptions(file, a);
  const ticks = importTicks(file, opts);
  mkdirSync(dirname(a.out), { recursive: true });
  const appending = existsSync(a.out);
  const sizeBefore = appending ? statSync(a.out).size : 0;
  // a recording is replayed in time order: an appended tick may not go back before the last one already there
  let last = appending ? recordingInfo(a.out).to ?? -Infinity : -Infinity;
  const lastWhere = `the last one already in ${a.out}`;
  let done = false;
  const writer = createRecordingWriter(a.out);
  const progress = importProgress(ticks.stats);
  try {
    let first = true;
    let n = 0;
    for (const t of ticks) {
      if ((++n & 4095) === 0) progress?.tick(t.tsInit);
      if (t.tsInit < last) {
        const what = first ? lastWhere : 'the one before it in this file';
        throw new DataError(`${file}: a tick at ${new Date(t.tsInit).toISOString()} is earlier than ${new Date(last).toISOString()}, ${what}: a recording must be in time order (import into a new file, or import the files oldest first)`);
      }
      last = t.tsInit;
      first = false;
      writer.append(t);
    }
    done = true;
  } catch (e) {
    if (e instanceof DataError) throw new DataError(`${e.message}\nnothing was imported: ${appending ? `${a.out} is as it was before` : `no ${a.out} was written`}`);
    throw e;
  } finally {
    progress?.done();
    try {
      writer.close();
    } finally {
      if (!done) undoImport(a.out, appending, sizeBefore);
    }
  }
  const s = ticks.stats;
  out(`${appending ? 'appended' : 'wrote'} ${s.ticks.toLocaleString('en-US')} ticks (${opts.kind} of ${opts.instrument}) from ${s.rows.toLocaleString('en-US')} rows to ${a.out}`);
  if (s.skippedFlagged > 0) out(`skipped ${s.skippedFlagged} flagged rows`);
  if (s.skippedBad > 0) out(`skipped ${s.skippedBad} bad rows (--skip-bad), e.g.:\n  ${s.badSamples.join('\n  ')}`);
  return 0;
}

/**
 * On a terminal, a progress line while an import runs (at most 4 draws a second): rows read, ticks written, rows a
 * second and the time of the latest tick; nothing when standard error is not a terminal.
 */
export function importProgress(
  stats: { readonly rows: number; readonly ticks: number }, stream: TerminalStream = process.stderr,
): { tick(ts: number): void; done(): void } | undefined {
  if (!stream.isTTY) return undefined;
  const terminal = terminalFor(stream);
  const t0 = performance.now();
  let last = t0;
  return {
    tick(ts) {
      const now = performance.now();
      if (now - last < 250) return;
      last = now;
      const rate = Math.round(stats.rows / Math.max((now - t0) / 1000, 1e-3));
      terminal.status(`  importing: ${stats.rows.toLocaleString('en-US')} rows, ${stats.ticks.toLocaleString('en-US')} ticks, ${rate.toLocaleString('en-US')} rows/s · at ${new Date(ts).toISOString().slice(0, 19).replace('T', ' ')} UTC`);
    },
    done() {
      terminal.clearStatus();
    },
  };
}

/** Takes a recording back to what it was before a failed import: its old length, or no file. */
function undoImport(path: string, existed: boolean, size: number): void {
  if (existed) truncateSync(path, size);
  else rmSync(path, { force: true });
}

/** A recording (or several, merged) → CSV or NDJSON, optionally one instrument / kind. */
export async function exportCommand(
  files: string[],
  a: { format?: string; out?: string; instrument?: string; kind?: string; from?: string; to?: string },
  out: (s: string) => void,
): Promise<number> {
  const format = a.format ?? (a.out?.endsWith('.csv') ? 'csv' : 'ndjson');
  if (format !== 'csv' && format !== 'ndjson') throw new ConfigError([`--format: csv or ndjson, got ${JSON.stringify(format)}`]);
  const kind = a.kind === undefined ? undefined : { quotes: 'quote', trades: 'trade', bars: 'bar', books: 'book' }[a.kind];
  if (a.kind !== undefined && kind === undefined) throw new ConfigError([`--kind: quotes, trades, bars or books, got ${JSON.stringify(a.kind)}`]);
  const from = a.from === undefined ? undefined : parseTime(a.from);
  const to = a.to === undefined ? undefined : parseTime(a.to);
  if (from === undefined && a.from !== undefined) throw new ConfigError([`--from: not a date: ${JSON.stringify(a.from)} (an ISO date or epoch milliseconds)`]);
  if (to === undefined && a.to !== undefined) throw new ConfigError([`--to: not a date: ${JSON.stringify(a.to)} (an ISO date or epoch milliseconds)`]);
  function* selected(): Generator<Tick> {
    for (const t of replayRecordings(files, { from, to })) {
      if ((a.instrument === undefined || t.instrumentId === a.instrument) && (kind === undefined || t.kind === kind)) yield t;
    }
  }
  let n: number;
  if (a.out === undefined) {
    // stops at the first chunk after the reader closed standard output (StdoutClosedError: exit 0)
    n = exportTicks(selected(), format, writeStdout);
  } else {
    mkdirSync(dirname(a.out), { recursive: true });
    const fd = openSync(a.out, 'w');
    try {
      n = exportTicks(selected(), format, (chunk) => void writeSync(fd, chunk));
    } finally {
      closeSync(fd);
    }
    out(`wrote ${n.toLocaleString('en-US')} ticks to ${a.out}`);
  }
  return 0;
}

