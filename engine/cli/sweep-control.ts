/**
 * A sweep's read-only control plane: every run of the grid with its state and progress, and the whole sweep's progress,
 * served in-process (the sweep's main thread only hands out jobs; its workers replay).
 */
import { performance } from 'node:perf_hooks';
import { ConfigError } from '../config/config.js';
import type { Logger } from '../log/logger.js';
import { dashboardFiles } from '../control/dashboard/index.js';
import { startControlServer, type ControlServer } from '../control/server.js';
import { createSnapshotSource, type ControlSnapshot } from '../control/snapshot-source.js';
import type { ProgressView, SweepRunView } from '../control/source.js';
import type { TimedSummary } from './backtest-command.js';

export interface SweepProgress {
  started(index: number): void;
  progress(index: number, p: ProgressView): void;
  finished(index: number, result: { summary?: TimedSummary; error?: string }): void;
  snapshot(): ControlSnapshot;
}

export function sweepProgress(grid: ReadonlyArray<Record<string, unknown>>, portfolio: string, now: () => number = () => performance.now()): SweepProgress {
  const t0 = now();
  const startedAt = Math.round(performance.timeOrigin + t0);
  const runs: SweepRunView[] = grid.map((params, index) => ({ index, params, status: 'queued', progress: null, runId: null, netPnl: null, error: null }));
  let orders = 0, fills = 0;
  const set = (i: number, change: Partial<SweepRunView>): void => {
    runs[i] = { ...runs[i]!, ...change };
  };
  return {
    started: (i) => set(i, { status: 'running' }),
    progress: (i, progress) => set(i, { progress }),
    finished(i, r) {
      const p = runs[i]!.progress;
      orders += r.summary?.orders ?? 0;
      fills += r.summary?.fills ?? 0;
      set(i, r.summary
        ? { status: 'finished', runId: r.summary.runId, netPnl: r.summary.netPnl, progress: { fraction: 1, ticks: r.summary.ticks, engineTime: r.summary.to, etaMs: 0 } }
        : { status: 'failed', error: r.error ?? 'failed', progress: p });
    },
    snapshot() {
      const elapsedMs = now() - t0;
      let done = 0, ticks = 0, engineTime = 0;
      for (const r of runs) {
        if (r.status === 'finished' || r.status === 'failed') done += 1;
        else if (r.status === 'running') done += r.progress?.fraction ?? 0;
        ticks += r.progress?.ticks ?? 0;
        if (r.status === 'running') engineTime = Math.max(engineTime, r.progress?.engineTime ?? 0);
      }
      const fraction = runs.length === 0 ? 1 : done / runs.length;
      const etaMs = fraction > 0.001 && elapsedMs > 500 ? Math.round((elapsedMs * (1 - fraction)) / fraction) : null;
      return {
        session: {
          mode: 'backtest', runId: 0, portfolio, startedAt, engineTime, uptimeMs: Math.round(elapsedMs), tradingState: 'ACTIVE',
          progress: { fraction, ticks, engineTime, etaMs }, sweep: { runs: runs.slice() },
        },
        venues: [], strategies: [], positions: [], openOrders: [], fills: [], equity: [],
        stats: { ticks, orders, fills, denied: 0, deniedByCode: {}, rejected: 0, netPnl: 0 },
      };
    },
  };
}

/** `--control [port]` on a sweep: the server, fed with the sweep's snapshot at each change. */
export async function startSweepControl(
  progress: SweepProgress,
  opts: { host: string; port: number; log: Logger },
): Promise<{ url: string; changed(): void; close(): Promise<void> }> {
  const source = createSnapshotSource(progress.snapshot());
  const files = dashboardFiles();
  let server: ControlServer;
  try {
    server = await startControlServer({
      source, host: opts.host, port: opts.port, token: process.env.ENGINE_CONTROL_TOKEN || undefined, log: opts.log, dashboardDir: files.dir, assets: files.assets,
    });
  } catch (e) {
    source.close();
    throw new ConfigError([`control plane: ${(e as Error).message}; pass --control with a free port (0: any), or leave --control out`], 'the sweep');
  }
  return {
    url: server.url,
    changed: () => source.update(progress.snapshot()),
    async close() {
      await server.close();
      source.close();
    },
  };
}
