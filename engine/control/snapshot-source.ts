/**
 * A read-only ControlSource over snapshots handed to it (a backtest's or sweep's progress): what it answers is the last
 * snapshot, and each new one goes on the stream as a `progress` message. Every action is refused (the server answers
 * 403 before it gets here). A backtest replays on its thread without pause, so the snapshot is built there between ticks
 * every few hundred milliseconds and this source lives where requests can be answered (a worker, or a sweep's idle
 * main thread).
 */
import { Subject } from 'rxjs';
import type { ActionResult, ControlSource, FillRow, OpenOrderRow, PositionRow, SessionView, StatsView, StrategyView, StreamMessage, VenueView } from './source.js';

export interface ControlSnapshot {
  readonly session: SessionView;
  readonly venues: readonly VenueView[];
  readonly strategies: readonly StrategyView[];
  readonly positions: readonly PositionRow[];
  readonly openOrders: readonly OpenOrderRow[];
  readonly fills: readonly FillRow[];
  readonly equity: ReadonlyArray<readonly [number, number]>;
  readonly stats: StatsView;
}

export interface SnapshotSource extends ControlSource {
  update(snapshot: ControlSnapshot): void;
  close(): void;
}

const READ_ONLY: ActionResult = { ok: false, message: 'a backtest or sweep is read-only: it cannot be steered' };

export function createSnapshotSource(first: ControlSnapshot): SnapshotSource {
  let s = first;
  const stream$ = new Subject<StreamMessage>();
  return {
    readOnly: true,
    stream$: stream$.asObservable(),
    session: () => s.session,
    venues: () => s.venues,
    strategies: () => s.strategies,
    positions: () => s.positions,
    openOrders: () => s.openOrders,
    recentFills: (limit) => s.fills.slice(Math.max(0, s.fills.length - limit)),
    equity: () => s.equity,
    stats: () => s.stats,
    recentLogs: () => [],
    setTradingState: () => READ_ONLY,
    cancelAll: () => READ_ONLY,
    cancel: () => READ_ONLY,
    stopStrategy: () => READ_ONLY,
    flatten: () => READ_ONLY,
    audit: () => undefined,
    update(next) {
      s = next;
      if (stream$.observed) stream$.next({ type: 'progress', session: next.session });
    },
    close() {
      stream$.complete();
    },
  };
}
