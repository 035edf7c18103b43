/**
 * The read-only control plane of a backtest, on a worker thread: the replay runs on the main thread without pause, so
 * requests are answered here, from the last snapshot the replay posted (snapshot-server.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createCliLogger, useCliLogSettings, type CliLogSettings } from '../cli/log-level.js';
import { dashboardFiles } from './dashboard/index.js';
import { startControlServer, type ControlServer } from './server.js';
import { createSnapshotSource, type ControlSnapshot } from './snapshot-source.js';

const { host, port, token, first, log } = workerData as { host: string; port: number; token?: string; first: ControlSnapshot; log?: CliLogSettings };
useCliLogSettings(log);
const source = createSnapshotSource(first);
const files = dashboardFiles();
let server: ControlServer | undefined;
try {
  server = await startControlServer({
    source, host, port, token, log: createCliLogger({ configLevel: undefined, verbDefault: 'warn' }), dashboardDir: files.dir, assets: files.assets,
  });
  parentPort!.postMessage({ ready: server.url });
} catch (e) {
  parentPort!.postMessage({ error: (e as Error).message });
}
parentPort!.on('message', (m: { snapshot?: ControlSnapshot; close?: true }) => {
  if (m.snapshot !== undefined) source.update(m.snapshot);
  if (m.close) {
    void (server?.close() ?? Promise.resolve()).finally(() => {
      source.close();
      parentPort!.close();
    });
  }
});
