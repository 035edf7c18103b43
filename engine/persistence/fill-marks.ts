/**
 * The durable fill high-water mark per portfolio and venue (table venue_sync): every fill of the portfolio at the
 * venue before `fills_complete_until` (engine time) has been applied and stored. A paper or live start asks the venue
 * for fills from the mark (minus a margin), so an outage of any length loses nothing. The mark is written by the event
 * writer, after the events before it, so a committed mark never claims a fill that is not committed too.
 */
import type { Database } from 'better-sqlite3';
import type { Millis, VenueId } from '../model/ids.js';

/** Where a reconciliation of `venue` must start asking for fills, and why (for the log). */
export interface FillMark {
  readonly since: Millis;
  readonly source: 'mark' | 'first-run' | 'none';
}

/**
 * The stored mark of (portfolio, venue); without one (a portfolio that never finished a reconciliation there), the
 * start of the portfolio's first run: nothing of ours can be older. `none`: the portfolio has no run at all yet.
 */
export function loadFillMark(db: Database, portfolioId: string, venue: VenueId): FillMark {
  const row = db.prepare(`SELECT fills_complete_until AS until FROM venue_sync WHERE portfolio_id = ? AND venue = ?`).get(portfolioId, venue) as
    | { until: number }
    | undefined;
  if (row !== undefined) return { since: row.until, source: 'mark' };
  const first = db.prepare(`SELECT MIN(started_at) AS t FROM runs WHERE portfolio_id = ?`).get(portfolioId) as { t: number | null };
  if (first.t !== null) return { since: first.t, source: 'first-run' };
  return { since: 0, source: 'none' };
}

export const FILL_MARK_UPSERT_SQL =
  `INSERT INTO venue_sync (portfolio_id, venue, fills_complete_until, updated_at) VALUES (?, ?, ?, ?) ` +
  `ON CONFLICT (portfolio_id, venue) DO UPDATE SET fills_complete_until = MAX(fills_complete_until, excluded.fills_complete_until), ` +
  `updated_at = excluded.updated_at`;
