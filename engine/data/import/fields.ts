/**
 * The fields each kind of row has, the header names / NDJSON keys they are found under by default, and the plan that
 * says where each field is read from: a column index (CSV) or a key slot (NDJSON), or the mean of two (`mid(a,b)`).
 */
import { DataError } from '../csv-ticks.js';
import type { ImportKind } from './types.js';

export type RowKind = Exclude<ImportKind, 'ticks'>;

const COMMON = ['ts', 'tsEvent', 'tsInit', 'kind', 'instrumentId'] as const;
export const KIND_FIELDS = {
  quotes: [...COMMON, 'bid', 'ask', 'bidSize', 'askSize'],
  trades: [...COMMON, 'price', 'size', 'aggressor', 'tradeId'],
  bars: [...COMMON, 'open', 'high', 'low', 'close', 'volume', 'periodMs'],
} as const satisfies Record<RowKind, readonly string[]>;

export type Field = (typeof KIND_FIELDS)[RowKind][number];

/** Header names / keys a field is found under when the map does not name it (compared without case, `_`, `-`, spaces). */
const DEFAULT_NAMES: Record<Field, readonly string[]> = {
  ts: ['ts', 'time', 'timestamp', 'datetime'],
  tsEvent: ['tsevent'],
  tsInit: ['tsinit'],
  kind: ['kind'],
  instrumentId: ['instrumentid'],
  bid: ['bid', 'bidprice', 'bidpx'],
  ask: ['ask', 'askprice', 'askpx', 'offer'],
  bidSize: ['bidsize', 'bidqty', 'bidvolume'],
  askSize: ['asksize', 'askqty', 'askvolume', 'offersize'],
  price: ['price', 'px'],
  size: ['size', 'qty', 'quantity', 'amount'],
  aggressor: ['aggressor', 'side'],
  tradeId: ['tradeid'],
  open: ['open'],
  high: ['high'],
  low: ['low'],
  close: ['close'],
  volume: ['volume', 'vol'],
  periodMs: ['periodms'],
};

/** Where a field's value is: `slot` (else the first present of `alt`), or the exact mean of two slots. */
export interface Accessor {
  readonly name: string;
  readonly slot: number;
  readonly alt?: readonly number[];
  readonly mid?: readonly [number, number];
}

/** A map value: a column name/index, or `mid(a,b)`. */
export type ColumnRef = { readonly ref: string } | { readonly mid: readonly [string, string] };

export interface Plan {
  readonly fields: Partial<Record<Field, Accessor>>;
  readonly flag?: Accessor;
}

export const normalizeName = (s: string): string => s.toLowerCase().replace(/[\s_\-.]/g, '');
export const isIndex = (ref: string): boolean => /^\d+$/.test(ref);

/** Parses and checks a user map: every key a field of the kind, every value a column or `mid(a,b)`. */
export function parseMap(kind: RowKind, map: Readonly<Record<string, string>>): Map<Field, ColumnRef> {
  const known: readonly string[] = KIND_FIELDS[kind];
  const out = new Map<Field, ColumnRef>();
  for (const [field, value] of Object.entries(map)) {
    if (!known.includes(field)) {
      throw new DataError(`map: "${field}" is not a field of ${kind} (fields: ${known.filter((f) => f !== 'kind' && f !== 'instrumentId').join(', ')})`);
    }
    if (typeof value !== 'string' || value.trim() === '') throw new DataError(`map: "${field}" must name a column (got ${JSON.stringify(value)})`);
    const mid = /^\s*mid\(\s*([^,()]+?)\s*,\s*([^,()]+?)\s*\)\s*$/i.exec(value);
    if (mid) out.set(field as Field, { mid: [mid[1]!, mid[2]!] });
    else if (/^\s*mid\(/i.test(value)) throw new DataError(`map: "${field}": "${value}" must read mid(column, column)`);
    else out.set(field as Field, { ref: value.trim() });
  }
  return out;
}

export function refsOf(c: ColumnRef): readonly string[] {
  return 'ref' in c ? [c.ref] : c.mid;
}

/**
 * Plan for CSV: `header` is the header row (undefined for a headerless file, where every ref must be an index).
 * Fields the map does not name are found by their default header names.
 */
export function planCsv(kind: RowKind, map: Map<Field, ColumnRef>, flag: string | undefined, header: readonly string[] | undefined, label: string): Plan {
  const norm = header?.map((h) => normalizeName(h.trim()));
  const lower = header?.map((h) => h.trim().toLowerCase());
  const column = (ref: string, what: string): number => {
    if (isIndex(ref)) return Number(ref);
    if (!lower || !norm) throw new DataError(`${label}: ${what} names column "${ref}" but the file has no header: use a 0-based column index`);
    let i = lower.indexOf(ref.toLowerCase());
    if (i < 0) i = norm.indexOf(normalizeName(ref));
    if (i < 0) throw new DataError(`${label}:1: ${what}: no column "${ref}" in the header (${excerpt(header!.join(','))})`);
    return i;
  };
  const fields: Partial<Record<Field, Accessor>> = {};
  for (const field of KIND_FIELDS[kind]) {
    const ref = map.get(field);
    if (ref) {
      fields[field] = 'ref' in ref
        ? { name: ref.ref, slot: column(ref.ref, `map.${field}`) }
        : { name: `mid(${ref.mid.join(',')})`, slot: -1, mid: [column(ref.mid[0], `map.${field}`), column(ref.mid[1], `map.${field}`)] };
    } else if (norm) {
      const i = norm.findIndex((h) => DEFAULT_NAMES[field].includes(h));
      if (i >= 0) fields[field] = { name: header![i]!.trim(), slot: i };
    }
  }
  const plan: Plan = { fields, ...(flag === undefined ? {} : { flag: { name: flag, slot: column(flag, 'skipFlagged') } }) };
  return checkRequired(kind, plan, label, header ? `the header (${excerpt(header.join(','))})` : 'the map');
}

/** Plan for NDJSON: slots are assigned to the keys of interest; unnamed fields accept any of their default keys. */
export function planNdjson(kind: RowKind, map: Map<Field, ColumnRef>, flag: string | undefined, label: string): { plan: Plan; slotOf: Map<string, number> } {
  const slotOf = new Map<string, number>();
  const slot = (key: string): number => {
    let s = slotOf.get(key);
    if (s === undefined) slotOf.set(key, (s = slotOf.size));
    return s;
  };
  const fields: Partial<Record<Field, Accessor>> = {};
  for (const field of KIND_FIELDS[kind]) {
    const ref = map.get(field);
    if (ref) {
      fields[field] = 'ref' in ref ? { name: ref.ref, slot: slot(ref.ref) } : { name: `mid(${ref.mid.join(',')})`, slot: -1, mid: [slot(ref.mid[0]), slot(ref.mid[1])] };
    } else {
      // The field's own name first (tsEvent, bidSize), then its snake_case form and the other default names.
      const keys = [...new Set([field, field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), ...DEFAULT_NAMES[field]])];
      const slots = keys.map(slot);
      fields[field] = { name: field, slot: slots[0]!, alt: slots.slice(1) };
    }
  }
  const plan: Plan = { fields, ...(flag === undefined ? {} : { flag: { name: flag, slot: slot(flag) } }) };
  return { plan: checkRequired(kind, plan, label, 'the map'), slotOf };
}

const REQUIRED: Record<RowKind, readonly Field[]> = {
  quotes: ['bid', 'ask'],
  trades: ['price', 'size'],
  bars: ['open', 'high', 'low', 'close'],
};

function checkRequired(kind: RowKind, plan: Plan, label: string, where: string): Plan {
  const missing = REQUIRED[kind].filter((f) => !plan.fields[f]);
  if (!plan.fields.ts && !plan.fields.tsEvent) missing.unshift('ts');
  if (missing.length > 0) {
    throw new DataError(`${label}: cannot find ${missing.join(', ')} for ${kind} in ${where}: name the columns with map (e.g. { ts: 'time', ${missing.filter((f) => f !== 'ts')[0] ?? 'bid'}: '1' }) or use a lean preset`);
  }
  return plan;
}

/** A row for an error message: at most 80 characters. */
export function excerpt(line: string): string {
  return line.length <= 80 ? line : `${line.slice(0, 79)}…`;
}
