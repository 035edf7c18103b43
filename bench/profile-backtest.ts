/**
 * One backtest replayed several times in one process, for profiling and A/B runs (`npm run bench` measures; this is for
 * finding out why). Prints raw decode and each run's ticks/s. Run it under `node --cpu-prof` for a CPU profile of the
 * same runs, or with ALLOC=<file> for a sampling heap profile of one more run.
 *
 *   node --import tsx bench/profile-backtest.ts [strategy file, default bench/ema-cross.ts]
 *
 * Environment (all optional):
 *   QUOTES=5000000     synthetic quotes (bench/synthetic.ts), written once to the temp folder and reused
 *   RUNS=3             runs
 *   DB=memory|file     the run's database: in memory (the engine thread writes) or a file (the writer thread)
 *   PARAMS='{"every":1e18}'  strategy params (this one gives bench/ema-cross.ts's work without its orders)
 *   HEAVY=200000       replay only this many ticks (an order-heavy strategy: bench/every-tick.ts)
 *   DECODE_THREAD=0    decode on the replay's thread
 *   MAX_BATCH, RETENTION  storage.maxBatch, retention.closedOrders (with minAgeMs 0)
 *   ALLOC=<file>       then one more run under the sampling heap profiler, written to <file> (.heapprofile);
 *                      ALLOC_MINOR=0 leaves out what minor GCs collected (what remains was promoted or kept)
 *   HEAP_EVERY=500000  (with node --expose-gc) each run in steps of this many ticks, printing the heap after a full GC
 *                      at each step: memory must stay flat however many orders pass
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { resolveConfig, type EngineConfigInput } from '../engine/config/config.js';
import { loadInstruments } from '../engine/config/load.js';
import { readChunks } from '../engine/data/recording/index.js';
import { openTicks } from '../engine/data/source.js';
import { runBacktest, startBacktest, type BacktestOptions } from '../engine/kernel/backtest.js';
import { loadStrategies } from '../engine/kernel/strategy-loader.js';
import { silentLogger } from '../engine/log/logger.js';
import { openDatabase } from '../engine/persistence/index.js';
import { writeSyntheticQuotes } from './synthetic.js';

const env = process.env;
const quotes = Number(env.QUOTES ?? 5_000_000);
const runs = Number(env.RUNS ?? 3);
const use = process.argv[2] ?? 'bench/ema-cross.ts';
const file = join(tmpdir(), `engine-profile-${quotes}.tkr`);
const start = Date.UTC(2024, 0, 1); // bench/synthetic.ts: the first quote's time, 100 ms apart
if (!existsSync(file)) writeSyntheticQuotes(file, quotes);
const to = env.HEAVY ? start + Number(env.HEAVY) * 100 : undefined;
const dir = mkdtempSync(join(tmpdir(), 'engine-profile-'));

const input: EngineConfigInput = { instruments: 'data/instruments.json', strategies: [{ use, ...(env.PARAMS ? { params: JSON.parse(env.PARAMS) } : {}) }] };
if (env.MAX_BATCH) input.storage = { maxBatch: Number(env.MAX_BATCH) };
if (env.RETENTION) input.retention = { closedOrders: Number(env.RETENTION), minAgeMs: 0 };
const config = resolveConfig(input);
const definitions = await loadStrategies([use]);
const instruments = loadInstruments(config);
let k = 0;
const run = (): { ticks: number; fills: number; seconds: number } => {
  const db = openDatabase(env.DB === 'file' ? join(dir, `run-${k++}.db`) : ':memory:');
  const t0 = performance.now();
  const options: BacktestOptions = {
    config, definitions, instruments, db, log: silentLogger(), ticks: openTicks([{ file }], { to, decodeThread: env.DECODE_THREAD !== '0' }),
  };
  const { summary } = env.HEAP_EVERY ? steppedWithHeap(options, Number(env.HEAP_EVERY)) : runBacktest(options);
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  return { ticks: summary.ticks, fills: summary.fills, seconds };
};

/** The run in steps, the heap after a full GC printed after each (needs --expose-gc). */
function steppedWithHeap(options: BacktestOptions, every: number): ReturnType<typeof runBacktest> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('HEAP_EVERY needs node --expose-gc');
  const mib = (n: number): string => (n / 2 ** 20).toFixed(1);
  const replay = startBacktest(options);
  let ticks = 0;
  for (let more = true; more; ) {
    more = replay.step(every);
    ticks += every;
    gc();
    const m = process.memoryUsage();
    console.log(`  ${Math.min(ticks, replay.node.stats.ticks).toLocaleString('en-US')} ticks: heap after GC ${mib(m.heapUsed)} MiB, rss ${mib(m.rss)} MiB`);
  }
  return replay.finish();
}

try {
  const t0 = performance.now();
  let decoded = 0;
  for (const { chunk } of readChunks(file)) decoded += chunk.ticks;
  console.log(`raw decode ${Math.round(decoded / ((performance.now() - t0) / 1000)).toLocaleString('en-US')} quotes/s`);
  for (let i = 0; i < runs; i++) {
    const r = run();
    console.log(`${use} ${r.ticks.toLocaleString('en-US')} ticks ${Math.round(r.ticks / r.seconds).toLocaleString('en-US')} ticks/s, ${r.fills.toLocaleString('en-US')} fills`);
  }
  if (env.ALLOC) {
    const { Session } = await import('node:inspector/promises');
    const session = new Session();
    session.connect();
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: env.ALLOC_MINOR !== '0',
    } as never);
    run();
    const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: unknown };
    writeFileSync(env.ALLOC, JSON.stringify(profile));
    console.log(`heap profile of one run written to ${env.ALLOC}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
