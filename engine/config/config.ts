import type { InstrumentSpec } from '../model/instrument.js';
import type { LogLevel } from '../log/logger.js';
import {
  any, arr, bool, deepFreeze, isPlainObject, num, obj, oneOf, optional, record, section, str, union, withDefault, type Spec,
} from './schema.js';

export type Mode = 'backtest' | 'paper' | 'live';

const positive = num({ positive: true });
const nonNegative = num({ min: 0 });
const perInstrument = optional(record(positive));
const RATE = /^\s*\d+\s*\/\s*\d*\s*(ms|s|m|h)\s*$/;

const instrumentSpec = obj({
  id: str(/^[^.\s]+\.[^.\s]+$/, 'an id like SYMBOL.VENUE'),
  venue: str(),
  venueSymbol: str(),
  base: str(),
  quote: str(),
  tickSize: positive,
  stepSize: positive,
  minQty: optional(nonNegative),
  maxQty: optional(nonNegative),
  minPrice: optional(nonNegative),
  maxPrice: optional(nonNegative),
  minNotional: optional(nonNegative),
  maxNotional: optional(nonNegative),
  makerFee: optional(num({ min: -1, max: 1 })),
  takerFee: optional(num({ min: -1, max: 1 })),
  contractSize: optional(positive),
});

const strategyEntry = obj({
  /** A strategy name (a file in strategies/) or a path to a module whose default export is a strategy. */
  use: str(),
  /** Unique id; defaults to the strategy's name. */
  id: optional(str(/^[A-Za-z0-9_.]+$/, 'letters, digits, "_" or "." (no "-": it separates client order id parts)')),
  params: withDefault(record(any()), {}),
  /** Instruments whose ticks reach this strategy; all when absent. */
  instruments: optional(arr(str())),
  /** Paper/live: before live ticks, the venue's last `bars` closed bars of `periodMs` (orders are held meanwhile). */
  warmup: optional(obj({ instrument: str(), periodMs: positive, bars: num({ positive: true, integer: true, max: 10_000 }) })),
});

const riskSpec = obj({
  tradingState: withDefault(oneOf(['ACTIVE', 'REDUCING', 'HALTED'] as const), 'ACTIVE'),
  pricePolicy: withDefault(oneOf(['round', 'reject'] as const), 'round'),
  qtyPolicy: withDefault(oneOf(['truncate', 'reject'] as const), 'truncate'),
  maxOrderQty: perInstrument,
  minNotional: perInstrument,
  maxNotional: perInstrument,
  maxPositionQty: perInstrument,
  maxPositionNotional: perInstrument,
  maxOpenOrders: optional(num({ positive: true, integer: true })),
  priceBandPct: optional(positive),
  rateLimits: optional(obj({
    perVenue: optional(record(str(RATE, 'a rate like "20/1s"'))),
    perStrategy: optional(str(RATE, 'a rate like "20/1s"')),
  })),
});

const latency = union(nonNegative, obj({ submit: optional(nonNegative), cancel: optional(nonNegative), modify: optional(nonNegative) }));
const timeSpec = union(num(), str(/^\d{4}-\d{2}-\d{2}/, 'an ISO date'));

export const engineConfigSpec = obj({
  mode: withDefault(oneOf(['backtest', 'paper', 'live'] as const), 'backtest'),
  /** Positions and strategy state of paper/live runs live under this name (backtests get one per run). */
  portfolio: withDefault(str(/^[A-Za-z0-9_.:-]+$/, 'a name of letters, digits, "_", ".", ":" or "-"'), 'default'),
  /**
   * The portfolio of a paper session: its own by default (`<portfolio>-paper`), so simulated fills never sit in the
   * live portfolio's positions; name the live one here to share it on purpose.
   */
  paperPortfolio: optional(str(/^[A-Za-z0-9_.:-]+$/, 'a name of letters, digits, "_", ".", ":" or "-"')),
  instruments: withDefault(union(str(), arr(instrumentSpec)), []),
  strategies: arr(strategyEntry),
  risk: section(riskSpec),
  sim: section(obj({ latencyMs: withDefault(latency, 0) })),
  backtest: section(obj({
    /** Recordings (.tkr) and CSV files (with their instrument) to replay; globs allowed; merged by time. */
    data: withDefault(arr(obj({ file: str(), instrument: optional(str()) })), []),
    from: optional(timeSpec),
    to: optional(timeSpec),
    /** Starting capital, for return and drawdown percentages (equity = capital + PnL). */
    capital: optional(nonNegative),
    /** Decode recordings of a million ticks or more on a second thread, ahead of the replay (the same ticks either way). */
    decodeThread: withDefault(bool(), true),
  })),
  report: section(obj({
    /** Equity curve sample interval, engine time. */
    equityIntervalMs: withDefault(positive, 60_000),
    /** Returns for Sharpe, Sortino, Calmar and CAGR: the equity at the end of each UTC day (or hour), period over period. */
    returnsPeriod: withDefault(oneOf(['day', 'hour'] as const), 'day'),
  })),
  /**
   * Venue adapters for paper, live and record: `{ apifiny: { adapter: 'apifiny', options: {...} } }`. `adapter` is a
   * folder in adapters/ (or a path); options are checked by the adapter. Secrets never go here: adapters read them
   * from environment variables.
   */
  venues: withDefault(record(obj({ adapter: str(), options: withDefault(record(any()), {}) })), {}),
  storage: section(obj({
    path: withDefault(str(), 'data/engine.db'),
    /** Events per transaction. Default: 100 for paper/live (plus the interval), 10,000 for backtests (flushed at the end). */
    maxBatch: optional(num({ positive: true, integer: true })),
    flushIntervalMs: withDefault(nonNegative, 5),
    /**
     * Where a backtest's order events go: `journal` (compressed chunks in event_journal, read with `engine events`)
     * or `rows` (one events row each, as paper and live always write them). Orders, fills and positions are rows
     * either way.
     */
    backtestEvents: withDefault(oneOf(['journal', 'rows'] as const), 'journal'),
    /**
     * A backtest with a journal and a database file writes it from a thread of its own (persistence/thread-writer.ts):
     * SQLite runs beside the engine on a second core. false keeps it on the engine's thread (what sweeps' workers do).
     */
    writerThread: withDefault(bool(), true),
  })),
  /**
   * Closed orders (and the simulated venue's closed orders and fills) kept in memory: the newest `closedOrders`, and
   * any closed less than `minAgeMs` of engine time ago. Older ones are read back from the database when a venue event,
   * reconciliation or a strategy's `order(id)` names them, so memory stays flat over a long backtest or live session.
   */
  retention: section(obj({
    closedOrders: withDefault(num({ positive: true, integer: true }), 10_000),
    minAgeMs: withDefault(nonNegative, 60_000),
  })),
  /**
   * Live recovery (DESIGN.md "Reliability rules"): reconciliation after every (re)connect and continuous in-flight
   * checks. See the README's live section.
   */
  live: section(obj({
    /**
     * Fills are asked for from the durable fill mark less this: it must exceed the venue's clock skew plus the longest
     * time a dead stream can go unnoticed (the adapters' idle timeouts, 30–75 s).
     */
    reconcileMarginMs: withDefault(nonNegative, 300_000),
    /** A failed reconciliation is retried after this, doubling up to retryMaxMs (new orders stay held meanwhile). */
    retryInitialMs: withDefault(positive, 500),
    retryMaxMs: withDefault(positive, 15_000),
    /** An order whose submit, cancel or modify outcome is unknown for this long is asked about at the venue. */
    inFlightTimeoutMs: withDefault(positive, 3_000),
    inFlightCheckIntervalMs: withDefault(positive, 1_000),
    /** After this many checks without a final answer the order is flagged to the operator (checks go on). */
    inFlightMaxChecks: withDefault(num({ positive: true, integer: true }), 5),
    /** An order the venue says it never received is taken as not placed once it is this old (> the request timeout). */
    neverReceivedAfterMs: withDefault(positive, 10_000),
    /** How often the fill mark is stored while a venue is in sync. */
    fillMarkIntervalMs: withDefault(positive, 5_000),
    /**
     * Positions that differ from the venue's (where it reports them): halt trading (the session starts HALTED), only
     * warn, or take the venue's as the truth (an adjusting fill at the venue's average price or the last mark).
     */
    onPositionMismatch: withDefault(oneOf(['halt', 'warn', 'venue'] as const), 'halt'),
  })),
  /**
   * The control plane of paper and live sessions (engine/control/API.md): status, the dashboard at `/`, and controls
   * (trading state, cancel, stop a strategy, flatten). The token comes from ENGINE_CONTROL_TOKEN; a host that is not
   * loopback needs one. Port 0 takes a free port (printed at start).
   */
  control: section(obj({
    enabled: withDefault(bool(), true),
    host: withDefault(str(), '127.0.0.1'),
    port: withDefault(num({ min: 0, max: 65_535, integer: true }), 8420),
    /** A paper/live session on a terminal prints a status line this often (0: never). */
    statusLineMs: withDefault(nonNegative, 5_000),
  })),
  log: section(obj({
    /** No default here: the verb's (info for paper, live and record, warn for backtests); --log-level and LOG_LEVEL win. */
    level: optional(oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const)),
    file: optional(str()),
  })),
  summary: section(obj({ json: withDefault(bool(), false) })),
});

type SpecOf<S> = S extends Spec<infer T> ? T : never;
type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

/** The resolved config: defaults applied, validated, frozen. */
export type EngineConfig = DeepReadonly<SpecOf<typeof engineConfigSpec>>;
export type StrategyEntry = EngineConfig['strategies'][number];
export type RiskConfig = EngineConfig['risk'];

/** What a user writes in engine.config.ts. */
export interface EngineConfigInput {
  mode?: Mode;
  portfolio?: string;
  paperPortfolio?: string;
  instruments?: string | InstrumentSpec[];
  strategies: Array<{
    use: string;
    id?: string;
    params?: Record<string, unknown>;
    instruments?: string[];
    warmup?: { instrument: string; periodMs: number; bars: number };
  }>;
  risk?: Partial<{
    tradingState: 'ACTIVE' | 'REDUCING' | 'HALTED';
    pricePolicy: 'round' | 'reject';
    qtyPolicy: 'truncate' | 'reject';
    maxOrderQty: Record<string, number>;
    minNotional: Record<string, number>;
    maxNotional: Record<string, number>;
    maxPositionQty: Record<string, number>;
    maxPositionNotional: Record<string, number>;
    maxOpenOrders: number;
    priceBandPct: number;
    rateLimits: { perVenue?: Record<string, string>; perStrategy?: string };
  }>;
  sim?: { latencyMs?: number | { submit?: number; cancel?: number; modify?: number } };
  backtest?: { data?: Array<{ file: string; instrument?: string }>; from?: string | number; to?: string | number; capital?: number; decodeThread?: boolean };
  report?: { equityIntervalMs?: number; returnsPeriod?: 'day' | 'hour' };
  venues?: Record<string, { adapter: string; options?: Record<string, unknown> }>;
  storage?: { path?: string; maxBatch?: number; flushIntervalMs?: number; backtestEvents?: 'journal' | 'rows'; writerThread?: boolean };
  retention?: { closedOrders?: number; minAgeMs?: number };
  control?: { enabled?: boolean; host?: string; port?: number; statusLineMs?: number };
  live?: Partial<{
    reconcileMarginMs: number;
    retryInitialMs: number;
    retryMaxMs: number;
    inFlightTimeoutMs: number;
    inFlightCheckIntervalMs: number;
    inFlightMaxChecks: number;
    neverReceivedAfterMs: number;
    fillMarkIntervalMs: number;
    onPositionMismatch: 'halt' | 'warn' | 'venue';
  }>;
  log?: { level?: LogLevel; file?: string };
  summary?: { json?: boolean };
}

/** Identity with types: `export default defineConfig({ ... })` in engine.config.ts. */
export const defineConfig = (config: EngineConfigInput): EngineConfigInput => config;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[], source = 'config') {
    super(`${source} is not valid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Applies defaults once, rejects unknown keys and wrong types (every problem, each with its key path), freezes. */
export function resolveConfig(input: unknown, overrides: Partial<EngineConfigInput> = {}, source = 'config'): EngineConfig {
  const problems: string[] = [];
  const merged = isPlainObject(input) ? { ...input, ...stripUndefined(overrides) } : input;
  const out = engineConfigSpec.parse(merged, '', { add: (p, m) => problems.push(`${p || '(root)'}: ${m}`) });
  if (out && problems.length === 0) {
    const ids = new Set<string>();
    out.strategies.forEach((s, i) => {
      const id = s.id ?? s.use;
      if (ids.has(id)) problems.push(`strategies[${i}].id: "${id}" is used twice; give each strategy a unique id`);
      ids.add(id);
    });
  }
  if (problems.length > 0 || !out) throw new ConfigError(problems, source);
  return deepFreeze(out) as EngineConfig;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The portfolio a paper or live session trades in (its orders, fills and positions, recovered across runs): live
 * `portfolio`; paper `paperPortfolio`, by default `<portfolio>-paper`. A backtest has a portfolio of its own per run.
 */
export function sessionPortfolio(config: EngineConfig): string {
  return config.mode === 'paper' ? config.paperPortfolio ?? `${config.portfolio}-paper` : config.portfolio;
}
