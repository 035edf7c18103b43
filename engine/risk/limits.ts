/** Reading and validating RiskLimits. A malformed config is a broken invariant: it throws at engine construction. */
import type { InstrumentId } from '../model/ids.js';
import { parseRate } from './token-bucket.js';
import type { PerInstrument, RiskLimits } from './types.js';

/** The instrument's own entry, else the `'*'` default, else undefined (no limit). */
export function limitFor(map: PerInstrument | undefined, id: InstrumentId): number | undefined {
  if (!map) return undefined;
  return map[id] ?? map['*'];
}

/** The stricter (smaller) of two optional maxima. */
export function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

/** The stricter (larger) of two optional minima. */
export function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

const KEYS: ReadonlySet<string> = new Set([
  'pricePolicy',
  'qtyPolicy',
  'maxOrderQty',
  'minNotional',
  'maxNotional',
  'maxPositionQty',
  'maxPositionNotional',
  'maxOpenOrders',
  'priceBandPct',
  'rateLimits',
]);
const MAP_KEYS = ['maxOrderQty', 'minNotional', 'maxNotional', 'maxPositionQty', 'maxPositionNotional'] as const;

const isNonNegative = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** Throws one Error naming every problem (unknown key, negative limit, bad rate spec …). */
export function validateLimits(limits: RiskLimits): void {
  const problems: string[] = [];
  for (const k of Object.keys(limits)) if (!KEYS.has(k)) problems.push(`unknown key "${k}"`);
  if (limits.pricePolicy !== undefined && limits.pricePolicy !== 'round' && limits.pricePolicy !== 'reject') {
    problems.push(`pricePolicy must be "round" or "reject", got ${JSON.stringify(limits.pricePolicy)}`);
  }
  if (limits.qtyPolicy !== undefined && limits.qtyPolicy !== 'truncate' && limits.qtyPolicy !== 'reject') {
    problems.push(`qtyPolicy must be "truncate" or "reject", got ${JSON.stringify(limits.qtyPolicy)}`);
  }
  for (const k of MAP_KEYS) {
    for (const [id, v] of Object.entries(limits[k] ?? {})) {
      if (!isNonNegative(v)) problems.push(`${k}["${id}"] must be a non-negative number, got ${String(v)}`);
    }
  }
  const max = limits.maxOpenOrders;
  if (max !== undefined && !(Number.isInteger(max) && max >= 0)) {
    problems.push(`maxOpenOrders must be a non-negative integer, got ${String(max)}`);
  }
  const band = limits.priceBandPct;
  if (band !== undefined && !(isNonNegative(band) && band > 0)) {
    problems.push(`priceBandPct must be a positive number, got ${String(band)}`);
  }
  const rates = limits.rateLimits;
  const specs: [string, string][] = [
    ...Object.entries(rates?.perVenue ?? {}).map(([v, s]): [string, string] => [`rateLimits.perVenue["${v}"]`, s]),
    ...(rates?.perStrategy !== undefined ? [['rateLimits.perStrategy', rates.perStrategy] as [string, string]] : []),
  ];
  for (const [where, spec] of specs) {
    try {
      parseRate(spec);
    } catch (e) {
      problems.push(`${where}: ${(e as Error).message}`);
    }
  }
  if (problems.length) throw new Error(`invalid risk limits: ${problems.join('; ')}`);
}
