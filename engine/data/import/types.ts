/**
 * Public types of the tick importer (importTicks) and exporter (exportTicks).
 */
import type { Tick } from '../../model/tick.js';

/** What the rows of a file are. `ticks`: NDJSON lines that are whole Tick objects (what exportTicks writes), any kind. */
export type ImportKind = 'quotes' | 'trades' | 'bars' | 'ticks';
export type ImportFormat = 'csv' | 'ndjson';
export type TsUnit = 'ms' | 's' | 'us' | 'ns' | 'iso';
export type ImportTimeZone = 'UTC' | 'America/New_York';

/**
 * Where the rows come from:
 * - a path to `.csv`, `.csv.gz`, `.ndjson`, `.jsonl`, `.ndjson.gz`, `.jsonl.gz` or `.zip` (one CSV/NDJSON file inside);
 * - `{ path, entry }` to pick one file of a zip holding several;
 * - `{ name, data }` for bytes already in memory (`name` gives the format, the compression and the error label).
 */
export type ImportSource =
  | string
  | { readonly path: string; readonly entry?: string }
  | { readonly name: string; readonly data: string | Uint8Array; readonly entry?: string };

export interface ImportOptions {
  readonly kind: ImportKind;
  /** Instrument id of every row (an NDJSON Tick line of kind `ticks` keeps its own `instrumentId`). */
  readonly instrument: string;
  /** Default: from the file extension (.csv/.csv.gz → csv, .ndjson/.jsonl(.gz) → ndjson, .zip → its entry's). */
  readonly format?: ImportFormat;
  /**
   * field ← column: a header name (case-insensitive) or NDJSON key, or a 0-based column index for CSV without a header.
   * A value `mid(a,b)` is the exact mean of two columns (Lean quote bars as bars of the mid).
   * Fields: quotes `ts,bid,ask[,bidSize,askSize]`; trades `ts,price,size[,aggressor,tradeId]`;
   * bars `ts,open,high,low,close[,volume,periodMs]`; all kinds also `tsEvent`, `tsInit`.
   * `ts` is the event time, except for bars where it is the bar's OPEN time (tsEvent = ts + period);
   * `tsEvent` is the event time itself (a bar's close).
   */
  readonly map?: Readonly<Record<string, string>>;
  /** The CSV has a header row. Default: true unless the map uses column indexes. */
  readonly header?: boolean;
  /** Unit of `ts`/`tsEvent`/`tsInit` values. Default 'ms'. */
  readonly tsUnit?: TsUnit;
  /**
   * 'YYYY-MM-DD' (or 'YYYYMMDD'): times are time since midnight of this day in `tz`, as in Lean files.
   * 'auto': take the day from a `YYYYMMDD` prefix of the file (or zip entry) name.
   */
  readonly date?: string;
  /** Zone of `date`'s midnight. Default 'UTC'. */
  readonly tz?: ImportTimeZone;
  /** Prices are integers × this scale (Lean equity: 10000); the result is the exact decimal. */
  readonly priceScale?: number;
  /** Quotes arrive per side: a side whose price and size are both 0 was not in the update (Lean equity quotes). */
  readonly sideUpdates?: boolean;
  /** Column name/index of a "suspicious" flag: rows whose flag is 1 are skipped and counted. */
  readonly skipFlagged?: string;
  /** Skip and count bad rows instead of stopping at the first one. */
  readonly skipBad?: boolean;
  /** Bars: bar length. Default: a `periodMs` column, else the gap between the first two rows, else 60000. */
  readonly periodMs?: number;
}

export interface ImportStats {
  /** Data rows read (header and blank lines not counted). */
  rows: number;
  /** Ticks emitted. */
  ticks: number;
  skippedBad: number;
  skippedFlagged: number;
  /** The first 5 bad-row messages (`file:line: what (row)`). */
  badSamples: string[];
}

/** A lazy sequence of ticks: the file is read while iterating; `stats` fill in as it goes (reset by a new iteration). */
export interface ImportResult extends Iterable<Tick> {
  readonly stats: Readonly<ImportStats>;
}
