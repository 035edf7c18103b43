/**
 * A trading node as the kernel builds it (createTradingNode), on an in-memory database and a simulated clock, with
 * terse helpers to feed ticks at engine times and read back what was persisted.
 */
import type { Logger } from 'pino';
import { createSimulatedClock, type SimulatedClock } from '../../engine/clock/simulated-clock.js';
import { resolveConfig, type EngineConfigInput } from '../../engine/config/config.js';
import { createTradingNode, type TradingNode } from '../../engine/kernel/trading-node.js';
import { createLogger, silentLogger } from '../../engine/log/logger.js';
import type { OrderEvent } from '../../engine/model/events.js';
import { defineInstrument } from '../../engine/model/instrument.js';
import { loadEvents, openDatabase, type Database } from '../../engine/persistence/index.js';
import type { StrategyDefinition } from '../../engine/strategy/define-strategy.js';

export const BTC = defineInstrument({
  id: 'BTCUSD.SIM', venue: 'SIM', venueSymbol: 'BTCUSD', base: 'BTC', quote: 'USD', tickSize: 0.1, stepSize: 0.001,
});
export const ETH = defineInstrument({
  id: 'ETHUSD.SIM', venue: 'SIM', venueSymbol: 'ETHUSD', base: 'ETH', quote: 'USD', tickSize: 0.01, stepSize: 0.01,
});

export const START = 10_000;

export interface NodeOptions {
  /** Strategy definitions by `use` name; each is run once with id = its name unless `entries` says otherwise. */
  readonly definitions: Record<string, StrategyDefinition>;
  readonly entries?: EngineConfigInput['strategies'];
  readonly mode?: 'backtest' | 'paper';
  readonly portfolio?: string;
  readonly db?: Database;
  readonly log?: Logger;
  readonly latencyMs?: number;
  readonly risk?: EngineConfigInput['risk'];
}

export interface NodeFixture {
  readonly node: TradingNode;
  readonly clock: SimulatedClock;
  readonly db: Database;
  /** Moves engine time to t (timers fire on the way) and feeds a quote. */
  quote(t: number, bid: number, ask: number, instrumentId?: string): void;
  /** Flushes the writer and returns this run's persisted events. */
  events(): OrderEvent[];
  /** Persisted events of one order, as kinds. */
  kinds(clientOrderId: string): string[];
}

export function createNode(opts: NodeOptions): NodeFixture {
  const db = opts.db ?? openDatabase(':memory:');
  const config = resolveConfig({
    mode: opts.mode ?? 'backtest',
    ...(opts.portfolio !== undefined ? { portfolio: opts.portfolio } : {}),
    strategies: opts.entries ?? Object.keys(opts.definitions).map((use) => ({ use })),
    sim: { latencyMs: opts.latencyMs ?? 0 },
    ...(opts.risk !== undefined ? { risk: opts.risk } : {}),
    storage: { path: ':memory:' },
  });
  let clock: SimulatedClock | undefined;
  const node = createTradingNode({
    config,
    definitions: new Map(Object.entries(opts.definitions)),
    instruments: [BTC, ETH],
    db,
    log: opts.log ?? silentLogger(),
    clock: (runner) => (clock = createSimulatedClock({ start: START, runner })),
  });
  const sim = clock!;
  const events = (): OrderEvent[] => {
    node.writer.flush();
    return loadEvents(db, node.runId).map((e) => e.event);
  };
  return {
    node,
    clock: sim,
    db,
    quote(t, bid, ask, instrumentId = BTC.id) {
      sim.advanceTo(t);
      node.onTick({ kind: 'quote', instrumentId, tsEvent: t, tsInit: t, bid, ask });
    },
    events,
    kinds: (id) => events().filter((e) => e.clientOrderId === id).map((e) => e.kind),
  };
}

export type LogLine = Record<string, unknown> & { level: number; msg: string };

/** A pino logger that keeps every line, parsed. */
export function capturingLogger(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = createLogger({ level: 'debug', destination: { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) } });
  return { log, lines };
}
