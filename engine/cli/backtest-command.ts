import { performance } from 'node:perf_hooks';
import type { SimulatedClock } from '../clock/simulated-clock.js';
import { runBacktest } from '../kernel/backtest.js';
import type { RunSummary } from '../kernel/summary.js';
import { openDatabase } from '../persistence/index.js';
import { loadRunReport } from '../report/index.js';
import { formatSummary } from './format-summary.js';
import { writeHtmlReport } from './report-command.js';
import { prepareBacktest, resolveBacktestConfig, type BacktestArgs, type PreparedBacktest } from './prepare-backtest.js';
import { createCliLogger, DEFAULT_LOG_LEVEL } from './log-level.js';
import { createProgress } from './progress.js';

export type { BacktestArgs };

export interface TimedSummary extends RunSummary {
  readonly elapsedMs: number;
  readonly ticksPerSecond: number;
  readonly db: string;
}

/** One backtest of a prepared setup; the database is opened and closed here. */
export function runPrepared(p: PreparedBacktest, opts: { progress?: boolean } = {}): TimedSummary {
  let clock: SimulatedClock | undefined;
  const log = createCliLogger({ configLevel: p.config.log.level, verbDefault: DEFAULT_LOG_LEVEL.backtest, engineTime: () => clock?.now() });
  const db = openDatabase(p.config.storage.path);
  const progress = opts.progress ? createProgress(process.stderr) : undefined;
  const started = performance.now();
  try {
    const { summary } = runBacktest({ ...p, db, log, ticks: p.ticks(), onProgress: progress?.update, progressEvery: 50_000, onClock: (c) => (clock = c) });
    const elapsedMs = performance.now() - started;
    return { ...summary, elapsedMs, ticksPerSecond: Math.round(summary.ticks / Math.max(elapsedMs / 1000, 1e-9)), db: p.config.storage.path };
  } finally {
    progress?.done();
    db.close();
  }
}

/** `engine backtest`: returns the process exit code (0 ok, 1 the run failed, 2 bad config or data). */
export async function backtestCommand(args: BacktestArgs, out: (s: string) => void): Promise<number> {
  const prepared = await prepareBacktest(await resolveBacktestConfig(args));
  const summary = runPrepared(prepared, { progress: !args.json });
  const json = args.json || prepared.config.summary.json;
  out(json ? JSON.stringify(summary, null, 2) : formatSummary(summary, summary));
  if (args.html !== undefined && summary.db !== ':memory:') {
    const db = openDatabase(summary.db);
    try {
      const report = loadRunReport(db, summary.runId);
      if (report.ok) {
        writeHtmlReport(report.value, args.html);
        if (!json) out(`report: ${args.html}  (engine report ${summary.runId} --db ${summary.db} prints this summary again)`);
      }
    } finally {
      db.close();
    }
  }
  return summary.strategyFailures.length > 0 || summary.positionsVerified !== true ? 1 : 0;
}
