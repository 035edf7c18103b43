/** Reading and validating RiskLimits. A malformed config is a broken invariant: it throws at engine construction. */
import type { InstrumentId } from '../model/ids.js';
import { parseRate } from './sliding-window.js';
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

/** How many known instrument ids an error message lists before it abbreviates. */
const KNOWN_SHOWN = 8;

function knownList(ids: readonly InstrumentId[]): string {
  if (ids.length === 0) return 'none';
  const shown = ids.slice(0, KNOWN_SHOWN).join(', ');
  return ids.length > KNOWN_SHOWN ? `${shown}, … and ${ids.length - KNOWN_SHOWN} more` : shown;
}

/**
 * Throws one Error naming every problem (unknown key, negative limit, bad rate spec …). Given `instrumentIds` (the
 * configured instruments), a per-instrument key that is neither `'*'` nor one of them is a problem too: a typo there
 * would otherwise silently leave that instrument without the limit.
 */
export function validateLimits(limits: RiskLimits, instrumentIds?: readonly InstrumentId[]): void {
  const problems: string[] = [];
  const known = instrumentIds ? new Set(instrumentIds) : undefined;
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
      if (known && id !== '*' && !known.has(id)) {
        problems.push(
          `${k}["${id}"] is not a configured instrument (known: ${knownList(instrumentIds ?? [])}; use "*" for all)`,
        );
      }
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
