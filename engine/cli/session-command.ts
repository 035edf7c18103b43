/** `engine paper`, `engine live` and `engine record`: run on venue adapters until Ctrl-C (or --duration). */
import { randomInt } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLiveClock } from '../clock/live-clock.js';
import { loadConfigFile, loadInstruments } from '../config/load.js';
import { createRecordingWriter } from '../data/recording/index.js';
import { writeInstrumentSidecar } from '../data/instrument-sidecar.js';
import { loadAdapters } from '../kernel/adapter-loader.js';
import { startLiveSession } from '../kernel/live-session.js';
import { loadStrategies } from '../kernel/strategy-loader.js';
import { createCliLogger, DEFAULT_LOG_LEVEL } from './log-level.js';
import { openDatabase } from '../persistence/index.js';
import { formatSummary } from './format-summary.js';
import { startControlPlane, startStatusLine } from './control-plane.js';
import type { NodeSource } from '../control/node-source.js';

export interface SessionArgs {
  config: string;
  db?: string;
  /** Seconds to run; until Ctrl-C when absent. */
  duration?: string;
}

/** Live randomness (backoff jitter): not from Math.random, which engine/ keeps out for determinism. */
const random = (): number => randomInt(0, 2 ** 32) / 2 ** 32;

/** Resolves after `duration` seconds, or on SIGINT / SIGTERM. */
function untilStopped(duration: string | undefined): Promise<string> {
  return new Promise((resolve) => {
    const done = (why: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      clearTimeout(timer);
      resolve(why);
    };
    const onInt = () => done('SIGINT');
    const onTerm = () => done('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const timer = duration === undefined ? undefined : setTimeout(() => done('duration'), Number(duration) * 1000);
  });
}

export async function sessionCommand(mode: 'paper' | 'live', args: SessionArgs, out: (s: string) => void): Promise<number> {
  const config = await loadConfigFile(args.config, { mode });
  let control: NodeSource | undefined;
  const log = createCliLogger({ configLevel: config.log.level, verbDefault: DEFAULT_LOG_LEVEL.session, tap: (line) => control?.logLine(line) });
  const instruments = loadInstruments(config);
  const definitions = await loadStrategies(config.strategies.map((s) => s.use));
  const adapters = await loadAdapters(config, { log, clock: createLiveClock(), env: process.env, random });
  const path = args.db ?? config.storage.path;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = openDatabase(path);
  const t0 = performance.now();
  try {
    const session = await startLiveSession({ config, definitions, adapters, instruments, db, log });
    out(`${mode} session ${session.node.runId} running on ${adapters.map((a) => a.venue).join(', ')}; Ctrl-C stops it`);
    const plane = config.control.enabled ? await startControlPlane(session, { config, db, log, venueIds: adapters.map((a) => a.venue) }) : undefined;
    control = plane?.source;
    if (plane) out(`control plane ${plane.url}: dashboard in a browser there, \`engine status --url ${plane.url}\` in a terminal`);
    const statusLine = plane && config.control.statusLineMs > 0 && process.stderr.isTTY ? startStatusLine(plane.source, config.control.statusLineMs) : undefined;
    const why = await untilStopped(args.duration);
    statusLine?.stop();
    out(`stopping (${why}): canceling open orders`);
    const summary = await session.stop();
    await plane?.close();
    out(formatSummary(summary, { elapsedMs: performance.now() - t0, db: path }));
    // an order left open or unknown is not a clean stop: the exit code says so (the summary says what to check)
    return summary.strategyFailures.length > 0 || summary.positionsVerified !== true || summary.openAtEnd.length > 0 ? 1 : 0;
  } finally {
    db.close();
  }
}

/** Records every configured instrument's market data into a recording (appending), flushing a chunk every second. */
export async function recordCommand(args: { config: string; out: string; duration?: string }, out: (s: string) => void): Promise<number> {
  const config = await loadConfigFile(args.config, { mode: 'paper' });
  const log = createCliLogger({ configLevel: config.log.level, verbDefault: DEFAULT_LOG_LEVEL.session });
  const configured = loadInstruments(config);
  const adapters = await loadAdapters(config, { log, clock: createLiveClock(), env: process.env, random });
  mkdirSync(dirname(args.out), { recursive: true });
  const writer = createRecordingWriter(args.out);
  const flush = setInterval(() => writer.flush(), 1_000);
  const subs = [];
  let instruments = configured;
  try {
    for (const a of adapters) await a.connect();
    // the venues' own instruments (their specs win), so that the recording can be backtested with the right grids
    const byId = new Map(configured.map((i) => [i.id, i]));
    for (const a of adapters) for (const i of await a.instruments()) byId.set(i.id, i);
    instruments = [...byId.values()];
    writeInstrumentSidecar(args.out, instruments);
    for (const a of adapters) {
      if (!a.marketData) continue;
      subs.push(a.marketData.ticks$.subscribe((t) => {
        try {
          writer.append(t);
        } catch (e) {
          // a tick the recording cannot hold (a non-finite time): logged and skipped, the recording goes on
          log.error({ venue: a.venue, instrumentId: t.instrumentId }, `record: tick skipped: ${(e as Error).message}`);
        }
      }));
      for (const i of instruments) if (i.venue === a.venue) a.marketData.subscribe(i.id, ['quote', 'trade', 'book', 'bar']);
    }
    out(`recording ${instruments.map((i) => i.id).join(', ')} into ${args.out}; Ctrl-C stops it`);
    await untilStopped(args.duration);
  } finally {
    clearInterval(flush);
    for (const s of subs) s.unsubscribe();
    writer.close();
    for (const a of adapters) await a.close();
  }
  out(`recorded ${writer.ticksWritten.toLocaleString('en-US')} ticks into ${args.out}`);
  return 0;
}
