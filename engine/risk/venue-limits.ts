/**
 * Limits a venue keeps for the account (TT: ttaccount risk limits), applied by the engine's risk layer in addition to
 * the configured ones: per instrument the stricter of the two, so an order the venue would reject is denied locally
 * first, with the risk layer's reason code.
 */
import type { InstrumentId } from '../model/ids.js';
import { limitFor, minDefined } from './limits.js';
import type { PerInstrument, RiskLimits } from './types.js';

/** What a venue can say about the account: per-instrument (or '*') maxima. */
export type VenueLimits = Pick<RiskLimits, 'maxOrderQty' | 'maxPositionQty'>;

/**
 * `limits` with each of the venue's maxima applied: for every instrument either names, the smaller of the two
 * effective limits (an instrument's own entry, else '*'); entries for instruments not in `instrumentIds` are left out
 * (the venue lists more than the session trades).
 */
export function applyVenueLimits<L extends RiskLimits>(limits: L, venue: VenueLimits, instrumentIds: readonly InstrumentId[]): L {
  const known = new Set(instrumentIds);
  const merge = (mine: PerInstrument | undefined, theirs: PerInstrument | undefined): PerInstrument | undefined => {
    if (theirs === undefined) return mine;
    const out: Record<string, number> = {};
    const ids = new Set([...Object.keys(mine ?? {}), ...Object.keys(theirs)].filter((id) => id === '*' || known.has(id)));
    for (const id of ids) {
      const v = id === '*' ? minDefined(mine?.['*'], theirs['*']) : minDefined(limitFor(mine, id), limitFor(theirs, id));
      if (v !== undefined) out[id] = v;
    }
    return out;
  };
  return Object.assign({}, limits, {
    maxOrderQty: merge(limits.maxOrderQty, venue.maxOrderQty),
    maxPositionQty: merge(limits.maxPositionQty, venue.maxPositionQty),
  });
}
