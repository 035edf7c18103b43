/**
 * Builds the engine graph: market cache → strategies → risk → execution → venue clients, with every event persisted
 * by the group-committing writer. The mode decides only two things, both here: where fills come from (the simulated
 * venue in backtest and paper, the venue adapter's client in live) and where positions start (fresh per backtest run,
 * carried over from the database for paper and live).
 */
import { isMainThread } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Clock, Runner } from '../clock/clock.js';
import { ConfigError, sessionPortfolio, type EngineConfig, type Mode } from '../config/config.js';
import { createExecutionEngine, type ExecutionEngine } from '../execution/execution-engine.js';
import type { ExecutionClient } from '../execution/venue-client.js';
import { redactSecrets } from '../log/logger.js';
import type { OrderEvent } from '../model/events.js';
import type { InstrumentId, VenueId } from '../model/ids.js';
import type { Instrument } from '../model/instrument.js';
import type { Position } from '../model/position.js';
import type { Tick } from '../model/tick.js';
import {
  createEventWriter, createRun, rebuildPositions, loadFills, loadOpenOrders, loadPositions, loadStrategyState, maxClientOrderCounter, rewriteResiduePositions,
  createThreadEventWriter, storedOrderReader, verifyPositions,
  type Database, type EventWriter, type RebuiltPositions,
} from '../persistence/index.js';
import { equityOf } from '../portfolio/equity.js';
import { createPortfolio, type Portfolio } from '../portfolio/portfolio.js';
import { createRiskEngine, type RiskEngine, type TradingState } from '../risk/index.js';
import { createSimVenue, type SimVenue } from '../sim/index.js';
import type { StrategyDefinition } from '../strategy/define-strategy.js';
import { createStrategyHost, type StrategyHost, type StrategySpec } from '../strategy/host.js';
import { createMarketCache, type MarketCache } from '../strategy/market-cache.js';
import { mergeParams } from '../strategy/params.js';
import { installRxErrorRouting } from '../strategy/rx-errors.js';
import { createDispatcher, type Dispatcher } from './dispatcher.js';
import { createRunStats, type RunStats } from './run-stats.js';

export interface TradingNodeOptions {
  readonly config: EngineConfig;
  /** Strategy definitions by the name config uses (`strategies[].use`): the kernel never imports strategies/. */
  readonly definitions: ReadonlyMap<string, StrategyDefinition>;
  readonly instruments: readonly Instrument[];
  readonly db: Database;
  readonly log: Logger;
  /** The engine clock, built around the node's dispatcher (so timers run as dispatched work). */
  readonly clock: (runner: Runner) => Clock;
  /** Live mode: the venue adapters' execution clients, by venue. */
  readonly executionClients?: ReadonlyMap<VenueId, ExecutionClient>;
}

export interface TradingNode {
  readonly runId: number;
  readonly portfolioId: string;
  readonly mode: Mode;
  readonly clock: Clock;
  readonly portfolio: Portfolio;
  readonly exec: ExecutionEngine;
  readonly risk: RiskEngine;
  readonly host: StrategyHost;
  readonly market: MarketCache;
  readonly writer: EventWriter;
  readonly stats: RunStats;
  instrument(id: InstrumentId): Instrument | undefined;
  instruments(): readonly Instrument[];
  start(): void;
  /** A tick from replay or a live feed. */
  onTick(tick: Tick): void;
  setTradingState(state: TradingState, reason?: string): void;
  /** Stores an equity sample now (the node also samples every report.equityIntervalMs of engine time). */
  sampleEquity(): void;
  /**
   * Watches what the node publishes: every order event (after it is stored and delivered) and every trading state
   * change. For the control plane; a watcher must be quick and must not throw. Returns the way to stop watching.
   */
  watch(watcher: NodeWatcher): () => void;
  /** Runs engine work on the node's dispatcher (never nested inside other engine or strategy work). */
  dispatch(work: () => void): void;
  /** Stops strategies (their open orders are canceled); the caller lets the venue answer, then calls close. */
  stopStrategies(reason: string): void;
  /** Flushes and closes the writer. */
  close(): void;
}

export interface NodeWatcher {
  readonly onEvent?: (event: OrderEvent) => void;
  readonly onTradingState?: (state: TradingState, reason: string) => void;
}

/** Paper/live carry positions over: they must equal the positions rebuilt from the stored fills, or the node refuses to start. */
function storedPositions(db: Database, portfolioId: string, contractSizeOf: (id: InstrumentId) => number, log: Logger): RebuiltPositions & { stored: Position[] } {
  const rewritten = rewriteResiduePositions(db, portfolioId, contractSizeOf);
  if (rewritten.length > 0) {
    log.warn({ portfolioId, instruments: rewritten }, 'positions rewritten from their fills: they differed only by the rounding residue an older engine version left');
  }
  const rebuilt = rebuildPositions(db, portfolioId, contractSizeOf);
  const verified = verifyPositions(db, portfolioId, contractSizeOf, rebuilt.byInstrument);
  if (!verified.ok) {
    throw new Error(`stored positions of portfolio "${portfolioId}" do not match its stored fills; fix or move the database before trading:\n  ${verified.error.join('\n  ')}`);
  }
  return { stored: [...loadPositions(db, portfolioId).values()], byInstrument: rebuilt.byInstrument, byStrategy: rebuilt.byStrategy };
}

export function createTradingNode(opts: TradingNodeOptions): TradingNode {
  const { config, db, log } = opts;
  const mode = config.mode;
  // the event log commits after a dispatch is done, never between a decision and its send
  const dispatcher: Dispatcher = createDispatcher(log, () => writer.flushIfDue());
  installRxErrorRouting((err) => log.error({ err }, 'an RxJS subscription outside any strategy threw; ignored'));
  const clock = opts.clock((work) => dispatcher.post(work));
  const instruments = new Map<InstrumentId, Instrument>(opts.instruments.map((i) => [i.id, i]));
  const contractSizeOf = (id: InstrumentId): number => instruments.get(id)?.contractSize ?? 1;

  // paper and live keep one portfolio across runs; a backtest run has its own
  const runId = createRun(db, {
    mode, portfolioId: mode === 'backtest' ? undefined : sessionPortfolio(config), startedAt: clock.now(), config: redactSecrets(config),
  });
  const portfolioId = mode === 'backtest' ? `run-${runId}` : sessionPortfolio(config);

  const journal = mode === 'backtest' && config.storage.backtestEvents === 'journal';
  const maxBatch = config.storage.maxBatch ?? (mode === 'backtest' ? 10_000 : 100);
  const onWriteError = (err: Error): void => log.error({ err }, 'event log write failed; events are kept and retried');
  // a backtest's SQLite work on a second core (not for an in-memory database, nor inside a sweep's worker thread)
  const writer: EventWriter = journal && config.storage.writerThread && !db.memory && isMainThread
    ? createThreadEventWriter({
      path: db.name, runId, portfolioId, maxBatch, onError: onWriteError,
      contractSizes: opts.instruments.map((i) => [i.id, i.contractSize ?? 1] as const),
    })
    : createEventWriter(db, {
      runId,
      portfolioId,
      maxBatch,
      flushOnAppend: false,
      flushIntervalMs: mode === 'backtest' ? 0 : config.storage.flushIntervalMs,
      journal,
      contractSizeOf,
      onError: onWriteError,
    });
  const market = createMarketCache();
  const carried = mode === 'backtest' ? undefined : storedPositions(db, portfolioId, contractSizeOf, log);
  const portfolio = createPortfolio({
    contractSizeOf, initial: carried?.stored ?? [], markOf: market.lastMid, initialByStrategy: carried?.byStrategy ?? [],
  });
  const stats = createRunStats();

  let exec: ExecutionEngine | undefined;
  const execRef = (): ExecutionEngine => exec!;
  const { tradingState, ...limits } = config.risk;
  const venues = new Set(opts.instruments.map((i) => i.venue));
  const unknownVenues = Object.keys(limits.rateLimits?.perVenue ?? {}).filter((v) => v !== '*' && !venues.has(v));
  if (unknownVenues.length > 0) {
    throw new ConfigError(unknownVenues.map((v) => `risk.rateLimits.perVenue.${v}: not the venue of any configured instrument (venues: ${[...venues].join(', ')}; use "*" for all)`));
  }
  const risk = createRiskEngine(limits, {
    instrument: (id) => instruments.get(id),
    positionQty: (id) => portfolio.quantity(id),
    openOrders: (sid) => execRef().openOrders(sid),
    openOrdersFor: (id) => execRef().openOrdersFor(id),
    order: (id) => execRef().order(id),
    lastMid: (id) => market.lastMid(id),
    now: () => clock.now(),
  }, { initialState: tradingState, instrumentIds: [...instruments.keys()] });

  // fills come from the simulated venue in backtest and paper, from the venue adapters in live
  // paper and live recover by portfolio: an order of any earlier run of the portfolio is found by its id
  const readStoredOrder = storedOrderReader(db, portfolioId);
  const sims = new Map<VenueId, SimVenue>();
  const retention = { keep: config.retention.closedOrders, minAgeMs: config.retention.minAgeMs };
  let clients: ReadonlyMap<VenueId, ExecutionClient>;
  if (mode === 'live') {
    if (!opts.executionClients?.size) throw new Error('live mode needs venue adapters: configure a venue (none was given)');
    clients = opts.executionClients;
  } else {
    const latency = config.sim.latencyMs;
    const ms = typeof latency === 'number' ? { submitMs: latency, cancelMs: latency, modifyMs: latency }
      : { submitMs: latency.submit, cancelMs: latency.cancel, modifyMs: latency.modify };
    // paper carries positions over: the simulated venue needs them to enforce reduce-only
    const initialPositions = new Map(portfolio.all().map((p) => [p.instrumentId, p.quantity.toNumber()]));
    for (const venue of venues) {
      const venueInstruments = new Map([...instruments].filter(([, i]) => i.venue === venue));
      sims.set(venue, createSimVenue({ venue, clock, instruments: venueInstruments, latency: ms, idPrefix: `${venue}-${runId}`, initialPositions, retention }));
    }
    clients = sims;
  }

  let host: StrategyHost | undefined;
  const watchers: NodeWatcher[] = [];
  const deliver = (event: OrderEvent): void => {
    host!.onOrderEvent(event);
    for (let i = 0; i < watchers.length; i++) watchers[i]!.onEvent?.(event);
  };
  const capital = mode === 'backtest' ? config.backtest.capital ?? 0 : 0;
  const interval = config.report.equityIntervalMs;
  let nextSampleAt = -Infinity;
  const sampleEquity = (): void => {
    const ts = clock.now();
    writer.appendEquity(ts, equityOf(portfolio, contractSizeOf, capital).toString());
    nextSampleAt = (Math.floor(ts / interval) + 1) * interval;
  };
  exec = createExecutionEngine({
    clock, risk, clients, instruments, portfolio, log, closedOrders: retention,
    // emulated orders stored by an earlier session: paper re-arms them at once; live asks the venue about each first
    verifyHeldOnStart: mode === 'live',
    // an order dropped from memory comes back from the database (written first, so the read sees all of it)
    restore: (id) => {
      writer.flush();
      return readStoredOrder(id);
    },
    knownFills: mode === 'backtest' ? [] : loadFills(db, portfolioId),
    publish(event, order) {
      if (event.kind === 'OrderFilled') {
        stats.onEvent(event, portfolio.quantity(event.instrumentId));
        writer.append(event, order, portfolio.position(event.instrumentId));
      } else {
        stats.onEvent(event, 0);
        writer.append(event, order);
      }
      dispatcher.run(deliver, event);
    },
  });
  // the portfolio's open orders of earlier runs are the engine's again, as stored (reconciliation settles them)
  if (mode !== 'backtest') exec.takeOver(loadOpenOrders(db, portfolioId));
  const onVenueEvent = exec.onVenueEvent;
  for (const client of clients.values()) client.events$.subscribe((ev) => dispatcher.run(onVenueEvent, ev));

  const specs: StrategySpec[] = config.strategies.map((entry, i) => {
    const definition = opts.definitions.get(entry.use);
    if (!definition) throw new Error(`strategies[${i}].use: strategy "${entry.use}" was not loaded`);
    const id = entry.id ?? definition.name;
    return {
      id,
      definition,
      params: mergeParams(definition.params ?? {}, entry.params as Record<string, unknown>, `strategies[${i}].params`),
      instruments: entry.instruments,
      // backtest ids carry the run number, so each run starts at 1 (deterministic); paper/live resume past any id seen
      lastCounter: mode === 'backtest' ? 0 : maxClientOrderCounter(db, id),
      initialState: loadStrategyState(db, portfolioId, id),
    };
  });
  host = createStrategyHost(specs, {
    clock, exec, portfolio, market, instruments, run: runId, log,
    saveState: (sid, key, value) => writer.saveState(portfolioId, sid, key, value),
  });
  const strategyHost = host;

  const hostOnTick = (tick: Tick): void => strategyHost.onTick(tick);
  const emulatorOnTick = (tick: Tick): void => exec!.onTick(tick);
  /** Per instrument, what a tick goes to, bound once: one map lookup per tick instead of one per stop. */
  interface Route {
    readonly market: (tick: Tick) => void;
    readonly sim: ((tick: Tick) => void) | undefined;
  }
  const routes = new Map<InstrumentId, Route>();
  let lastId: InstrumentId | undefined;
  let lastRoute: Route | undefined;
  const emulation = exec.emulation;
  const routeOf = (id: InstrumentId): Route => {
    let r = routes.get(id);
    if (r === undefined) {
      const venue = instruments.get(id)?.venue;
      r = { market: market.updaterFor(id), sim: venue === undefined ? undefined : sims.get(venue)?.tickHandler(id) };
      routes.set(id, r);
    }
    return r;
  };

  return {
    runId, portfolioId, mode, clock, portfolio, exec, risk, host: strategyHost, market, writer, stats,
    instrument: (id) => instruments.get(id),
    instruments: () => [...instruments.values()],
    start: () => dispatcher.post(() => strategyHost.start()),
    onTick(tick) {
      stats.ticks++;
      if (tick.tsInit >= nextSampleAt) sampleEquity();
      // runs of one instrument's ticks (the common case) skip the route lookup
      const id = tick.instrumentId;
      if (id !== lastId) {
        lastRoute = routeOf(id);
        lastId = id;
      }
      const route = lastRoute!;
      route.market(tick); // also the portfolio's marks
      // the venue matches first, so strategies see fills caused by a tick before the tick itself
      if (route.sim !== undefined) dispatcher.run(route.sim, tick);
      // then the emulator: a stop this tick touches is released (and sent) before strategies see the tick
      if (emulation.armed > 0) dispatcher.run(emulatorOnTick, tick);
      dispatcher.run(hostOnTick, tick);
    },
    sampleEquity,
    dispatch: (work) => dispatcher.post(work),
    setTradingState(state, reason = 'set by the engine') {
      risk.setTradingState(state);
      log.warn({ state, reason }, `trading state set to ${state}: ${reason}`);
      for (const w of watchers) w.onTradingState?.(state, reason);
    },
    watch(watcher) {
      watchers.push(watcher);
      return () => {
        const i = watchers.indexOf(watcher);
        if (i >= 0) watchers.splice(i, 1);
      };
    },
    stopStrategies: (reason) => dispatcher.post(() => strategyHost.stopAll(reason)),
    close() {
      if (!writer.close()) log.error('event log could not be flushed on close; see earlier errors');
    },
  };
}
