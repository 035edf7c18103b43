/**
 * What the control plane reads and does (DESIGN.md "Reliability rules": a status or control server reads snapshots the
 * engine already keeps and never runs on or delays the tick → order path). The kernel implements it over a running
 * session (node-source.ts); the server (server.ts) only calls it and never reaches into the engine otherwise.
 *
 * Every view is plain JSON (numbers, strings, booleans, arrays, objects): the server serialises it as it is, under a
 * versioned schema name (`engine.<view>/1`, see API.md).
 */
import type { Observable } from 'rxjs';
import type { DenialCode } from '../model/events.js';

export type TradingStateName = 'ACTIVE' | 'REDUCING' | 'HALTED';

export interface SessionView {
  readonly mode: 'backtest' | 'paper' | 'live';
  readonly runId: number;
  readonly portfolio: string;
  /** Engine time (epoch ms) the session started, and now. */
  readonly startedAt: number;
  readonly engineTime: number;
  readonly uptimeMs: number;
  readonly tradingState: TradingStateName;
  /** Backtests and sweeps: how far the replay is (0..1) and its engine date; absent for paper and live. */
  readonly progress?: ProgressView;
  /** Sweeps: each run of the grid, in grid order. */
  readonly sweep?: { readonly runs: readonly SweepRunView[] };
}

export interface ProgressView {
  /** 0..1; null when the end is not known (CSV data is not read ahead). */
  readonly fraction: number | null;
  readonly ticks: number;
  /** The replay's engine time now (epoch ms). */
  readonly engineTime: number;
  /** Wall-clock estimate of the time left, ms; null until it can be told. */
  readonly etaMs: number | null;
}

export interface SweepRunView {
  readonly index: number;
  readonly params: Readonly<Record<string, unknown>>;
  /** queued | running | finished | failed */
  readonly status: string;
  readonly progress: ProgressView | null;
  readonly runId: number | null;
  readonly netPnl: number | null;
  readonly error: string | null;
}

export interface VenueView {
  readonly venue: string;
  /** connecting | connected | reconnecting | closed */
  readonly connection: string;
  /** blind | reconciling | retrying | synced | stopped (live); `simulated` for the simulated venue of paper mode. */
  readonly sync: string;
  readonly holdReason: string | null;
  /** Milliseconds since the venue last sent anything (market data or order stream); null when unknown. */
  readonly lastMessageAgeMs: number | null;
  readonly fillMark: number | null;
  readonly lastReconciledAt: number | null;
  readonly reconciliations: number;
  readonly failedReconciliations: number;
  readonly lastError: string | null;
  readonly fillsRecovered: number;
  readonly ordersAdopted: number;
  readonly flagged: readonly string[];
  /** The configured per-venue rate limit and how much of its window is used now; null when none is configured. */
  readonly rateLimit: { readonly spec: string; readonly used: number; readonly limit: number } | null;
}

export interface StrategyView {
  readonly id: string;
  /** running | stopped | failed */
  readonly status: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly lastError: string | null;
  readonly openOrders: number;
}

export interface PositionRow {
  readonly instrumentId: string;
  /** Present for a per-strategy row; absent for the portfolio's row of the instrument. */
  readonly strategyId?: string;
  readonly side: 'long' | 'short' | 'flat';
  /** Exact decimal text. */
  readonly quantity: string;
  readonly avgPrice: number | null;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  readonly fees: number;
}

export interface OpenOrderRow {
  readonly clientOrderId: string;
  readonly strategyId: string;
  readonly instrumentId: string;
  readonly venue: string;
  readonly side: 'buy' | 'sell';
  readonly type: string;
  readonly timeInForce: string;
  readonly status: string;
  /** True while the outcome of the last command sent for it is unknown (submitted, or a cancel/modify unanswered). */
  readonly inFlight: boolean;
  /** Flagged to the operator: its state stayed unknown after the set number of checks. */
  readonly flagged: boolean;
  readonly quantity: number;
  readonly filledQty: number;
  readonly price: number | null;
  readonly venueOrderId: string | null;
  readonly tsInit: number;
}

export interface FillRow {
  readonly ts: number;
  readonly clientOrderId: string;
  readonly strategyId: string;
  readonly instrumentId: string;
  readonly venue: string;
  readonly side: 'buy' | 'sell';
  readonly qty: number;
  readonly price: number;
  readonly fee: number;
  readonly feeCurrency: string;
  readonly liquidity: string;
}

export interface StatsView {
  readonly ticks: number;
  readonly orders: number;
  readonly fills: number;
  readonly denied: number;
  readonly deniedByCode: Readonly<Partial<Record<DenialCode, number>>>;
  readonly rejected: number;
  /** Net PnL of the portfolio (realized + unrealized − fees), summed over instruments. */
  readonly netPnl: number;
}

/** One message of the live stream (WebSocket), in the order things happened. */
export type StreamMessage =
  | { readonly type: 'order'; readonly event: Readonly<Record<string, unknown>> }
  | { readonly type: 'state'; readonly tradingState: TradingStateName; readonly reason: string }
  | { readonly type: 'venue'; readonly venue: VenueView }
  | { readonly type: 'log'; readonly level: 'warn' | 'error' | 'fatal'; readonly time: number; readonly msg: string; readonly fields: Readonly<Record<string, unknown>> }
  | { readonly type: 'audit'; readonly entry: AuditEntry }
  /** A backtest's or sweep's progress (read-only sessions): the session view now. */
  | { readonly type: 'progress'; readonly session: SessionView }
  /** Several of the above, in order, in one frame (a busy session sends its messages at most ~20 times a second). */
  | { readonly type: 'batch'; readonly messages: readonly StreamMessage[] };

export type CancelScope = { readonly venue?: string; readonly instrumentId?: string; readonly strategyId?: string };

/** What a control action did: `ok` false means nothing changed, and `message` says why. */
export interface ActionResult {
  readonly ok: boolean;
  readonly message: string;
  /** Client order ids of the orders it canceled or placed, where it did. */
  readonly orders?: readonly string[];
}

/** One control action as the audit log keeps it (table control_audit). */
export interface AuditEntry {
  readonly ts: number;
  /** Who: `token` (the bearer of the control token) and where from (remote address). */
  readonly actor: string;
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly ok: boolean;
  readonly message: string;
}

export interface ControlSource {
  session(): SessionView;
  venues(): readonly VenueView[];
  strategies(): readonly StrategyView[];
  /** The portfolio's row per instrument, then a row per strategy and instrument it holds. */
  positions(): readonly PositionRow[];
  openOrders(): readonly OpenOrderRow[];
  /** The newest fills, newest last (at most `limit`). */
  recentFills(limit: number): readonly FillRow[];
  /** Equity samples of this run: [engine time, equity]. */
  equity(): ReadonlyArray<readonly [number, number]>;
  stats(): StatsView;
  /** Log lines at warn and above, newest last (at most `limit`). */
  recentLogs(limit: number): ReadonlyArray<Extract<StreamMessage, { type: 'log' }>>;
  readonly stream$: Observable<StreamMessage>;
  /** Read-only sources (backtests, sweeps) refuse every action. */
  readonly readOnly: boolean;

  setTradingState(state: TradingStateName, reason: string): ActionResult;
  cancelAll(scope: CancelScope): ActionResult;
  cancel(clientOrderId: string): ActionResult;
  stopStrategy(strategyId: string, reason: string): ActionResult;
  /** Market orders that bring the instrument's position to flat, through the risk layer (per strategy holding it). */
  flatten(instrumentId: string): ActionResult;
  /** Stores an audit entry (SQLite) and puts it on the stream. */
  audit(entry: AuditEntry): void;
}
