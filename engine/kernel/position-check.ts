/**
 * After a reconciliation, the venue's positions (where it keeps them) against the portfolio's: equal, or the
 * differences in words. What to do on a difference (halt, or take the venue's) is the caller's choice.
 */
import { D } from '../model/decimal.js';
import type { InstrumentId, VenueId } from '../model/ids.js';
import type { PositionReport } from '../model/reports.js';
import type { Portfolio } from '../portfolio/portfolio.js';

export interface PositionDifference {
  readonly instrumentId: InstrumentId;
  /** Signed quantities, exact decimal text. */
  readonly engine: string;
  readonly venue: string;
}

export interface PositionCheck {
  readonly venue: VenueId;
  readonly ok: boolean;
  readonly compared: number;
  readonly differences: readonly PositionDifference[];
}

/** Every instrument either side holds at `venue` (instrument ids end in `.<venue>`); flat on both sides is equal. */
export function comparePositions(venue: VenueId, portfolio: Portfolio, reports: readonly PositionReport[]): PositionCheck {
  const atVenue = (id: InstrumentId): boolean => id.endsWith(`.${venue}`);
  const theirs = new Map<InstrumentId, string>();
  for (const r of reports) theirs.set(r.instrumentId, D(theirs.get(r.instrumentId) ?? 0).plus(r.quantity).toString());
  const ids = new Set<InstrumentId>([...theirs.keys(), ...portfolio.all().map((p) => p.instrumentId).filter(atVenue)]);
  const differences: PositionDifference[] = [];
  for (const id of [...ids].sort()) {
    const engine = portfolio.position(id).quantity.toString();
    const v = theirs.get(id) ?? '0';
    if (!D(engine).eq(v)) differences.push({ instrumentId: id, engine, venue: v });
  }
  return { venue, ok: differences.length === 0, compared: ids.size, differences };
}

/** One line per difference, for the log and the summary. */
export const describePositionCheck = (c: PositionCheck): string =>
  c.ok
    ? `positions at ${c.venue} equal the venue's (${c.compared} instrument(s))`
    : `positions at ${c.venue} differ from the venue's: ${c.differences.map((d) => `${d.instrumentId} engine ${d.engine}, venue ${d.venue}`).join('; ')}`;
