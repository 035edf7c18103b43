import { performance } from 'node:perf_hooks';
import type { SimulatedClock } from '../clock/simulated-clock.js';
import { startBacktest, type BacktestReplay } from '../kernel/backtest.js';
import type { RunSummary } from '../kernel/summary.js';
import { openDatabase } from '../persistence/index.js';
import { loadRunReport } from '../report/index.js';
import { formatSummary } from './format-summary.js';
import { writeHtmlReport } from './report-command.js';
import { prepareBacktest, resolveBacktestConfig, type BacktestArgs, type PreparedBacktest } from './prepare-backtest.js';
import { createCliLogger, DEFAULT_LOG_LEVEL } from './log-level.js';
import { createProgress } from './progress.js';
import { backtestSnapshots, progressOf, startingSnapshot, type BacktestSnapshots } from '../control/backtest-snapshot.js';
import { startSnapshotServer, type SnapshotServer } from '../control/snapshot-server.js';
import { ConfigError } from '../config/config.js';
import type { ControlSnapshot } from '../control/snapshot-source.js';
import type { ProgressView } from '../control/source.js';
import type { TradingNode } from '../kernel/trading-node.js';

export type { BacktestArgs };

export interface TimedSummary extends RunSummary {
  readonly elapsedMs: number;
  readonly ticksPerSecond: number;
  readonly db: string;
}

/** How often the replay looks at the wall clock (ticks), and how often it then reports its progress (ms). */
const CHECK_EVERY_TICKS = 4_096;
const REPORT_EVERY_MS = 250;

export interface RunOptions {
  /** A progress line on standard error (when it is a terminal). */
  readonly progress?: boolean;
  /** The progress as the control plane shows it, every REPORT_EVERY_MS of wall time, and once at the end. */
  readonly onSnapshot?: (snapshot: ControlSnapshot) => void;
  /** Progress only (a sweep's runs): ticks, fraction, engine time, ETA. */
  readonly onProgress?: (progress: ProgressView) => void;
  /**
   * Asked every STEP_TICKS ticks, after a turn of the event loop (where a signal handler runs): a reason (e.g.
   * "SIGINT") stops the replay there, and the run is stored as interrupted with what it has done.
   */
  readonly interrupted?: () => string | undefined;
}

/** Ticks replayed between two looks at RunOptions.interrupted: a few milliseconds of replay. */
const STEP_TICKS = 4_096;

/** Lets the event loop turn once (signals, messages), then goes on: a few microseconds. */
const turnOfEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Replays to the end of the data, or until `interrupted` gives a reason; then the run is ended and stored. */
async function replayAll(replay: BacktestReplay, interrupted: RunOptions['interrupted']): Promise<RunSummary> {
  if (interrupted === undefined) {
    replay.step(Infinity);
    return replay.finish().summary;
  }
  while (replay.step(STEP_TICKS)) {
    await turnOfEventLoop();
    const why = interrupted();
    if (why !== undefined) return replay.finish(why).summary;
  }
  return replay.finish().summary;
}

/** One backtest of a prepared setup; the database is opened and closed here. */
export async function runPrepared(p: PreparedBacktest, opts: RunOptions = {}): Promise<TimedSummary> {
  let clock: SimulatedClock | undefined;
  const log = createCliLogger({ configLevel: p.config.log.level, verbDefault: DEFAULT_LOG_LEVEL.backtest, engineTime: () => clock?.now() });
  const db = openDatabase(p.config.storage.path);
  const progress = opts.progress ? createProgress(process.stderr) : undefined;
  const started = performance.now();
  let snapshots: BacktestSnapshots | undefined;
  let lastReport = started;
  const report = (ticks: number, force: boolean): void => {
    const now = performance.now();
    if (!force && now - lastReport < REPORT_EVERY_MS) return;
    lastReport = now;
    if (snapshots !== undefined) {
      const s = snapshots.take(ticks, now - started);
      opts.onSnapshot?.(s);
      progress?.update(s.session.progress!);
      opts.onProgress?.(s.session.progress!);
    } else if (clock !== undefined) {
      const v = progressOf(p.extent, ticks, clock.now(), now - started);
      progress?.update(v);
      opts.onProgress?.(v);
    }
  };
  const watched = progress !== undefined || opts.onSnapshot !== undefined || opts.onProgress !== undefined;
  let ticks = 0;
  try {
    const replay = startBacktest({
      ...p, db, log, ticks: p.ticks(), onClock: (c) => (clock = c),
      ...(watched && {
        progressEvery: CHECK_EVERY_TICKS,
        onProgress: (n: number) => report((ticks = n), false),
        onNode: (node: TradingNode) => {
          if (opts.onSnapshot !== undefined) snapshots = backtestSnapshots(node, p.extent, Math.round(performance.timeOrigin + started));
        },
      }),
    });
    const summary = await replayAll(replay, opts.interrupted);
    const elapsedMs = performance.now() - started;
    if (snapshots !== undefined) opts.onSnapshot!(snapshots.take(summary.ticks, elapsedMs));
    return { ...summary, elapsedMs, ticksPerSecond: Math.round(summary.ticks / Math.max(elapsedMs / 1000, 1e-9)), db: p.config.storage.path };
  } catch (e) {
    if (snapshots !== undefined) report(ticks, true);
    throw e;
  } finally {
    snapshots?.close();
    progress?.done();
    db.close();
  }
}

/** `engine backtest`: returns the process exit code (0 ok, 1 the run failed, 2 bad config or data). */
export async function backtestCommand(args: BacktestArgs, out: (s: string) => void): Promise<number> {
  const prepared = await prepareBacktest(await resolveBacktestConfig(args), args.instrument);
  const control = args.control === undefined ? undefined : await startBacktestControl(prepared, args.control);
  // Ctrl-C: the replay stops at its next step and the run is stored as interrupted (exit 130); a second one kills
  let interrupted: string | undefined;
  const onSigint = (): void => {
    interrupted = 'SIGINT';
  };
  process.once('SIGINT', onSigint);
  let summary: TimedSummary;
  try {
    summary = await runPrepared(prepared, { progress: !args.json, interrupted: () => interrupted, ...(control && { onSnapshot: control.update }) });
  } finally {
    process.removeListener('SIGINT', onSigint);
    await control?.close();
  }
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
  if (summary.interrupted !== undefined) return EXIT_INTERRUPTED;
  return summary.strategyFailures.length > 0 || summary.positionsVerified !== true ? 1 : 0;
}

/** The exit code of a command stopped by Ctrl-C, as a shell gives it: 128 + SIGINT (2). */
export const EXIT_INTERRUPTED = 130;

/**
 * `--control [port]`: the read-only control plane of this backtest (engine/control/API.md) on the config's control host
 * and port (or the one given; 0 picks a free one): `engine status`, the dashboard and the stream show its progress.
 */
async function startBacktestControl(p: PreparedBacktest, port: number | true): Promise<SnapshotServer> {
  const { host } = p.config.control;
  try {
    const server = await startSnapshotServer({
      host, port: port === true ? p.config.control.port : port, token: process.env.ENGINE_CONTROL_TOKEN || undefined,
      first: startingSnapshot(p.config.portfolio, p.extent, Math.round(performance.timeOrigin + performance.now())),
    });
    process.stderr.write(`control plane (read-only): ${server.url}  (engine status --url ${server.url})\n`);
    return server;
  } catch (e) {
    throw new ConfigError([`control plane: ${(e as Error).message}; pass --control with a free port (0: any), or leave --control out`], 'the backtest');
  }
}
