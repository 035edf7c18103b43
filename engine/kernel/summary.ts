import { D, ZERO, type Decimal } from '../model/decimal.js';
import type { DenialCode } from '../model/events.js';
import type { PositionView } from '../model/position.js';
import { performanceMetrics, type EquitySample, type ReturnsPeriod } from '../portfolio/metrics.js';
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
  /** Money: the largest fall of equity from a running peak. */
  readonly maxDrawdown: number;
  /** Of the peak, 0.1 = 10 % (with a capital). Stored summaries before it have `maxDrawdownPct`, the same fraction. */
  readonly maxDrawdownFraction: number | undefined;
  /** Returns are the equity at the end of each UTC day (or hour), period over period (portfolio/metrics.ts). */
  readonly returnsPeriod?: ReturnsPeriod;
  /** How many period returns Sharpe, Sortino, CAGR and Calmar come from. */
  readonly returnCount?: number;
  /** Annualised (365-day year) from the period returns; undefined when too few or no variation (see metricNotes). */
  readonly sharpe: number | undefined;
  readonly sortino?: number | undefined;
  /** Compound annual growth, a fraction (0.12 = 12 %/year); needs backtest.capital. */
  readonly cagr?: number | undefined;
  readonly calmar?: number | undefined;
  /** Why a figure above is not shown, one line each. */
  readonly metricNotes?: readonly string[];
  /** The exact decimal text of the PnL sums (the numbers above are their nearest doubles). */
  readonly exact?: { readonly realizedPnl: string; readonly unrealizedPnl: string; readonly fees: string; readonly netPnl: string };
  readonly strategyFailures: ReadonlyArray<{ id: string; during: string; error: string }>;
  readonly anomalies: { duplicateFills: number; conflictingFills: number; overfills: number; invalidTransitions: number; unknownOrderEvents: number };
  /**
   * Each strategy's own positions and PnL (fills attributed to the strategy whose order they filled); the sums above
   * are the account's. Net PnL and fees add up to the account's; realized PnL need not (the account nets one
   * strategy's buys against another's short, realizing what the strategies still hold). Older summaries have none.
   */
  readonly byStrategy?: readonly StrategyResult[];
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

/** One strategy's part of a run: its own positions, and PnL in exact decimal text beside the nearest doubles. */
export interface StrategyResult {
  readonly strategyId: string;
  readonly fills: number;
  readonly positions: readonly PositionView[];
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  readonly fees: number;
  readonly netPnl: number;
  readonly exact: { readonly realizedPnl: string; readonly unrealizedPnl: string; readonly fees: string; readonly netPnl: string };
}

function strategyResults(node: TradingNode): StrategyResult[] {
  const out = new Map<string, { fills: number; positions: PositionView[]; realized: Decimal; unrealized: Decimal; fees: Decimal }>();
  for (const { strategyId, position } of node.portfolio.strategyPositions()) {
    let r = out.get(strategyId);
    if (r === undefined) out.set(strategyId, (r = { fills: 0, positions: [], realized: ZERO, unrealized: ZERO, fees: ZERO }));
    const view = node.portfolio.strategyView(strategyId, position.instrumentId);
    r.fills += position.fillCount;
    r.positions.push(view);
    r.realized = r.realized.plus(position.realizedPnl.toDecimal());
    r.fees = r.fees.plus(position.fees.toDecimal());
    r.unrealized = r.unrealized.plus(D(view.unrealizedPnl));
  }
  return [...out].map(([strategyId, r]) => {
    const net = r.realized.plus(r.unrealized).minus(r.fees);
    return {
      strategyId, fills: r.fills, positions: r.positions,
      realizedPnl: r.realized.toNumber(), unrealizedPnl: r.unrealized.toNumber(), fees: r.fees.toNumber(), netPnl: net.toNumber(),
      exact: { realizedPnl: r.realized.toFixed(), unrealizedPnl: r.unrealized.toFixed(), fees: r.fees.toFixed(), netPnl: net.toFixed() },
    };
  });
}

export function summarize(
  node: TradingNode,
  from: number,
  positionsVerified: true | readonly string[],
  equity: { samples: readonly EquitySample[]; intervalMs: number; capital?: number; returnsPeriod?: ReturnsPeriod },
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
  const net = realized.plus(unrealized).minus(fees);
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
    netPnl: net.toNumber(),
    trades: node.stats.trades,
    capital: equity.capital,
    maxDrawdown: metrics.maxDrawdown,
    maxDrawdownFraction: metrics.maxDrawdownFraction,
    returnsPeriod: metrics.returnsPeriod,
    returnCount: metrics.returnCount,
    sharpe: metrics.sharpe,
    sortino: metrics.sortino,
    cagr: metrics.cagr,
    calmar: metrics.calmar,
    metricNotes: metrics.notes,
    exact: { realizedPnl: realized.toFixed(), unrealizedPnl: unrealized.toFixed(), fees: fees.toFixed(), netPnl: net.toFixed() },
    strategyFailures: [...node.host.failures],
    anomalies: { duplicateFills, conflictingFills, overfills, invalidTransitions, unknownOrderEvents },
    byStrategy: strategyResults(node),
    positionsVerified,
    ...(venues !== undefined && { venues }),
    ...(canceledAtStop !== undefined && { canceledAtStop }),
    openAtEnd: node.exec.openOrders().map((o) => ({ clientOrderId: o.clientOrderId, status: o.status, venue: o.venue })),
  };
}
