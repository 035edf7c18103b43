/**
 * Paper and live trading over venue adapters. Market data from every adapter feeds the node; in live mode the
 * adapters' execution clients take the orders (paper keeps the simulated venue). Live keeps each venue in sync
 * (venue-sync.ts): held until reconciled, reconciled after every (re)connect from the durable fill mark, in-flight
 * orders checked continuously.
 */
import type { Logger } from 'pino';
import { createLiveClock } from '../clock/live-clock.js';
import type { EngineConfig } from '../config/config.js';
import type { VenueAdapter } from '../execution/venue-adapter.js';
import type { ExecutionClient } from '../execution/venue-client.js';
import type { Instrument } from '../model/instrument.js';
import { loadFillMark, type Database } from '../persistence/index.js';
import { applyVenueLimits } from '../risk/venue-limits.js';
import type { StrategyDefinition } from '../strategy/define-strategy.js';
import { finishNodeRun } from './finish-run.js';
import { alignToVenue, describePositionCheck } from './position-check.js';
import { startVenueSync, type VenueSyncStatus } from './venue-sync.js';
import type { RunSummary } from './summary.js';
import { createTradingNode, type TradingNode } from './trading-node.js';

export interface LiveSession {
  readonly node: TradingNode;
  /** Each live venue's sync: connection, hold, reconciliation and in-flight check counts. */
  venues(): readonly VenueSyncStatus[];
  /** Resolves once every live venue has been reconciled for the first time. */
  readonly firstSync: Promise<void>;
  /** Stops strategies (their orders are canceled), waits up to `graceMs` for the venues to answer, closes everything. */
  stop(graceMs?: number): Promise<RunSummary>;
}

/**
 * Strategies with `warmup` get the venue's recent closed bars, in time order, before any live tick; new orders are
 * held meanwhile (a strategy that orders during warm-up gets OrderDenied). A venue without history logs and goes on.
 */
async function warmUp(node: TradingNode, config: EngineConfig, adapters: readonly VenueAdapter[], log: Logger): Promise<void> {
  const wanted = config.strategies.filter((s) => s.warmup !== undefined);
  if (wanted.length === 0) return;
  node.exec.holdSubmits('warming strategies up on history');
  try {
    for (const s of wanted) {
      const { instrument, periodMs, bars } = s.warmup!;
      const venue = instrument.slice(instrument.lastIndexOf('.') + 1);
      const adapter = adapters.find((a) => a.venue === venue);
      if (!adapter?.warmupBars) {
        log.warn({ strategy: s.id ?? s.use, instrument }, `venue ${venue} gives no history: ${s.id ?? s.use} starts without warm-up`);
        continue;
      }
      const history = await adapter.warmupBars(instrument, periodMs, bars);
      for (const bar of history) node.onTick(bar);
      log.info({ strategy: s.id ?? s.use, instrument, bars: history.length }, 'warmed up on history');
    }
  } finally {
    node.exec.holdSubmits(undefined);
  }
}

/** Cancels every open order not already being canceled (the strategies have stopped: nobody else will). */
function cancelOpenOrders(node: TradingNode): void {
  for (const o of node.exec.openOrders()) {
    if (o.status === 'PENDING_CANCEL') continue;
    node.exec.cancel({ kind: 'CancelOrder', clientOrderId: o.clientOrderId, strategyId: o.strategyId, instrumentId: o.instrumentId, venueOrderId: o.venueOrderId, tsInit: node.clock.now() });
  }
}

/**
 * Paper mode: the simulated venue starts empty, so open orders of an earlier paper session are canceled at start.
 * Orders the engine held never reached it: emulated ones were re-armed; a released one that was waiting for a sibling's
 * cancel (one-cancels-other) goes now, its sibling being gone with the old venue — as live sends it once the venue
 * says it does not have it.
 */
function cancelCarriedOverPaperOrders(node: TradingNode, log: Logger): void {
  node.dispatch(() => {
    const open = node.exec.openOrders();
    const carried = open.filter((o) => o.status !== 'EMULATED' && o.status !== 'RELEASED');
    for (const o of carried) {
      node.exec.onVenueEvent({
        kind: 'OrderCanceled', clientOrderId: o.clientOrderId, instrumentId: o.instrumentId, tsEvent: node.clock.now(),
        reason: 'paper: the simulated venue starts empty, so orders of an earlier session are canceled',
      });
    }
    if (carried.length > 0) log.warn({ orders: carried.length }, `paper: ${carried.length} open order(s) of an earlier session canceled (the simulated venue starts empty)`);
    for (const o of open) if (o.status === 'RELEASED') node.exec.settleHeld(o.clientOrderId, undefined); // the venue has none
  });
}

export async function startLiveSession(opts: {
  config: EngineConfig;
  definitions: ReadonlyMap<string, StrategyDefinition>;
  adapters: readonly VenueAdapter[];
  /** Configured instruments; the venues' own specs (tick/step, limits) replace them and add the rest of theirs. */
  instruments: readonly Instrument[];
  db: Database;
  log: Logger;
}): Promise<LiveSession> {
  const { config, adapters, log } = opts;
  if (config.mode === 'backtest') throw new Error('startLiveSession runs paper or live mode; backtests use runBacktest');
  for (const a of adapters) await a.connect();
  const byId = new Map(opts.instruments.map((i) => [i.id, i]));
  for (const a of adapters) for (const i of await a.instruments()) byId.set(i.id, i);
  const instruments = [...byId.values()];
  // the venues' own account limits, where their options ask for them: the stricter of theirs and the configured apply
  let risk = config.risk;
  for (const a of adapters) {
    if (a.riskLimits === undefined) continue;
    risk = applyVenueLimits(risk, await a.riskLimits(), instruments.map((i) => i.id));
    log.info({ venue: a.venue }, `${a.venue}: the account's limits at the venue apply on top of the configured risk limits`);
  }
  const sessionConfig: EngineConfig = risk === config.risk ? config : Object.assign({}, config, { risk });

  const clients = new Map<string, ExecutionClient>();
  if (config.mode === 'live') {
    for (const a of adapters) if (a.execution) clients.set(a.venue, a.execution);
  }
  const node = createTradingNode({
    config: sessionConfig, definitions: opts.definitions, instruments, db: opts.db, log,
    clock: (runner) => createLiveClock({ runner }),
    executionClients: config.mode === 'live' ? clients : undefined,
  });
  if (config.mode === 'paper') cancelCarriedOverPaperOrders(node, log);

  // live: every venue is held until reconciled, before any strategy can order
  const ours = new Set(config.strategies.map((s) => s.id ?? opts.definitions.get(s.use)?.name ?? s.use));
  const syncs = adapters.flatMap((a) => {
    const client = clients.get(a.venue);
    if (!client) return [];
    const mark = loadFillMark(opts.db, node.portfolioId, a.venue);
    log.info({ venue: a.venue, since: new Date(mark.since).toISOString(), source: mark.source }, `${a.venue}: fills are complete until the stored mark; reconciling from it`);
    return [startVenueSync({
      client, state$: a.state$, exec: node.exec, portfolio: node.portfolio, writer: node.writer, clock: node.clock, log,
      ourStrategies: ours, fillMark: mark.since, settings: config.live, dispatch: node.dispatch,
      onPositionMismatch: (check) => {
        log.error({ venue: check.venue, differences: check.differences }, describePositionCheck(check));
        const policy = config.live.onPositionMismatch;
        if (policy === 'warn') return;
        node.dispatch(() => {
          const left = policy === 'venue' ? alignToVenue(node.exec, check, (id) => check.prices[id] ?? node.market.lastMid(id), node.clock.now()) : check.differences;
          if (policy === 'venue' && left.length < check.differences.length) log.warn({ venue: check.venue }, `positions at ${check.venue} aligned to the venue's (live.onPositionMismatch: venue)`);
          if (left.length > 0) {
            node.setTradingState('HALTED', `positions at ${check.venue} differ from the venue's`);
            log.error({ venue: check.venue }, `trading HALTED: positions at ${check.venue} differ from the venue's${policy === 'venue' ? ' and have no price to align them at' : ''}; see the difference above`);
          }
        });
      },
    })];
  });

  const startedAt = node.clock.now();
  node.start();
  await warmUp(node, config, adapters, log);

  const subscriptions = adapters.flatMap((a) => {
    if (!a.marketData) return [];
    const sub = a.marketData.ticks$.subscribe((tick) => node.onTick(tick));
    for (const i of instruments) if (i.venue === a.venue) a.marketData.subscribe(i.id, ['quote', 'trade', 'book', 'bar']);
    return [sub];
  });
  log.info({ mode: config.mode, venues: adapters.map((a) => a.venue), runId: node.runId }, `${config.mode} session started`);

  return {
    node,
    venues: () => syncs.map((s) => s.status()),
    firstSync: Promise.all(syncs.map((s) => s.firstSync)).then(() => undefined),
    async stop(graceMs = 3_000) {
      const openAtStop = new Set(node.exec.openOrders().map((o) => o.clientOrderId));
      node.stopStrategies('session stopping');
      const until = node.clock.now() + graceMs;
      let lastSweep = node.clock.now();
      while (node.exec.openOrders().length > 0 && node.clock.now() < until) {
        await new Promise<void>((resolve) => node.clock.setTimer(node.clock.now() + 50, resolve));
        // an order whose cancel the venue refused meanwhile (it overtook the submit) or that opened since: cancel again
        if (node.clock.now() - lastSweep >= 500) {
          lastSweep = node.clock.now();
          node.dispatch(() => cancelOpenOrders(node));
        }
      }
      for (const s of syncs) s.stop();
      for (const s of subscriptions) s.unsubscribe();
      const canceledAtStop = [...openAtStop].filter((id) => node.exec.order(id)?.status === 'CANCELED').length;
      const summary = finishNodeRun(node, {
        db: opts.db, config, instruments, from: startedAt, status: 'finished', venues: syncs.map((s) => s.status()), canceledAtStop,
      });
      for (const a of adapters) await a.close();
      return summary;
    },
  };
}
