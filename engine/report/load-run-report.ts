import type { Database } from 'better-sqlite3';
import { err, ok, type Result } from '../model/result.js';
import { loadEquity, loadFills } from '../persistence/repositories.js';
import { getRun, latestRunId } from '../persistence/runs.js';
import { drawdownSeries } from './drawdown.js';
import { exposure } from './exposure.js';
import { instrumentStats } from './instrument-stats.js';
import { orderProblems } from './order-problems.js';
import { parseRunSummary, parseStrategyParts } from './parse-summary.js';
import { dailyReturns, monthlyGrid } from './period-returns.js';
import { roundTrips } from './round-trips.js';
import { capitalOf, contractSizesOf, strategiesOf } from './run-config.js';
import { loadRunPrices, MAX_PRICE_POINTS, type RunPrices } from './run-prices.js';
import type { RunReport, TripRow } from './run-report.js';
import type { StoredFill } from '../persistence/rows.js';
import { tripReturn } from './trade-stats.js';

export interface LoadRunReportOptions {
  /** Contract size per instrument for the notional traded; default: from the run's inline instrument config, else 1. */
  readonly contractSizeOf?: (instrumentId: string) => number;
  /** Read the run's data files for the price chart and the benchmark (default true). */
  readonly prices?: boolean;
}

/** Round trips per (strategy, instrument), each with the tag of its opening order (orders.tag by client order id). */
export function tripRows(fills: readonly StoredFill[], tags: ReadonlyMap<string, string>, contractSizeOf: (instrumentId: string) => number): TripRow[] {
  const trips = roundTrips(fills.map((f) => ({
    instrumentId: f.instrumentId, strategyId: f.strategyId, clientOrderId: f.clientOrderId, side: f.side, qty: f.lastQty,
    price: f.lastPrice, fee: f.fee, tsEvent: f.tsEvent,
  })), contractSizeOf);
  return trips.map((t) => ({
    ...t, strategyId: t.strategyId ?? '', tag: t.openedBy === undefined ? undefined : tags.get(t.openedBy),
    return: tripReturn(t, contractSizeOf(t.instrumentId)),
  }));
}

function orderTags(db: Database, runId: number): Map<string, string> {
  const rows = db.prepare('SELECT client_order_id, tag FROM orders WHERE run_id = ? AND tag IS NOT NULL').all(runId) as { client_order_id: string; tag: string }[];
  return new Map(rows.map((r) => [r.client_order_id, r.tag]));
}

/**
 * Reads one run (or the newest) with its summary, equity curve, drawdown, fills and per-instrument figures.
 * An unknown run or an empty database is an expected failure: a readable message naming the database.
 */
export function loadRunReport(db: Database, runIdOrLatest: number | 'latest', options: LoadRunReportOptions = {}): Result<RunReport> {
  const where = db.name === '' ? ':memory:' : db.name;
  const id = runIdOrLatest === 'latest' ? latestRunId(db) : runIdOrLatest;
  if (id === undefined) return err(`the database ${where} has no runs yet`);
  const stored = getRun(db, id);
  if (!stored) return err(`no run ${id} in ${where}`);
  const { summary: rawSummary, ...run } = stored;
  const parsed = rawSummary === undefined || rawSummary === null ? undefined : parseRunSummary(rawSummary);
  const summary = parsed?.ok ? parsed.value : undefined;
  const equity = loadEquity(db, run.id);
  const fills = loadFills(db, run.portfolioId).filter((f) => f.runId === run.id);
  const sizes = contractSizesOf(run.config);
  const contractSizeOf = options.contractSizeOf ?? ((i: string): number => sizes.get(i) ?? 1);
  const capital = summary?.capital ?? capitalOf(run.config);
  const relative = capital !== undefined && capital > 0;
  const from = summary?.from ?? equity[0]?.ts ?? run.startedAt;
  const to = summary?.to ?? run.finishedAt ?? equity.at(-1)?.ts ?? from;
  const traded = [...new Set(fills.map((f) => f.instrumentId))].sort();
  const prices: RunPrices = options.prices === false
    ? { ok: false, problem: 'prices not read (disabled)' }
    : traded.length === 0 ? { ok: false, problem: 'no instrument was traded' }
    : loadRunPrices(run.config, traded, { from, to }, MAX_PRICE_POINTS);
  const days = dailyReturns(equity, relative);
  return ok({
    db: where,
    run,
    strategies: strategiesOf(run.config),
    summary,
    summaryProblem: parsed && !parsed.ok ? parsed.error : undefined,
    equity,
    drawdown: drawdownSeries(equity, capital),
    fills,
    instruments: instrumentStats(fills, summary?.positions, contractSizeOf),
    trips: tripRows(fills, orderTags(db, run.id), contractSizeOf),
    span: { from, to },
    exposure: exposure(fills.map((f) => ({ strategyId: f.strategyId, instrumentId: f.instrumentId, side: f.side, qty: f.lastQty, tsEvent: f.tsEvent })), from, to),
    days,
    months: monthlyGrid(days, relative),
    relativeReturns: relative,
    prices,
    problems: orderProblems(db, run.id),
    strategyParts: summary === undefined ? undefined : parseStrategyParts((rawSummary as { byStrategy?: unknown }).byStrategy),
  });
}
