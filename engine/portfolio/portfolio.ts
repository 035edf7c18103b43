import type { InstrumentId } from '../model/ids.js';
import type { Position, PositionView } from '../model/position.js';
import { applyFill, avgPrice, emptyPosition, unrealizedPnl, type FillLike } from './position.js';

/** The engine's live positions per instrument, and the marks to value them at. */
export interface Portfolio {
  applyFill(instrumentId: InstrumentId, fill: FillLike): Position;
  position(instrumentId: InstrumentId): Position;
  /** Signed quantity as a number (an exact carrier). */
  quantity(instrumentId: InstrumentId): number;
  markOf(instrumentId: InstrumentId): number | undefined;
  /** Numbers for strategies; made once per fill (unrealized PnL is computed, exactly, only when read). */
  view(instrumentId: InstrumentId): PositionView;
  all(): readonly Position[];
}

interface Entry {
  position: Position;
  view: PositionView;
  quantity: number;
}

export interface PortfolioOptions {
  readonly contractSizeOf?: (id: InstrumentId) => number;
  readonly initial?: Iterable<Position>;
  /** Where marks come from: the kernel's market cache (last finite mid, trade or close); default: none. */
  readonly markOf?: (id: InstrumentId) => number | undefined;
}

export function createPortfolio(opts: PortfolioOptions = {}): Portfolio {
  const contractSizeOf = opts.contractSizeOf ?? (() => 1);
  const entries = new Map<InstrumentId, Entry>();
  const markOf = opts.markOf ?? ((): undefined => undefined);

  /** The view's Decimal → number conversions (a division for avgPrice) run only when a strategy reads them, once. */
  const entryOf = (position: Position): Entry => {
    const id = position.instrumentId;
    const quantity = position.quantity.toNumber();
    let avg: number | undefined | null = null;
    let realized: number | undefined;
    let fees: number | undefined;
    const view: PositionView = {
      instrumentId: id,
      side: quantity === 0 ? 'flat' : quantity < 0 ? 'short' : 'long',
      quantity,
      get avgPrice() {
        if (avg === null) avg = avgPrice(position)?.toNumber();
        return avg;
      },
      get realizedPnl() {
        return (realized ??= position.realizedPnl.toNumber());
      },
      get fees() {
        return (fees ??= position.fees.toNumber());
      },
      get unrealizedPnl() {
        return unrealizedPnl(position, markOf(id), contractSizeOf(id)).toNumber();
      },
    };
    return { position, view, quantity };
  };
  const get = (id: InstrumentId): Entry => {
    let e = entries.get(id);
    if (!e) {
      e = entryOf(emptyPosition(id));
      entries.set(id, e);
    }
    return e;
  };
  for (const p of opts.initial ?? []) entries.set(p.instrumentId, entryOf(p));

  return {
    applyFill(instrumentId, fill) {
      const next = applyFill(get(instrumentId).position, fill, contractSizeOf(instrumentId));
      entries.set(instrumentId, entryOf(next));
      return next;
    },
    position: (id) => get(id).position,
    quantity: (id) => get(id).quantity,
    markOf,
    view: (id) => get(id).view,
    all: () => [...entries.values()].filter((e) => e.position.fillCount > 0).map((e) => e.position),
  };
}
