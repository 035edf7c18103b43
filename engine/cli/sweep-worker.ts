/** A sweep worker: runs the backtests it is sent, one at a time, and posts each summary back. */
import { parentPort, workerData } from 'node:worker_threads';
import { runPrepared } from './backtest-command.js';
import type { ProgressView } from '../control/source.js';
import { useCliLogSettings, type CliLogSettings } from './log-level.js';
import { prepareBacktest, resolveBacktestConfig, type BacktestArgs } from './prepare-backtest.js';

export type SweepJob = { index: number; params: Record<string, unknown> };
/** While a run replays (only when the sweep serves its progress): how far it is, every few hundred milliseconds. */
export type SweepProgress = { index: number; progress: ProgressView };
export type SweepReply =
  | { index: number; ok: true; summary: Awaited<ReturnType<typeof runPrepared>> }
  | { index: number; ok: false; error: string };

const { args, log, reportProgress, interrupt } = workerData as {
  args: BacktestArgs; log?: CliLogSettings; reportProgress?: boolean;
  /** Set to 1 by the parent on Ctrl-C: the run in progress stops at its next step and is stored as interrupted. */
  interrupt: Int32Array;
};
const interrupted = (): string | undefined => (Atomics.load(interrupt, 0) === 1 ? 'SIGINT' : undefined);
useCliLogSettings(log); // --log-level and a readable terminal, as in the parent thread
parentPort!.on('message', (job: SweepJob | null) => {
  if (job === null) {
    process.exit(0);
  }
  void (async () => {
    let reply: SweepReply;
    try {
      const prepared = await prepareBacktest(await resolveBacktestConfig(args, job.params), args.instrument);
      const onProgress = (progress: ProgressView): void => parentPort!.postMessage({ index: job.index, progress } satisfies SweepProgress);
      reply = { index: job.index, ok: true, summary: await runPrepared(prepared, reportProgress ? { onProgress, interrupted } : { interrupted }) };
    } catch (e) {
      reply = { index: job.index, ok: false, error: (e as Error).message };
    }
    parentPort!.postMessage(JSON.parse(JSON.stringify(reply)) as SweepReply);
  })();
});
