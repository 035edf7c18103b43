import { D, ZERO } from '../model/decimal.js';
import type { DenialCode } from '../model/events.js';
import type { PositionView } from '../model/position.js';
import { performanceMetrics, type EquitySample } from '../portfolio/metrics.js';
import type { TradingNode } from './trading-node.js';
import type { VenueSyncStatus } from './venue-sync.js';

/** What a run reports: the human summary and `--json` print this. */
export interface RunSummary {
  readonly runId: number;
  readonly mode: string;
  readonly portfolioId: string;
  readonly from: number;
  readonly to: number;
  readonly ticks: number;
  readonly orders: number;
  readonly fills: number;
  readonly denied: number;
  readonly deniedByCode: Readonly<Partial<Record<DenialCode, number>>>;
  readonly rejected: number;
  readonly positions: readonly PositionView[];
  /** Sums over instruments, in their quote currencies (meaningful when they share one). */
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  readonly fees: number;
  readonly netPnl: number;
  /** Round trips (fills that brought a position back to flat or flipped it). */
  readonly trades: number;
  readonly capital: number | undefined;
  readonly maxDrawdown: number;
  readonly maxDrawdownPct: number | undefined;
  /** Annualised, from equity changes per report.equityIntervalMs; undefined when it cannot be computed. */
  readonly sharpe: number | undefined;
  readonly strategyFailures: ReadonlyArray<{ id: string; during: string; error: string }>;
  readonly anomalies: { duplicateFills: number; conflictingFills: number; overfills: number; invalidTransitions: number; unknownOrderEvents: number };
  /** True when the stored positions equal the positions rebuilt from stored fills; else the differences. */
  readonly positionsVerified: true | readonly string[];
  /** Live: what keeping each venue in sync did (reconciliations, fills recovered, orders adopted, flagged orders). */
  readonly venues?: readonly VenueSyncStatus[];
  /** Orders still open when the run ended (a cancel unanswered, a venue unreachable): not a clean stop. */
  readonly openAtEnd: ReadonlyArray<{ clientOrderId: string; status: string; venue: string }>;
  /** Paper/live: how many open orders the stop canceled. */
  readonly canceledAtStop?: number;
  /** Set when the run was stopped before the end of its data (a backtest's Ctrl-C): why, e.g. "SIGINT". */
  readonly interrupted?: string;
}

export function summarize(
  node: TradingNode,
  from: number,
  positionsVerified: true | readonly string[],
  equity: { samples: readonly EquitySample[]; intervalMs: number; capital?: number },
  venues?: readonly VenueSyncStatus[],
  canceledAtStop?: number,
): RunSummary {
  const metrics = performanceMetrics(equity.samples, equity);
  const positions = node.portfolio.all().map((p) => node.portfolio.view(p.instrumentId));
  let realized = ZERO;
  let unrealized = ZERO;
  let fees = ZERO;
  for (const p of node.portfolio.all()) {
    realized = realized.plus(p.realizedPnl.toDecimal());
    fees = fees.plus(p.fees.toDecimal());
  }
  for (const v of positions) unrealized = unrealized.plus(D(v.unrealizedPnl));
  const { duplicateFills, conflictingFills, overfills, invalidTransitions, unknownOrderEvents } = node.exec.stats;
  return {
    runId: node.runId,
    mode: node.mode,
    portfolioId: node.portfolioId,
    from,
    to: node.clock.now(),
    ticks: node.stats.ticks,
    orders: node.stats.orders,
    fills: node.stats.fills,
    denied: node.stats.denied,
    deniedByCode: { ...node.stats.deniedByCode },
    rejected: node.stats.rejected,
    positions,
    realizedPnl: realized.toNumber(),
    unrealizedPnl: unrealized.toNumber(),
    fees: fees.toNumber(),
    netPnl: realized.plus(unrealized).minus(fees).toNumber(),
    trades: node.stats.trades,
    capital: equity.capital,
    maxDrawdown: metrics.maxDrawdown,
    maxDrawdownPct: metrics.maxDrawdownPct,
    sharpe: metrics.sharpe,
    strategyFailures: [...node.host.failures],
    anomalies: { duplicateFills, conflictingFills, overfills, invalidTransitions, unknownOrderEvents },
    positionsVerified,
    ...(venues !== undefined && { venues }),
    ...(canceledAtStop !== undefined && { canceledAtStop }),
    openAtEnd: node.exec.openOrders().map((o) => ({ clientOrderId: o.clientOrderId, status: o.status, venue: o.venue })),
  };
}
