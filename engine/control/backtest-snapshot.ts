/**
 * A backtest's progress as a control snapshot (read-only control plane): built on the replay's thread between ticks,
 * every few hundred milliseconds, from what the node keeps. Recent fills come from a watcher that keeps the newest
 * fills; it exists only when the control plane was asked for (`engine backtest --control`).
 */
import type { TradingNode } from '../kernel/trading-node.js';
import type { OrderFilled } from '../model/events.js';
import { equityOf } from '../portfolio/equity.js';
import { contractSizeOf, openOrderRows, positionRows, statsOf, strategyRows } from './node-views.js';
import { createRingBuffer } from './ring-buffer.js';
import type { ControlSnapshot } from './snapshot-source.js';
import type { FillRow, ProgressView, VenueView } from './source.js';

/** How far a replay is: by ticks when the total is known, else by engine time within a known span. */
export interface ReplayExtent {
  readonly ticks?: number;
  readonly from?: number;
  readonly to?: number;
}

export function progressOf(extent: ReplayExtent, ticks: number, engineTime: number, elapsedMs: number): ProgressView {
  let fraction: number | null = null;
  if (extent.ticks !== undefined && extent.ticks > 0) fraction = ticks / extent.ticks;
  else if (extent.from !== undefined && extent.to !== undefined && extent.to > extent.from) fraction = (engineTime - extent.from) / (extent.to - extent.from);
  if (fraction !== null) fraction = Math.min(1, Math.max(0, fraction));
  const etaMs = fraction !== null && fraction > 0.001 && elapsedMs > 500 ? Math.round((elapsedMs * (1 - fraction)) / fraction) : null;
  return { fraction, ticks, engineTime, etaMs };
}

export interface BacktestSnapshots {
  /** The snapshot now; `elapsedMs` is the wall time the replay has run. */
  take(ticks: number, elapsedMs: number): ControlSnapshot;
  close(): void;
}

const MAX_EQUITY_POINTS = 2_000;

export function backtestSnapshots(node: TradingNode, extent: ReplayExtent, startedAt: number): BacktestSnapshots {
  const fills = createRingBuffer<FillRow>(200);
  const unwatch = node.watch({
    onEvent(e) {
      if (e.kind !== 'OrderFilled') return;
      const f = e as OrderFilled;
      fills.push({
        ts: f.tsEvent, clientOrderId: f.clientOrderId, strategyId: f.strategyId, instrumentId: f.instrumentId, venue: f.venue, side: f.side,
        qty: f.lastQty, price: f.lastPrice, fee: f.fee, feeCurrency: f.feeCurrency, liquidity: f.liquidity,
      });
    },
  });
  // one point per snapshot; thinned to every other point when full, so a long replay keeps its whole shape
  let equity: Array<readonly [number, number]> = [];
  /** The venues the replay has had data for so far, with the engine time of their last tick. */
  const venuesSeen = (): Map<string, number> => {
    const last = new Map<string, number>();
    for (const i of node.instruments()) {
      for (const t of [node.market.lastQuote(i.id), node.market.lastBook(i.id), node.market.lastTrade(i.id), node.market.lastBar(i.id)]) {
        if (t !== undefined && t.tsInit > (last.get(i.venue) ?? -Infinity)) last.set(i.venue, t.tsInit);
      }
    }
    return last;
  };
  return {
    take(ticks, elapsedMs) {
      const now = node.clock.now();
      equity.push([now, equityOf(node.portfolio, (id) => contractSizeOf(node, id), 0).toNumber()]);
      if (equity.length > MAX_EQUITY_POINTS) equity = equity.filter((_, i) => i % 2 === 1);
      const venueViews: VenueView[] = [...venuesSeen()].map(([venue, last]) => ({
        venue, connection: 'replay', sync: 'simulated', holdReason: null, lastMessageAgeMs: now - last, fillMark: null, lastReconciledAt: null,
        reconciliations: 0, failedReconciliations: 0, lastError: null, fillsRecovered: 0, ordersAdopted: 0, flagged: [], rateLimit: node.risk.rateUsage(venue),
      }));
      return {
        session: {
          mode: 'backtest', runId: node.runId, portfolio: node.portfolioId, startedAt, engineTime: now, uptimeMs: Math.round(elapsedMs),
          tradingState: node.risk.state, progress: progressOf(extent, ticks, now, elapsedMs),
        },
        venues: venueViews,
        strategies: strategyRows(node),
        positions: positionRows(node),
        openOrders: openOrderRows(node),
        fills: fills.last(200),
        equity: [...equity],
        stats: statsOf(node),
      };
    },
    close: unwatch,
  };
}

/** What the control plane answers before the replay's first snapshot (the run is being created). */
export function startingSnapshot(portfolio: string, extent: ReplayExtent, startedAt: number): ControlSnapshot {
  const engineTime = extent.from ?? 0;
  return {
    session: {
      mode: 'backtest', runId: 0, portfolio, startedAt, engineTime, uptimeMs: 0, tradingState: 'ACTIVE',
      progress: { fraction: extent.ticks !== undefined || extent.from !== undefined ? 0 : null, ticks: 0, engineTime, etaMs: null },
    },
    venues: [], strategies: [], positions: [], openOrders: [], fills: [], equity: [],
    stats: { ticks: 0, orders: 0, fills: 0, denied: 0, deniedByCode: {}, rejected: 0, netPnl: 0 },
  };
}
