import type { InstrumentId } from '../model/ids.js';
import type { Position, PositionView } from '../model/position.js';
import { applyFill, emptyPosition, positionView, type FillLike } from './position.js';

/** The engine's live positions per instrument, and the marks to value them at. */
export interface Portfolio {
  applyFill(instrumentId: InstrumentId, fill: FillLike): Position;
  position(instrumentId: InstrumentId): Position;
  /** Signed quantity as a number (an exact carrier). */
  quantity(instrumentId: InstrumentId): number;
  mark(instrumentId: InstrumentId, price: number): void;
  markOf(instrumentId: InstrumentId): number | undefined;
  view(instrumentId: InstrumentId): PositionView;
  all(): readonly Position[];
}

export function createPortfolio(opts: { contractSizeOf?: (id: InstrumentId) => number; initial?: Iterable<Position> } = {}): Portfolio {
  const contractSizeOf = opts.contractSizeOf ?? (() => 1);
  const positions = new Map<InstrumentId, Position>();
  const marks = new Map<InstrumentId, number>();
  for (const p of opts.initial ?? []) positions.set(p.instrumentId, p);
  const get = (id: InstrumentId): Position => positions.get(id) ?? emptyPosition(id);
  return {
    applyFill(instrumentId, fill) {
      const next = applyFill(get(instrumentId), fill, contractSizeOf(instrumentId));
      positions.set(instrumentId, next);
      return next;
    },
    position: get,
    quantity: (id) => get(id).quantity.toNumber(),
    mark: (id, price) => void marks.set(id, price),
    markOf: (id) => marks.get(id),
    view: (id) => positionView(get(id), marks.get(id), contractSizeOf(id)),
    all: () => [...positions.values()],
  };
}
