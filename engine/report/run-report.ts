/** What `engine report` shows about one run: everything is read from the database by `loadRunReport`. */
import type { RunSummary } from '../kernel/summary.js';
import type { Run } from '../persistence/runs.js';
import type { StoredFill } from '../persistence/rows.js';
import type { Exposure } from './exposure.js';
import type { ProblemCount } from './order-problems.js';
import type { StrategyPart } from './parse-summary.js';
import type { DayReturn, YearRow } from './period-returns.js';
import type { RoundTrip } from './round-trips.js';
import type { RunPrices } from './run-prices.js';

export interface EquityPoint {
  readonly ts: number;
  readonly equity: number;
}

/** Distance below the running peak of equity: 0 at a new high, negative below it. */
export interface DrawdownPoint {
  readonly ts: number;
  /** In money, ≤ 0. */
  readonly drawdown: number;
  /** As a fraction of the peak (≤ 0) when a capital is configured (and the peak is positive); else undefined. */
  readonly drawdownPct: number | undefined;
}

/** Trading of one instrument during the run. Quantities, notional and fees are exact decimal text. */
export interface InstrumentStats {
  readonly instrumentId: string;
  readonly fills: number;
  readonly buys: number;
  readonly sells: number;
  readonly buyQty: string;
  readonly sellQty: string;
  /** Σ qty × price × contract size, in the quote currency. */
  readonly notional: string;
  readonly fees: string;
  /** From the run summary's position; undefined when the run has no summary. */
  readonly realizedPnl: number | undefined;
  readonly makerFills: number;
  readonly takerFills: number;
  /** makerFills / fills, undefined without fills. */
  readonly makerShare: number | undefined;
}

export interface StrategyRef {
  readonly id: string;
  readonly use: string;
}

/** A round trip of one strategy on one instrument, with the tag of the order that opened it. */
export interface TripRow extends RoundTrip {
  readonly strategyId: string;
  /** The opening order's tag (orders.tag), if it had one. */
  readonly tag: string | undefined;
  /** netPnl / entry notional (quantity × entry price × contract size). */
  readonly return: number | undefined;
}

export interface RunReport {
  /** The database file the report was read from. */
  readonly db: string;
  readonly run: Omit<Run, 'summary'>;
  readonly strategies: readonly StrategyRef[];
  /** Undefined while the run is running, or when it ended without storing one. */
  readonly summary: RunSummary | undefined;
  /** Why a stored summary could not be used, if one was stored but is not a RunSummary. */
  readonly summaryProblem: string | undefined;
  readonly equity: readonly EquityPoint[];
  readonly drawdown: readonly DrawdownPoint[];
  /** This run's fills, in the order they were applied. */
  readonly fills: readonly StoredFill[];
  readonly instruments: readonly InstrumentStats[];
  /** Closed round trips per (strategy, instrument), in the order they closed. */
  readonly trips: readonly TripRow[];
  /** The run's span: the summary's from/to, else the run's start and finish (or last equity sample). */
  readonly span: { readonly from: number; readonly to: number };
  readonly exposure: Exposure;
  /** Daily returns (metrics.ts's resampling) and the year × month grid from them. */
  readonly days: readonly DayReturn[];
  readonly months: readonly YearRow[];
  /** Whether returns are relative (a capital is configured) or changes in money. */
  readonly relativeReturns: boolean;
  /** The traded instruments' prices over the run, from its data files, or why they could not be read. */
  readonly prices: RunPrices;
  /** Each strategy's own PnL and positions as the summary stored them (summary.byStrategy), when it did. */
  readonly strategyParts: readonly StrategyPart[] | undefined;
  /** Denials and rejections by reason, from the event log. */
  readonly problems: readonly ProblemCount[];
}
