import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ConfigError, type EngineConfig } from '../config/config.js';
import { loadConfigFile, loadInstruments } from '../config/load.js';
import { readCsvTicks } from '../data/csv-ticks.js';
import { between, mergeTicks } from '../data/merge.js';
import { runBacktest } from '../kernel/backtest.js';
import { loadStrategies } from '../kernel/strategy-loader.js';
import { createLogger } from '../log/logger.js';
import { openDatabase } from '../persistence/index.js';
import { formatSummary } from './format-summary.js';

export interface BacktestArgs {
  config: string;
  strategy?: string;
  params?: string;
  data?: string[];
  db?: string;
  from?: string;
  to?: string;
  json?: boolean;
}

const toMs = (x: string | number | undefined): number | undefined => {
  if (x === undefined) return undefined;
  if (typeof x === 'number') return x;
  const ms = Date.parse(x);
  if (Number.isNaN(ms)) throw new ConfigError([`not a date: ${JSON.stringify(x)}`]);
  return ms;
};

function parseDataArg(arg: string): { instrument: string; file: string } {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new ConfigError([`--data ${arg}: write INSTRUMENT=FILE, e.g. EURUSD.FXCM=data/sample/eurusd.csv.gz`]);
  return { instrument: arg.slice(0, eq), file: arg.slice(eq + 1) };
}

/** `engine backtest`: returns the process exit code (0 ok, 1 the run failed, 2 bad config or data). */
export async function backtestCommand(args: BacktestArgs, out: (s: string) => void): Promise<number> {
  let params: Record<string, unknown> | undefined;
  if (args.params !== undefined) {
    try {
      params = JSON.parse(args.params) as Record<string, unknown>;
    } catch (e) {
      throw new ConfigError([`--params is not JSON: ${(e as Error).message}`]);
    }
  }
  const file = await loadConfigFile(args.config, {
    mode: 'backtest',
    ...(args.db ? { storage: undefined } : {}),
  });
  const overrides = {
    strategies: args.strategy ? [{ use: args.strategy, params: params ?? {} }] : file.strategies,
    data: args.data?.length ? args.data.map(parseDataArg) : file.backtest.data,
  };
  if (!args.strategy && params) {
    if (overrides.strategies.length !== 1) throw new ConfigError(['--params needs --strategy when the config has several strategies']);
    overrides.strategies = [{ ...overrides.strategies[0]!, params: { ...overrides.strategies[0]!.params, ...params } }];
  }
  const config: EngineConfig = {
    ...file,
    strategies: overrides.strategies,
    backtest: { ...file.backtest, data: overrides.data },
    storage: { ...file.storage, path: args.db ?? file.storage.path },
  } as EngineConfig;
  if (config.backtest.data.length === 0) throw new ConfigError(['no data: set backtest.data in the config or pass --data INSTRUMENT=FILE']);

  const instruments = loadInstruments(config);
  const known = new Set(instruments.map((i) => i.id));
  for (const d of config.backtest.data) {
    if (!known.has(d.instrument)) throw new ConfigError([`data ${d.file}: instrument ${d.instrument} is not among the configured instruments (${[...known].join(', ')})`]);
  }
  const definitions = await loadStrategies(config.strategies.map((s) => s.use));
  const log = createLogger({ level: config.log.level });
  if (config.storage.path !== ':memory:') mkdirSync(dirname(config.storage.path), { recursive: true });
  const db = openDatabase(config.storage.path);
  const from = toMs(args.from ?? config.backtest.from);
  const to = toMs(args.to ?? config.backtest.to);
  const ticks = between(mergeTicks(config.backtest.data.map((d) => readCsvTicks(d.file, d.instrument))), from, to);

  const started = performance.now();
  try {
    const { summary } = runBacktest({ config, definitions, instruments, db, log, ticks });
    const elapsedMs = performance.now() - started;
    out(args.json || config.summary.json
      ? JSON.stringify({ ...summary, elapsedMs, ticksPerSecond: Math.round(summary.ticks / (elapsedMs / 1000)), db: config.storage.path }, null, 2)
      : formatSummary(summary, { elapsedMs, db: config.storage.path }));
    return summary.strategyFailures.length > 0 || summary.positionsVerified !== true ? 1 : 0;
  } finally {
    db.close();
  }
}
