import type { Database } from 'better-sqlite3';
import { err, ok, type Result } from '../model/result.js';
import { loadEquity, loadFills } from '../persistence/repositories.js';
import { getRun, latestRunId } from '../persistence/runs.js';
import { drawdownSeries } from './drawdown.js';
import { instrumentStats } from './instrument-stats.js';
import { parseRunSummary } from './parse-summary.js';
import { capitalOf, contractSizesOf, strategiesOf } from './run-config.js';
import type { RunReport } from './run-report.js';

export interface LoadRunReportOptions {
  /** Contract size per instrument for the notional traded; default: from the run's inline instrument config, else 1. */
  readonly contractSizeOf?: (instrumentId: string) => number;
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
  return ok({
    db: where,
    run,
    strategies: strategiesOf(run.config),
    summary,
    summaryProblem: parsed && !parsed.ok ? parsed.error : undefined,
    equity,
    drawdown: drawdownSeries(equity, summary?.capital ?? capitalOf(run.config)),
    fills,
    instruments: instrumentStats(fills, summary?.positions, contractSizeOf),
  });
}
