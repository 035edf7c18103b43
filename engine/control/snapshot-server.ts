/**
 * A read-only control plane fed with snapshots: for a backtest, on a worker thread (the replay keeps the main thread
 * busy, so the server could not answer there); the replay posts a snapshot every few hundred milliseconds and never
 * waits for the server. A sweep's main thread is idle while its workers replay, so it serves in-process
 * (createSnapshotSource with startControlServer).
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { cliLogSettings } from '../cli/log-level.js';
import type { ControlSnapshot } from './snapshot-source.js';

export interface SnapshotServer {
  readonly url: string;
  update(snapshot: ControlSnapshot): void;
  close(): Promise<void>;
}

export async function startSnapshotServer(opts: { host: string; port: number; token: string | undefined; first: ControlSnapshot }): Promise<SnapshotServer> {
  const worker = new Worker(new URL('./snapshot-server-entry.mjs', import.meta.url), {
    workerData: { host: opts.host, port: opts.port, token: opts.token, first: opts.first, log: cliLogSettings() },
  });
  const [answer] = (await Promise.race([once(worker, 'message'), once(worker, 'error').then(([e]) => [{ error: (e as Error).message }])])) as [{ ready?: string; error?: string }];
  if (answer.ready === undefined) {
    await worker.terminate();
    throw new Error(answer.error ?? 'the control plane did not start');
  }
  worker.unref();
  return {
    url: answer.ready,
    update: (snapshot) => worker.postMessage({ snapshot }),
    async close() {
      const exited = once(worker, 'exit');
      worker.postMessage({ close: true });
      const timer = setTimeout(() => void worker.terminate(), 2_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
