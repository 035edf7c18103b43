import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { openStoredRun } from './stored-run.js';
import { loadRunReport, renderHtmlReport, type RunReport } from '../report/index.js';
import { tradeStats, tradeStatsBy } from '../report/trade-stats.js';
import { formatSummary } from './format-summary.js';

export interface ReportArgs {
  /** A run id, or 'latest'. */
  runId: string;
  db: string;
  /** Write the HTML report to this file (its folder is created). */
  html?: string;
  json?: boolean;
}

/** Writes the single-file HTML report (its folder is created). */
export function writeHtmlReport(report: RunReport, path: string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, renderHtmlReport(report));
}

const iso = (ms: number | undefined): string => (ms === undefined ? '-' : new Date(ms).toISOString());

/** The terminal text: the run's summary as `engine backtest` printed it, without the wall-clock speed (not stored). */
function terminalText(r: RunReport): string {
  const status = `status ${r.run.status}  started ${iso(r.run.startedAt)}  finished ${iso(r.run.finishedAt)}`;
  if (!r.summary) {
    const why = r.summaryProblem ? `the stored summary cannot be read: ${r.summaryProblem}` : 'no summary stored';
    return [`run ${r.run.id} (${r.run.mode}, portfolio ${r.run.portfolioId})`, status, why,
      `equity samples ${r.equity.length}  fills ${r.fills.length}`, `database: ${r.db}`].join('\n');
  }
  const lines = formatSummary(r.summary, { elapsedMs: 0, db: r.db }).split('\n');
  const speed = lines.findIndex((l) => l.startsWith('ticks '));
  if (speed >= 0) lines[speed] = `ticks ${r.summary.ticks.toLocaleString('en-US')}`;
  lines.splice(1, 0, status);
  return lines.join('\n');
}

/**
 * `engine report <runId|latest> [--db path] [--html out.html] [--json]`: prints a stored run's summary (or, with
 * --json, the run, summary, per-instrument figures and the round trips' statistics, overall and per strategy, as
 * JSON) and writes the HTML tearsheet. Returns the exit code:
 * 0 done, 2 bad arguments, a missing or unreadable database, or an unknown run. Errors go to `err`.
 */
export async function reportCommand(
  args: ReportArgs,
  out: (s: string) => void,
  err: (s: string) => void = out,
): Promise<number> {
  const opened = openStoredRun('report', args.runId, args.db, err);
  if (opened === undefined) return 2;
  const { which, db } = opened;
  try {
    const loaded = loadRunReport(db, which);
    if (!loaded.ok) {
      err(`engine report: ${loaded.error}`);
      return 2;
    }
    const report = loaded.value;
    if (args.html !== undefined) writeHtmlReport(report, args.html);
    if (args.json) {
      const { run, strategies, summary, summaryProblem, instruments, equity, fills, trips } = report;
      out(JSON.stringify({
        db: report.db, run, strategies, summary: summary ?? null, summaryProblem: summaryProblem ?? null, instruments,
        tradeStats: tradeStats(trips),
        tradeStatsByStrategy: Object.fromEntries(tradeStatsBy(trips, (t) => t.strategyId).map((g) => [g.key, g.stats])),
        equitySamples: equity.length, fills: fills.length, html: args.html ?? null,
      }, null, 2));
    } else {
      out(terminalText(report));
      if (args.html !== undefined) out(`report: ${args.html}`);
    }
    return 0;
  } finally {
    db.close();
  }
}
