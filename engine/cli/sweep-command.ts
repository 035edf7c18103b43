import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { ConfigError } from '../config/config.js';
import { terminalFor } from '../log/terminal.js';
import { openDatabase } from '../persistence/index.js';
import { loadRunReport } from '../report/index.js';
import { EXIT_INTERRUPTED, type TimedSummary } from './backtest-command.js';
import { writeHtmlReport } from './report-command.js';
import { cliLogSettings, createCliLogger } from './log-level.js';
import { prepareBacktest, resolveBacktestConfig, type BacktestArgs } from './prepare-backtest.js';
import { loadStrategies } from '../kernel/strategy-loader.js';
import { mergeParams } from '../strategy/params.js';
import { startSweepControl, sweepProgress, type SweepProgress } from './sweep-control.js';
import { parseSweep, sweepGrid, type SweepAxis } from './sweep-grid.js';
import type { SweepJob, SweepProgress as SweepProgressMessage, SweepReply } from './sweep-worker.js';

/** Metrics a sweep can rank by; drawdown ranks ascending, the rest descending. */
const RANKS = { netPnl: -1, realizedPnl: -1, sharpe: -1, trades: -1, fills: -1, maxDrawdown: 1 } as const;
export type RankMetric = keyof typeof RANKS;

export interface SweepResult {
  readonly params: Record<string, unknown>;
  readonly summary?: TimedSummary;
  readonly error?: string;
}

/** The error of a combination that never ran because the sweep was interrupted. */
export const NOT_RUN = 'not run: the sweep was interrupted';

/** 130 when Ctrl-C stopped the sweep, 1 when a combination failed, else 0. */
export function sweepExitCode(results: readonly SweepResult[]): number {
  if (results.some((r) => r.summary?.interrupted !== undefined || r.error === NOT_RUN)) return EXIT_INTERRUPTED;
  return results.some((r) => r.error !== undefined) ? 1 : 0;
}

/** Runs the grid on worker threads (one backtest per worker at a time); every run is stored in the database. */
export async function runSweep(args: BacktestArgs, spec: string, opts: { workers?: number; rank?: string } = {}): Promise<SweepResult[]> {
  const rank = (opts.rank ?? 'netPnl') as RankMetric;
  if (!(rank in RANKS)) throw new ConfigError([`--rank ${rank}: one of ${Object.keys(RANKS).join(', ')}`]);
  if (args.db === ':memory:') throw new ConfigError(['--sweep stores every run: give a database file, not :memory:']);
  if (opts.workers !== undefined && !(Number.isSafeInteger(opts.workers) && opts.workers >= 1)) {
    throw new ConfigError([`--workers: expected a whole number, 1 or more, got ${String(opts.workers)}`]);
  }
  const axes = parseSweep(spec);
  await checkSweep(args, axes);
  const grid = sweepGrid(axes);
  const workers = Math.min(opts.workers ?? availableParallelism(), grid.length);
  const results: SweepResult[] = grid.map((params) => ({ params }));
  let next = 0;
  // --control: every run's state and progress, served read-only while the sweep runs; on a terminal, a progress line
  const line = process.stderr.isTTY && !args.json ? sweepLine(rank) : undefined;
  let watch: SweepProgress | undefined;
  let control: Awaited<ReturnType<typeof startSweepControl>> | undefined;
  if (line !== undefined) watch = sweepProgress(grid, 'sweep');
  if (args.control !== undefined) {
    const config = await resolveBacktestConfig(args);
    watch = sweepProgress(grid, config.portfolio);
    control = await startSweepControl(watch, {
      host: config.control.host, port: args.control === true ? config.control.port : args.control,
      log: createCliLogger({ configLevel: config.log.level, verbDefault: 'warn' }),
    });
    process.stderr.write(`control plane (read-only): ${control.url}  (engine status --url ${control.url})\n`);
  }

  // Ctrl-C: no combination starts any more, and the runs in progress stop at their next step, stored as interrupted
  const interrupt = new Int32Array(new SharedArrayBuffer(4));
  const onSigint = (): void => void Atomics.store(interrupt, 0, 1);
  process.once('SIGINT', onSigint);
  try {
    await Promise.all(Array.from({ length: workers }, () => new Promise<void>((resolve, reject) => {
      const worker = new Worker(new URL('./sweep-worker-entry.mjs', import.meta.url), { workerData: { args, log: cliLogSettings(), reportProgress: watch !== undefined, interrupt } });
      const feed = (): void => {
        if (next >= grid.length || Atomics.load(interrupt, 0) === 1) {
          worker.postMessage(null);
          return;
        }
        const job: SweepJob = { index: next, params: grid[next]! };
        next++;
        worker.postMessage(job);
        watch?.started(job.index);
        control?.changed();
        line?.draw(watch!, results);
      };
      worker.on('message', (reply: SweepReply | SweepProgressMessage) => {
        if ('progress' in reply) {
          watch?.progress(reply.index, reply.progress);
          control?.changed();
          line?.draw(watch!, results);
          return;
        }
        results[reply.index] = reply.ok ? { params: grid[reply.index]!, summary: reply.summary } : { params: grid[reply.index]!, error: reply.error };
        watch?.finished(reply.index, results[reply.index]!);
        control?.changed();
        feed();
      });
      worker.on('error', reject);
      worker.on('exit', () => resolve());
      feed();
    })));
  } finally {
    process.removeListener('SIGINT', onSigint);
    line?.done();
    await control?.close();
  }
  const stopped = Atomics.load(interrupt, 0) === 1;
  results.forEach((r, i) => {
    if (r.summary === undefined && r.error === undefined) results[i] = { params: r.params, error: stopped ? NOT_RUN : 'its worker ended without a result' };
  });

  const key = (r: SweepResult): number => {
    const v = r.summary?.[rank];
    return typeof v === 'number' ? v : Number.NaN;
  };
  const dir = RANKS[rank];
  return results.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
    return dir * (x - y);
  });
}

/**
 * The whole sweep is checked before a worker starts: the config, data and dates as the first run would see them, and
 * every value of every axis against the strategy's declared params (a typo fails now, not once per combination).
 */
async function checkSweep(args: BacktestArgs, axes: readonly SweepAxis[]): Promise<void> {
  const config = await resolveBacktestConfig(args, Object.fromEntries(axes.map((a) => [a.name, a.values[0]])));
  const strategy = config.strategies[0]!;
  const defaults = (await loadStrategies([strategy.use])).get(strategy.use)?.params ?? {};
  const problems = new Set<string>();
  for (const axis of axes) {
    for (const value of axis.values) {
      try {
        mergeParams(defaults, { [axis.name]: value }, '--sweep');
      } catch (e) {
        for (const p of e instanceof ConfigError ? e.problems : [(e as Error).message]) problems.add(p.replace(/^--sweep\./, '--sweep '));
      }
    }
  }
  if (problems.size > 0) throw new ConfigError([...problems]);
  await prepareBacktest(config, args.instrument);
}

/**
 * A sweep's progress line on a terminal (at most 4 draws a second): runs done and running, the share of the whole grid,
 * the time left, and the best finished run so far by the ranking metric.
 */
function sweepLine(rank: RankMetric): { draw(watch: SweepProgress, results: readonly SweepResult[]): void; done(): void } {
  const terminal = terminalFor(process.stderr);
  let last = 0;
  return {
    draw(watch, results) {
      const now = performance.now();
      if (now - last < 250) return;
      last = now;
      const s = watch.snapshot().session;
      const runs = s.sweep!.runs;
      const done = runs.filter((r) => r.status === 'finished' || r.status === 'failed').length;
      const running = runs.filter((r) => r.status === 'running').length;
      const p = s.progress!;
      let best: SweepResult | undefined;
      for (const r of results) {
        const v = r.summary?.[rank];
        const b = best?.summary?.[rank];
        if (typeof v === 'number' && (typeof b !== 'number' || RANKS[rank] * (v - b) < 0)) best = r;
      }
      const bestText = best === undefined ? '' : ` · best ${rank} ${num(best.summary![rank] as number)} (${Object.entries(best.params).map(([k, v]) => `${k}=${String(v)}`).join(' ')})`;
      const left = p.etaMs === null ? '' : ` · ${Math.ceil(p.etaMs / 1000)} s left`;
      terminal.status(`  sweep: ${done} of ${runs.length} done, ${running} running · ${((p.fraction ?? 0) * 100).toFixed(1)} %${left}${bestText}`);
    },
    done() {
      terminal.clearStatus();
    },
  };
}

/**
 * `--html` on a sweep: the HTML report of the best run by the ranking (the first of the ranked results that ran), or
 * undefined when none did. Returns the line to print.
 */
export function writeBestReport(results: readonly SweepResult[], html: string): string | undefined {
  const best = results.find((r) => r.summary !== undefined && r.summary.interrupted === undefined);
  if (best === undefined) return undefined;
  const db = openDatabase(best.summary!.db);
  try {
    const report = loadRunReport(db, best.summary!.runId);
    if (!report.ok) return `no report of run ${best.summary!.runId}: ${report.error}`;
    writeHtmlReport(report.value, html);
  } finally {
    db.close();
  }
  const params = Object.entries(best.params).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  return `report of the best run (${best.summary!.runId}: ${params}): ${html}`;
}

const num = (x: number | undefined, d = 2): string => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));

export function formatSweep(results: readonly SweepResult[], rank: string): string {
  const rows = results.map((r, i) => [
    String(i + 1),
    Object.entries(r.params).map(([k, v]) => `${k}=${String(v)}`).join(' '),
    r.summary ? num(r.summary.netPnl) : r.error === NOT_RUN ? 'not run' : 'FAILED',
    r.summary ? num(r.summary.sharpe) : '',
    r.summary ? num(r.summary.maxDrawdown) : '',
    r.summary ? String(r.summary.trades) : '',
    r.summary ? String(r.summary.fills) : '',
    r.summary ? `${r.summary.runId}${r.summary.interrupted === undefined ? '' : ' (interrupted)'}` : r.error === NOT_RUN ? '' : (r.error ?? '').slice(0, 60),
  ]);
  const head = ['#', 'params', 'net pnl', 'sharpe', 'max dd', 'trips', 'fills', 'run'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((x, c) => (c === 1 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join('  ');
  return [`ranked by ${rank}`, line(head), ...rows.map(line)].join('\n');
}
