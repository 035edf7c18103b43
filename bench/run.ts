/**
 * `npm run bench`: replay rates on the sample day of EUR/USD quotes (58k ticks), in one process, medians of 5 runs.
 * - decode: CSV → Tick objects only
 * - typical: full backtest with sma-cross (a decision every tick, few orders), in-memory database
 * - order-heavy: every tick → IOC order → fill, everything persisted to a file database (WAL, synchronous=FULL)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { resolveConfig } from '../engine/config/config.js';
import { loadInstruments } from '../engine/config/load.js';
import { readCsvTicks } from '../engine/data/csv-ticks.js';
import { runBacktest } from '../engine/kernel/backtest.js';
import { loadStrategies } from '../engine/kernel/strategy-loader.js';
import { silentLogger } from '../engine/log/logger.js';
import type { Tick } from '../engine/model/tick.js';
import { openDatabase } from '../engine/persistence/index.js';

const DATA = 'data/sample/eurusd-fxcm-20140505.quotes.csv.gz';
const RUNS = 5;
const ticks: Tick[] = [...readCsvTicks(DATA, 'EURUSD.FXCM')];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rate = (n: number, ms: number): string => `${Math.round(n / (ms / 1000)).toLocaleString('en-US')} ticks/s`;

function time(work: () => number): { ms: number; n: number } {
  const ms: number[] = [];
  let n = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    n = work();
    ms.push(performance.now() - t0);
  }
  return { ms: median(ms), n };
}

async function backtestRate(use: string, dbPath: () => string): Promise<{ ms: number; n: number; fills: number }> {
  const config = resolveConfig({ instruments: 'data/instruments.json', strategies: [{ use }] });
  const definitions = await loadStrategies([use]);
  const instruments = loadInstruments(config);
  let fills = 0;
  const r = time(() => {
    const db = openDatabase(dbPath());
    const { summary } = runBacktest({ config, definitions, instruments, db, log: silentLogger(), ticks });
    db.close();
    fills = summary.fills;
    return summary.ticks;
  });
  return { ...r, fills };
}

const decode = time(() => {
  let n = 0;
  for (const _ of readCsvTicks(DATA, 'EURUSD.FXCM')) n++;
  return n;
});
const typical = await backtestRate('sma-cross', () => ':memory:');
const dir = mkdtempSync(join(tmpdir(), 'engine-bench-'));
let k = 0;
const heavy = await backtestRate('bench/every-tick.ts', () => join(dir, `heavy-${k++}.db`));
rmSync(dir, { recursive: true, force: true });

console.log(`node ${process.version}, ${ticks.length.toLocaleString('en-US')} quotes, median of ${RUNS} runs`);
console.log(`decode (CSV.gz → ticks)          ${rate(decode.n, decode.ms)}`);
console.log(`backtest typical (sma-cross)     ${rate(typical.n, typical.ms)}  (${(100 * decode.ms / typical.ms).toFixed(0)} % of decode rate)`);
console.log(`backtest order-heavy (persisted) ${rate(heavy.n, heavy.ms)}  (${heavy.fills.toLocaleString('en-US')} fills)`);
