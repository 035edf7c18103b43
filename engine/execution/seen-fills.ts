/**
 * The fills execution has applied, by their venue key (venue, venue order id, trade id), so the same fill reported again
 * is a duplicate. A fill remembered for an order is forgotten with it (when the order leaves memory); fills known from
 * an earlier session are remembered for the whole session.
 */
import type { ClientOrderId, VenueId } from '../model/ids.js';

export interface FillKey {
  readonly venue: VenueId;
  readonly venueOrderId: string;
  readonly tradeId: string;
  readonly lastQty: number | string;
  readonly lastPrice: number | string;
}

/** A fill as first seen. */
export interface SeenFill {
  readonly qty: number;
  readonly price: number;
}

export interface SeenFills {
  /** The fill as first seen when its key is known (nothing is remembered then); otherwise remembers it, undefined. */
  remember(fill: FillKey, clientOrderId?: ClientOrderId): SeenFill | undefined;
  /** The fill as first seen when its key is known; remembers nothing. */
  get(fill: FillKey): SeenFill | undefined;
  /** Forgets the fills remembered for this order. */
  forget(clientOrderId: ClientOrderId): void;
}

export function createSeenFills(): SeenFills {
  const byKey = new Map<string, SeenFill>();
  const keysOf = new Map<ClientOrderId, string[]>();
  const keyOf = (f: FillKey): string => `${f.venue}\u0000${f.venueOrderId}\u0000${f.tradeId}`;
  return {
    get: (f) => byKey.get(keyOf(f)),
    remember(f, clientOrderId) {
      const key = keyOf(f);
      const seen = byKey.get(key);
      if (seen !== undefined) return seen;
      byKey.set(key, { qty: Number(f.lastQty), price: Number(f.lastPrice) });
      if (clientOrderId !== undefined) {
        const keys = keysOf.get(clientOrderId);
        if (keys === undefined) keysOf.set(clientOrderId, [key]);
        else keys.push(key);
      }
      return undefined;
    },
    forget(clientOrderId) {
      const keys = keysOf.get(clientOrderId);
      if (keys === undefined) return;
      for (const k of keys) byKey.delete(k);
      keysOf.delete(clientOrderId);
    },
  };
}
