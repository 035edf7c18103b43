/** Everything a backtest needs, resolved from the command line and the config: shared by single runs and sweep workers. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, type EngineConfig } from '../config/config.js';
import { loadConfigFile, loadInstruments } from '../config/load.js';
import { recordingInfo } from '../data/recording/index.js';
import { readInstrumentSidecar } from '../data/instrument-sidecar.js';
import { expandData, instrumentsOf, isRecordingFile, openTicks, type DataSpec } from '../data/source.js';
import type { ReplayExtent } from '../control/backtest-snapshot.js';
import { loadStrategies } from '../kernel/strategy-loader.js';
import { defineInstrument, type Instrument, type InstrumentSpec } from '../model/instrument.js';
import type { Tick } from '../model/tick.js';
import type { StrategyDefinition } from '../strategy/define-strategy.js';
import { mergeParams } from '../strategy/params.js';
import { parseTime } from './cli-options.js';

export interface BacktestArgs {
  config: string;
  strategy?: string;
  params?: string;
  data?: string[];
  db?: string;
  from?: string;
  to?: string;
  json?: boolean;
  /** Also write the HTML report of the run here. */
  html?: string;
  /** Serve the read-only control plane: true on the config's control port, or this port (0: any free one). */
  control?: number | true;
  /** Instruments declared on the command line: `ID,tick=0.01,step=1[,base=…,quote=…,takerFee=…]` (parseInstrumentArg). */
  instrument?: string[];
}

export interface PreparedBacktest {
  readonly config: EngineConfig;
  readonly instruments: readonly Instrument[];
  readonly definitions: ReadonlyMap<string, StrategyDefinition>;
  /** How much there is to replay, as far as is known without reading the data (progress and ETA). */
  readonly extent: ReplayExtent;
  /** A fresh pass over the data (each run replays from the start). */
  ticks(): Iterable<Tick>;
}

const toMs = (x: string | number | undefined, name: string): number | undefined => {
  if (x === undefined) return undefined;
  if (typeof x === 'number') return x;
  const ms = parseTime(x);
  if (ms === undefined) throw new ConfigError([`${name}: not a date: ${JSON.stringify(x)} (an ISO date or epoch milliseconds)`]);
  return ms;
};

/** `--data FILE|GLOB` (a recording) or `--data INSTRUMENT=FILE` (a CSV file). */
function parseDataArg(arg: string): DataSpec {
  const eq = arg.indexOf('=');
  return eq > 0 ? { instrument: arg.slice(0, eq), file: arg.slice(eq + 1) } : { file: arg };
}

export function parseParams(json: string | undefined): Record<string, unknown> | undefined {
  if (json === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(json);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('expected an object like {"fast": 10}');
    return v as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError([`--params is not a JSON object: ${(e as Error).message}`]);
  }
}

/** The config with the command line applied: strategy, params, data, db. */
export async function resolveBacktestConfig(args: BacktestArgs, extraParams?: Record<string, unknown>): Promise<EngineConfig> {
  const file = await loadConfigFile(args.config, { mode: 'backtest' });
  const params = { ...parseParams(args.params), ...extraParams };
  let strategies = args.strategy ? [{ use: args.strategy, params }] : file.strategies.map((s) => ({ ...s }));
  if (!args.strategy && Object.keys(params).length > 0) {
    if (strategies.length !== 1) throw new ConfigError(['--params and --sweep need --strategy when the config has several strategies']);
    strategies = [{ ...strategies[0]!, params: { ...strategies[0]!.params, ...params } }];
  }
  const data = args.data?.length ? args.data.map(parseDataArg) : file.backtest.data;
  if (data.length === 0) throw new ConfigError(['no data: set backtest.data in the config or pass --data INSTRUMENT=FILE']);
  return {
    ...file,
    strategies,
    backtest: { ...file.backtest, data, from: args.from ?? file.backtest.from, to: args.to ?? file.backtest.to },
    storage: { ...file.storage, path: args.db ?? file.storage.path },
  } as EngineConfig;
}

export async function prepareBacktest(config: EngineConfig, declared: readonly string[] = []): Promise<PreparedBacktest> {
  const data = expandData(config.backtest.data);
  // instruments declared on the command line, then those recorded beside a recording (engine record), complete the
  // configured ones
  const instruments = loadInstruments(config);
  const ids = new Set(instruments.map((i) => i.id));
  for (const spec of [...declared.map(parseInstrumentArg), ...data.flatMap((d) => readInstrumentSidecar(d.file))]) {
    if (ids.has(spec.id)) continue;
    ids.add(spec.id);
    instruments.push(defineInstrument(spec));
  }
  const known = new Set(instruments.map((i) => i.id));
  const unknown = data.flatMap((d) => instrumentsOf(d, (f) => recordingInfo(f).instruments).filter((id) => !known.has(id)).map((id) =>
    `data ${d.file}: instrument ${id} is not among the configured instruments (${[...known].join(', ')}): declare it in the ` +
    `config's instruments (${typeof config.instruments === 'string' ? config.instruments : 'the list'}) or on the command line, ` +
    `e.g. --instrument ${id},tick=0.01,step=1`));
  if (unknown.length > 0) throw new ConfigError(unknown);
  const from = toMs(config.backtest.from, 'backtest.from (--from)');
  const to = toMs(config.backtest.to, 'backtest.to (--to)');
  const definitions = await loadStrategies(config.strategies.map((s) => s.use));
  checkParams(config, definitions);
  if (config.storage.path !== ':memory:') mkdirSync(dirname(config.storage.path), { recursive: true });
  return {
    config,
    instruments,
    definitions,
    extent: extentOf(data, from, to),
    ticks: () => openTicks(data, { from, to, onWarning: (m) => process.emitWarning(m), decodeThread: config.backtest.decodeThread }),
  };
}

/**
 * Each strategy's params against its declared defaults, as the node will merge them: a wrong name or type is refused
 * here, before a run is created (the node checks again when it starts, after the run row exists).
 */
export function checkParams(config: Pick<EngineConfig, 'strategies'>, definitions: ReadonlyMap<string, StrategyDefinition>): void {
  const problems = config.strategies.flatMap((s, i) => {
    try {
      mergeParams(definitions.get(s.use)?.params ?? {}, s.params as Record<string, unknown>, `strategies[${i}].params`);
      return [];
    } catch (e) {
      return e instanceof ConfigError ? e.problems : [(e as Error).message];
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
}

/**
 * Recordings say how many ticks they hold and their span (chunk headers only); CSV files are not read ahead. With the
 * whole of every file replayed, progress goes by ticks; cut by --from/--to, by engine time within the known span.
 */
function extentOf(data: readonly DataSpec[], from: number | undefined, to: number | undefined): ReplayExtent {
  const known = data.every((d) => isRecordingFile(d.file));
  if (!known) return from !== undefined && to !== undefined ? { from, to } : {};
  let ticks = 0, first = Infinity, last = -Infinity;
  for (const d of data) {
    const info = recordingInfo(d.file);
    ticks += info.ticks;
    if (info.from !== undefined) first = Math.min(first, info.from);
    if (info.to !== undefined) last = Math.max(last, info.to);
  }
  if (from === undefined && to === undefined) return { ticks };
  const span = { from: Math.max(from ?? first, first), to: Math.min(to ?? last + 1, last + 1) };
  return span.to > span.from ? span : {};
}

const INSTRUMENT_NUMBERS = ['tick', 'step', 'minQty', 'maxQty', 'minNotional', 'maxNotional', 'makerFee', 'takerFee', 'contractSize'] as const;

/**
 * `--instrument ID,tick=0.01,step=1[,base=EUR,quote=USD,symbol=EUR/USD,takerFee=0.0002,…]`: an instrument for this run.
 * The venue is the part of the id after its last dot; the symbol and base default to the part before it, the quote
 * to USD. A bad spec is a ConfigError saying what is missing or wrong.
 */
export function parseInstrumentArg(arg: string): InstrumentSpec {
  const [id = '', ...pairs] = arg.split(',').map((s) => s.trim());
  const dot = id.lastIndexOf('.');
  const problems: string[] = [];
  if (dot <= 0 || dot === id.length - 1) problems.push(`--instrument ${arg}: the id must be SYMBOL.VENUE, e.g. NZDUSD.OANDA`);
  const values = new Map<string, string>();
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) problems.push(`--instrument ${arg}: ${JSON.stringify(p)} is not key=value`);
    else values.set(p.slice(0, eq), p.slice(eq + 1));
  }
  const known = new Set<string>([...INSTRUMENT_NUMBERS, 'base', 'quote', 'symbol']);
  for (const k of values.keys()) if (!known.has(k)) problems.push(`--instrument ${arg}: unknown key ${k} (${[...known].join(', ')})`);
  const num = (k: string): number | undefined => {
    const v = values.get(k);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v === '' || !Number.isFinite(n) || n < 0) problems.push(`--instrument ${arg}: ${k}=${v} is not a number of 0 or more`);
    return n;
  };
  for (const k of ['tick', 'step']) if (!values.has(k)) problems.push(`--instrument ${arg}: ${k}= is required (the price tick and quantity step)`);
  const n = Object.fromEntries(INSTRUMENT_NUMBERS.map((k) => [k, num(k)]));
  if (problems.length > 0) throw new ConfigError(problems);
  const symbol = id.slice(0, dot);
  const optional = Object.fromEntries(
    (['minQty', 'maxQty', 'minNotional', 'maxNotional', 'makerFee', 'takerFee', 'contractSize'] as const).filter((k) => n[k] !== undefined).map((k) => [k, n[k]]),
  );
  return {
    id, venue: id.slice(dot + 1), venueSymbol: values.get('symbol') ?? symbol, base: values.get('base') ?? symbol, quote: values.get('quote') ?? 'USD',
    tickSize: n.tick!, stepSize: n.step!, ...optional,
  } as InstrumentSpec;
}
