/**
 * Checks ImportOptions once, before any row is read, and resolves their defaults. A wrong option is a DataError that
 * names the option and what is allowed.
 */
import { DataError } from '../csv-ticks.js';
import { type ColumnRef, type Field, isIndex, parseMap, refsOf, type RowKind } from './fields.js';
import { leanDateOf } from './lean-presets.js';
import { localDay, type LocalDay, parseDay } from './time.js';
import type { ImportFormat, ImportKind, ImportOptions, ImportTimeZone, TsUnit } from './types.js';

export interface Resolved {
  readonly kind: ImportKind;
  readonly instrument: string;
  readonly format: ImportFormat | undefined;
  readonly map: Map<Field, ColumnRef>;
  readonly header: boolean;
  readonly tsUnit: TsUnit;
  /** The day times are relative to; 'auto' until the file name is known. */
  readonly day: LocalDay | 'auto' | undefined;
  readonly tz: ImportTimeZone;
  readonly priceScale: number;
  readonly sideUpdates: boolean;
  readonly flag: string | undefined;
  readonly skipBad: boolean;
  readonly periodMs: number | undefined;
}

const KINDS: readonly ImportKind[] = ['quotes', 'trades', 'bars', 'ticks'];
const UNITS: readonly TsUnit[] = ['ms', 's', 'us', 'ns', 'iso'];
const ZONES: readonly ImportTimeZone[] = ['UTC', 'America/New_York'];
const KNOWN = new Set(['kind', 'instrument', 'format', 'map', 'header', 'tsUnit', 'date', 'tz', 'priceScale', 'sideUpdates', 'skipFlagged', 'skipBad', 'periodMs']);

export function resolveOptions(opts: ImportOptions): Resolved {
  for (const key of Object.keys(opts)) {
    if (!KNOWN.has(key)) throw new DataError(`import options: unknown option "${key}" (known: ${[...KNOWN].join(', ')})`);
  }
  const oneOf = <T extends string>(name: string, v: T | undefined, allowed: readonly T[], dflt: T): T => {
    if (v === undefined) return dflt;
    if (!allowed.includes(v)) throw new DataError(`import options: ${name} must be one of ${allowed.join(', ')} (got ${JSON.stringify(v)})`);
    return v;
  };
  if (!KINDS.includes(opts.kind)) throw new DataError(`import options: kind must be one of ${KINDS.join(', ')} (got ${JSON.stringify(opts.kind)})`);
  const kind = opts.kind;
  if (typeof opts.instrument !== 'string' || opts.instrument === '') throw new DataError('import options: instrument must be a non-empty instrument id');
  const format = opts.format === undefined ? undefined : oneOf('format', opts.format, ['csv', 'ndjson'], 'csv');
  const tsUnit = oneOf('tsUnit', opts.tsUnit, UNITS, 'ms');
  const tz = oneOf('tz', opts.tz, ZONES, 'UTC');
  if (kind === 'ticks' && (opts.map || opts.sideUpdates || opts.skipFlagged !== undefined || opts.priceScale !== undefined || opts.date !== undefined || format === 'csv')) {
    throw new DataError('import options: kind "ticks" reads NDJSON Tick objects as they are; map, date, priceScale, sideUpdates, skipFlagged and CSV do not apply');
  }
  const map = kind === 'ticks' ? new Map<Field, ColumnRef>() : parseMap(kind as RowKind, opts.map ?? {});
  const refs = [...[...map.values()].flatMap(refsOf), ...(opts.skipFlagged === undefined ? [] : [opts.skipFlagged])];
  const header = opts.header ?? !(refs.length > 0 && refs.every(isIndex));
  let day: Resolved['day'];
  if (opts.date === 'auto') day = 'auto';
  else if (opts.date !== undefined) {
    const d = parseDay(opts.date);
    if (!d) throw new DataError(`import options: date must be YYYY-MM-DD (or 'auto' to read it from a Lean file name), got ${JSON.stringify(opts.date)}`);
    day = localDay(d[0], d[1], d[2], tz);
  }
  if (day !== undefined && tsUnit === 'iso') throw new DataError('import options: date (times since midnight) and tsUnit "iso" (full date-times) exclude each other');
  if (opts.priceScale !== undefined && !(Number.isFinite(opts.priceScale) && opts.priceScale > 0)) {
    throw new DataError(`import options: priceScale must be a positive number (got ${opts.priceScale})`);
  }
  if (opts.periodMs !== undefined && !(Number.isFinite(opts.periodMs) && opts.periodMs > 0)) {
    throw new DataError(`import options: periodMs must be a positive number of milliseconds (got ${opts.periodMs})`);
  }
  if (opts.sideUpdates && kind !== 'quotes') throw new DataError('import options: sideUpdates applies to quotes only');
  if (opts.periodMs !== undefined && kind !== 'bars') throw new DataError('import options: periodMs applies to bars only');
  return {
    kind, instrument: opts.instrument, format, map, header, tsUnit, day, tz,
    priceScale: opts.priceScale ?? 1, sideUpdates: opts.sideUpdates ?? false, flag: opts.skipFlagged,
    skipBad: opts.skipBad ?? false, periodMs: opts.periodMs,
  };
}

/** The day in a Lean file name (`20131007_quote.zip`, `20131007_ibm_Quote_Tick.csv`): the first name that has one. */
export function dayFromNames(names: readonly string[], tz: ImportTimeZone): LocalDay | undefined {
  for (const name of names) {
    const d = leanDateOf(name);
    const p = d ? parseDay(d) : undefined;
    if (p) return localDay(p[0], p[1], p[2], tz);
  }
  return undefined;
}
