/**
 * Why new submits are held (cancels always pass): per venue (reconciling, a stream down, a failed reconciliation
 * waiting for its retry) or for every venue (`*`: warming strategies up). The reasons are what an operator sees.
 */
import type { VenueId } from '../model/ids.js';

/** The key of a hold on every venue. */
export const ALL_VENUES = '*';

export interface SubmitHolds {
  /** Sets (or with undefined clears) the hold of one venue, or of every venue with `*`. */
  set(reason: string | undefined, venue?: VenueId): void;
  /** The reason a new order to `venue` is held now, if it is. */
  reasonFor(venue: VenueId): string | undefined;
  /** Every hold in force, by venue (`*` for all). */
  all(): ReadonlyMap<string, string>;
}

export function createSubmitHolds(): SubmitHolds {
  const holds = new Map<string, string>();
  return {
    set(reason, venue = ALL_VENUES) {
      if (reason === undefined) holds.delete(venue);
      else holds.set(venue, reason);
    },
    reasonFor(venue) {
      if (holds.size === 0) return undefined;
      return holds.get(ALL_VENUES) ?? holds.get(venue);
    },
    all: () => new Map(holds),
  };
}
