import type { InstrumentId, StrategyId } from '../model/ids.js';
import type { Position, PositionView } from '../model/position.js';
import { applyFill, avgPrice, emptyPosition, exactFill, unrealizedPnl, type FillLike } from './position.js';

/** A strategy's own position in one instrument. */
export interface StrategyPosition {
  readonly strategyId: StrategyId;
  readonly position: Position;
}

/**
 * The engine's live positions per instrument (the account's: what account-level risk limits and the venue see), and
 * beside them each strategy's own position per instrument (as NautilusTrader keeps them): a fill moves the account's
 * position and the position of the strategy whose order it filled. Two strategies trading one instrument each see
 * their own position; the account's is their sum (with any operator or adopted orders).
 */
export interface Portfolio {
  /** Applies a fill to the account's position and, with `strategyId`, to that strategy's; returns the account's. */
  applyFill(instrumentId: InstrumentId, fill: FillLike, strategyId?: StrategyId): Position;
  position(instrumentId: InstrumentId): Position;
  /** Signed quantity as a number (an exact carrier). */
  quantity(instrumentId: InstrumentId): number;
  markOf(instrumentId: InstrumentId): number | undefined;
  /** Numbers for strategies; made once per fill (unrealized PnL is computed, exactly, only when read). */
  view(instrumentId: InstrumentId): PositionView;
  all(): readonly Position[];
  /** The strategy's own position (flat when it has no fills in the instrument). */
  strategyPosition(strategyId: StrategyId, instrumentId: InstrumentId): Position;
  /** Numbers of the strategy's own position, as `view` gives the account's. */
  strategyView(strategyId: StrategyId, instrumentId: InstrumentId): PositionView;
  /** Every strategy position with at least one fill, by strategy then in the order first filled. */
  strategyPositions(): readonly StrategyPosition[];
}

interface Entry {
  position: Position;
  view: PositionView | undefined;
  quantity: number;
}

export interface PortfolioOptions {
  readonly contractSizeOf?: (id: InstrumentId) => number;
  readonly initial?: Iterable<Position>;
  /** Paper and live: each strategy's positions as rebuilt from the portfolio's stored fills. */
  readonly initialByStrategy?: Iterable<StrategyPosition>;
  /** Where marks come from: the kernel's market cache (last finite mid, trade or close); default: none. */
  readonly markOf?: (id: InstrumentId) => number | undefined;
}

export function createPortfolio(opts: PortfolioOptions = {}): Portfolio {
  const contractSizeOf = opts.contractSizeOf ?? (() => 1);
  const entries = new Map<InstrumentId, Entry>();
  const markOf = opts.markOf ?? ((): undefined => undefined);

  /**
   * A position's numbers for strategies, made when first read after a fill (most fills are never looked at through a
   * view), then kept; its Decimal → number conversions (a division for avgPrice) run only when read, once.
   */
  const viewOf = (position: Position, quantity: number): PositionView => {
    const id = position.instrumentId;
    let avg: number | undefined | null = null;
    let realized: number | undefined;
    let fees: number | undefined;
    return {
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
  };
  const entryOf = (position: Position): Entry => ({ position, view: undefined, quantity: position.quantity.toNumber() });
  const viewFor = (e: Entry): PositionView => (e.view ??= viewOf(e.position, e.quantity));
  const get = (id: InstrumentId): Entry => {
    let e = entries.get(id);
    if (!e) {
      e = entryOf(emptyPosition(id));
      entries.set(id, e);
    }
    return e;
  };
  for (const p of opts.initial ?? []) entries.set(p.instrumentId, entryOf(p));

  const byStrategy = new Map<StrategyId, Map<InstrumentId, Entry>>();
  const strategyEntries = (strategyId: StrategyId): Map<InstrumentId, Entry> => {
    let m = byStrategy.get(strategyId);
    if (m === undefined) {
      m = new Map();
      byStrategy.set(strategyId, m);
    }
    return m;
  };
  const strategyGet = (strategyId: StrategyId, id: InstrumentId): Entry => {
    const m = strategyEntries(strategyId);
    let e = m.get(id);
    if (!e) {
      e = entryOf(emptyPosition(id));
      m.set(id, e);
    }
    return e;
  };
  for (const { strategyId, position } of opts.initialByStrategy ?? []) strategyEntries(strategyId).set(position.instrumentId, entryOf(position));

  return {
    applyFill(instrumentId, given, strategyId) {
      const size = contractSizeOf(instrumentId);
      const fill = strategyId === undefined ? given : exactFill(given); // read once for the two positions it moves
      const next = applyFill(get(instrumentId).position, fill, size);
      entries.set(instrumentId, entryOf(next));
      if (strategyId !== undefined) {
        const m = strategyEntries(strategyId);
        const prev = m.get(instrumentId)?.position ?? emptyPosition(instrumentId);
        m.set(instrumentId, entryOf(applyFill(prev, fill, size)));
      }
      return next;
    },
    position: (id) => get(id).position,
    quantity: (id) => get(id).quantity,
    markOf,
    view: (id) => viewFor(get(id)),
    all: () => [...entries.values()].filter((e) => e.position.fillCount > 0).map((e) => e.position),
    strategyPosition: (strategyId, id) => strategyGet(strategyId, id).position,
    strategyView: (strategyId, id) => viewFor(strategyGet(strategyId, id)),
    strategyPositions() {
      const out: StrategyPosition[] = [];
      for (const [strategyId, m] of byStrategy) for (const e of m.values()) if (e.position.fillCount > 0) out.push({ strategyId, position: e.position });
      return out;
    },
  };
}
