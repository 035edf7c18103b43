import type { InstrumentId } from '../model/ids.js';
import type { Position, PositionView } from '../model/position.js';
import { applyFill, avgPrice, emptyPosition, unrealizedPnl, type FillLike } from './position.js';

/** The engine's live positions per instrument, and the marks to value them at. */
export interface Portfolio {
  applyFill(instrumentId: InstrumentId, fill: FillLike): Position;
  position(instrumentId: InstrumentId): Position;
  /** Signed quantity as a number (an exact carrier). */
  quantity(instrumentId: InstrumentId): number;
  mark(instrumentId: InstrumentId, price: number): void;
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

export function createPortfolio(opts: { contractSizeOf?: (id: InstrumentId) => number; initial?: Iterable<Position> } = {}): Portfolio {
  const contractSizeOf = opts.contractSizeOf ?? (() => 1);
  const entries = new Map<InstrumentId, Entry>();
  const marks = new Map<InstrumentId, number>();

  const entryOf = (position: Position): Entry => {
    const id = position.instrumentId;
    const quantity = position.quantity.toNumber();
    const view: PositionView = {
      instrumentId: id,
      side: quantity === 0 ? 'flat' : quantity < 0 ? 'short' : 'long',
      quantity,
      avgPrice: avgPrice(position)?.toNumber(),
      realizedPnl: position.realizedPnl.toNumber(),
      fees: position.fees.toNumber(),
      get unrealizedPnl() {
        return unrealizedPnl(position, marks.get(id), contractSizeOf(id)).toNumber();
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
    mark: (id, price) => void marks.set(id, price),
    markOf: (id) => marks.get(id),
    view: (id) => get(id).view,
    all: () => [...entries.values()].filter((e) => e.position.fillCount > 0).map((e) => e.position),
  };
}
