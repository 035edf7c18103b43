/**
 * Keeps one live venue in sync (DESIGN.md "Reliability rules"), from start to stop:
 *
 * - **Hold while blind.** New submits to the venue are held (cancels pass) from the start, and whenever one of its
 *   streams is down, until it is back and a reconciliation has passed. The hold reason says why.
 * - **Reconcile after every (re)connect**, asking for fills from the durable fill mark less a margin (so an outage of
 *   any length loses nothing). A failed reconciliation is retried with a doubling delay while the venue is connected.
 * - **Advance the fill mark** while the venue is in sync (stored through the event writer, after the fills before it).
 * - **In-flight checks**: orders whose submit, cancel or modify outcome is unknown for longer than a set time are asked
 *   about at the venue and settled; a lost cancel is sent again; after N checks without an answer the order is flagged
 *   to the operator (log and summary), and the checks go on: nothing is dropped silently.
 */
import type { Logger } from 'pino';
import type { Observable, Subscription } from 'rxjs';
import type { Clock, TimerHandle } from '../clock/clock.js';
import type { EngineConfig } from '../config/config.js';
import type { ExecutionEngine } from '../execution/execution-engine.js';
import type { ConnectionState } from '../execution/venue-adapter.js';
import type { ExecutionClient } from '../execution/venue-client.js';
import type { ClientOrderId, Millis } from '../model/ids.js';
import type { OrderView } from '../model/order.js';
import type { EventWriter } from '../persistence/index.js';
import { checkInFlight, reconcileVenue, type ReconcileOutcome } from './reconcile-venue.js';
import { comparePositions, type PositionCheck } from './position-check.js';
import type { Portfolio } from '../portfolio/portfolio.js';

/** Statuses whose last command's outcome is unknown. */
const UNKNOWN_OUTCOME: ReadonlySet<string> = new Set(['SUBMITTED', 'PENDING_CANCEL', 'PENDING_UPDATE']);

/** Orders asked about per in-flight check (each is one status query at the venue). */
const IN_FLIGHT_BATCH = 20;

export type SyncState = 'blind' | 'reconciling' | 'retrying' | 'synced' | 'stopped';

/** What an operator (and the summary) sees of one venue's sync. */
export interface VenueSyncStatus {
  readonly venue: string;
  readonly state: SyncState;
  readonly connection: ConnectionState;
  readonly holdReason: string | undefined;
  /** Every fill before this engine time is applied and stored. */
  readonly fillMark: Millis;
  readonly lastReconciledAt: Millis | undefined;
  readonly reconciliations: number;
  readonly failedReconciliations: number;
  readonly lastError: string | undefined;
  /** Fills reconciliation and the in-flight checks applied that the streams had not delivered. */
  readonly fillsRecovered: number;
  readonly ordersAdopted: number;
  /** Local orders whose state a reconciliation or an in-flight check settled. */
  readonly ordersSettled: number;
  readonly cancelsResent: number;
  readonly inFlightChecks: number;
  /** Orders still unresolved after `maxChecks` checks: an operator must look at them. */
  readonly flagged: readonly ClientOrderId[];
  readonly positions: PositionCheck | undefined;
}

export interface VenueSync {
  status(): VenueSyncStatus;
  /** Resolves after the first successful reconciliation (or rejects when stopped first). */
  readonly firstSync: Promise<void>;
  stop(): void;
}

export interface VenueSyncOptions {
  readonly client: ExecutionClient;
  readonly state$: Observable<ConnectionState>;
  readonly exec: ExecutionEngine;
  readonly portfolio: Portfolio;
  readonly writer: EventWriter;
  readonly clock: Clock;
  readonly log: Logger;
  readonly ourStrategies: ReadonlySet<string>;
  /** The stored fill mark of this venue (fill-marks.ts). */
  readonly fillMark: Millis;
  readonly settings: EngineConfig['live'];
  /** Positions differ from the venue's: the caller halts trading (or takes the venue's, per config). */
  readonly onPositionMismatch: (check: PositionCheck) => void;
  /** Runs engine work on the engine's dispatcher. */
  readonly dispatch: (work: () => void) => void;
}

export function startVenueSync(opts: VenueSyncOptions): VenueSync {
  const { client, exec, clock, log, settings } = opts;
  const venue = client.venue;
  let state: SyncState = 'blind';
  /** A function, not a comparison: `state` changes across the awaits below (stop() may run meanwhile). */
  const stopped = (): boolean => state === 'stopped';
  let connection: ConnectionState = 'connecting';
  /** Counts every loss of connection: a pass that began before the latest one proves nothing about after it. */
  let generation = 0;
  let fillMark = opts.fillMark;
  let lastReconciledAt: Millis | undefined;
  let lastError: string | undefined;
  let running = false;
  let again = false;
  let retryDelay = settings.retryInitialMs;
  let retryTimer: TimerHandle | undefined;
  let checking = false;
  const checks = new Map<ClientOrderId, number>();
  const flagged = new Set<ClientOrderId>();
  let positions: PositionCheck | undefined;
  const counts = { reconciliations: 0, failedReconciliations: 0, fillsRecovered: 0, ordersAdopted: 0, ordersSettled: 0, cancelsResent: 0, inFlightChecks: 0 };
  let resolveFirst: () => void = () => {};
  let rejectFirst: (e: Error) => void = () => {};
  const firstSync = new Promise<void>((resolve, reject) => {
    resolveFirst = resolve;
    rejectFirst = reject;
  });
  firstSync.catch(() => undefined);

  const hold = (reason: string | undefined): void => opts.dispatch(() => exec.holdSubmits(reason, venue));
  hold(`waiting for the first reconciliation with ${venue}`);

  const record = (o: ReconcileOutcome): void => {
    counts.fillsRecovered += o.fillsApplied;
    counts.ordersAdopted += o.plan.adopt.length;
    counts.ordersSettled += o.settled;
    counts.cancelsResent += o.cancelsResent;
  };
  const saveMark = (until: Millis): void => {
    if (until <= fillMark) return;
    fillMark = until;
    opts.writer.saveFillMark(venue, until, clock.now());
  };

  /**
   * Live, after a restart: each held (emulated) order stored by the earlier session is asked about at the venue by its
   * client order id before it is armed again; one released and sent just before the crash is adopted, not sent twice.
   */
  const verifyHeld = async (): Promise<void> => {
    let held: readonly OrderView[] = [];
    opts.dispatch(() => (held = exec.heldToVerify(venue)));
    if (held.length === 0 || client.orderStatus === undefined) return;
    for (const o of held) {
      const report = await client.orderStatus(o.clientOrderId, undefined);
      opts.dispatch(() => exec.settleHeld(o.clientOrderId, report));
    }
    log.info({ venue, orders: held.length }, `held orders of the earlier session checked at ${venue}`);
  };

  const pass = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    const gen = generation;
    state = 'reconciling';
    hold(`reconciling with ${venue}`);
    try {
      await verifyHeld(); // first, so an order found there is reconciled with the rest in this pass
      const outcome = await reconcileVenue({
        exec, client, ourStrategies: opts.ourStrategies, clock, log, since: fillMark - settings.reconcileMarginMs, dispatch: opts.dispatch,
        resendCancelAfterMs: settings.inFlightTimeoutMs, inFlightGraceMs: settings.neverReceivedAfterMs, commit: () => opts.writer.flush(),
      });
      counts.reconciliations++;
      record(outcome);
      if (client.positions) {
        const reports = await client.positions();
        positions = comparePositions(venue, opts.portfolio, reports);
        if (!positions.ok) opts.onPositionMismatch(positions);
      }
      lastError = undefined;
      retryDelay = settings.retryInitialMs;
      if (gen === generation && connection === 'connected' && !stopped()) {
        saveMark(outcome.askedAt);
        lastReconciledAt = clock.now();
        state = 'synced';
        hold(undefined);
        resolveFirst();
      }
    } catch (e) {
      counts.failedReconciliations++;
      lastError = e instanceof Error ? e.message : String(e);
      if (!stopped()) {
        state = 'retrying';
        const delay = retryDelay;
        retryDelay = Math.min(retryDelay * 2, settings.retryMaxMs);
        hold(`reconciliation with ${venue} failed (${lastError}); retrying in ${(delay / 1000).toFixed(1)} s`);
        log.error({ venue, retryInMs: delay }, `reconciliation with ${venue} failed: ${lastError}; new orders stay held, retrying in ${delay} ms`);
        retryTimer?.cancel();
        retryTimer = clock.setTimer(clock.now() + delay, () => {
          retryTimer = undefined;
          if (connection === 'connected') void pass();
        });
      }
    } finally {
      running = false;
      if (again && !stopped()) {
        again = false;
        if (connection === 'connected') void pass();
      }
    }
  };

  const inFlight = async (): Promise<void> => {
    if (checking || state !== 'synced') return;
    const orders = exec.inFlight(venue, settings.inFlightTimeoutMs);
    // forget the counts of orders settled meanwhile (by the streams or a reconciliation)
    const stillInFlight = (id: ClientOrderId): boolean => UNKNOWN_OUTCOME.has(exec.order(id)?.status ?? 'FILLED');
    for (const id of checks.keys()) if (!stillInFlight(id)) checks.delete(id);
    for (const id of flagged) {
      if (stillInFlight(id)) continue;
      flagged.delete(id);
      log.warn({ venue, clientOrderId: id, status: exec.order(id)?.status }, 'a flagged order is settled now');
    }
    if (orders.length === 0) return;
    checking = true;
    counts.inFlightChecks++;
    // the least checked first: orders the venue cannot answer about never starve the others
    const batch = [...orders].sort((a, b) => (checks.get(a.clientOrderId) ?? 0) - (checks.get(b.clientOrderId) ?? 0)).slice(0, IN_FLIGHT_BATCH);
    try {
      const outcome = await checkInFlight({
        exec, client, ourStrategies: opts.ourStrategies, clock, log, since: 0, dispatch: opts.dispatch, orders: batch,
        marginMs: settings.reconcileMarginMs, resendCancelAfterMs: settings.inFlightTimeoutMs, inFlightGraceMs: settings.neverReceivedAfterMs,
        commit: () => opts.writer.flush(),
      });
      record(outcome);
    } catch (e) {
      log.warn({ venue, orders: batch.length }, `in-flight check at ${venue} failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      checking = false;
    }
    // an order still in flight after its check counts one more; at maxChecks it is flagged to the operator
    for (const o of batch) {
      const now = exec.order(o.clientOrderId);
      if (now === undefined || !UNKNOWN_OUTCOME.has(now.status)) continue; // pruned next time
      const n = (checks.get(o.clientOrderId) ?? 0) + 1;
      checks.set(o.clientOrderId, n);
      if (n === settings.inFlightMaxChecks) {
        flagged.add(o.clientOrderId);
        log.error({ venue, clientOrderId: o.clientOrderId, status: now.status, checks: n },
          `order ${o.clientOrderId} is still ${now.status} after ${n} checks at ${venue}: its state is unknown; look at it at the venue (checks go on)`);
      }
    }
  };

  const subs: Subscription[] = [];
  subs.push(opts.state$.subscribe((s) => {
    const was = connection;
    connection = s;
    if (state === 'stopped') return;
    if (s === 'connected') {
      if (was !== 'connected' || state !== 'synced') void pass();
      return;
    }
    generation++;
    retryTimer?.cancel();
    retryTimer = undefined;
    state = 'blind';
    hold(`${venue} is ${s}: new orders are held until it is back and reconciled`);
  }));

  /**
   * Something on the streams may be missing (a venue event for an order the engine has no record of, or the adapter
   * dropped a frame): reconcile again, and store no fill mark until that pass is done.
   */
  let resync: string | undefined;
  let unknownEvents = exec.stats.unknownOrderEvents;
  const requestResync = (why: string): void => {
    if (resync !== undefined || stopped()) return;
    resync = why;
    log.warn({ venue }, `${venue}: ${why}; reconciling again`);
  };
  if (client.resync$) subs.push(client.resync$.subscribe((why) => requestResync(why)));

  let tick: TimerHandle | undefined;
  let lastMarkAt = clock.now();
  const every = Math.min(settings.inFlightCheckIntervalMs, settings.fillMarkIntervalMs);
  const loop = (): void => {
    if (state === 'stopped') return;
    if (exec.stats.unknownOrderEvents !== unknownEvents) {
      unknownEvents = exec.stats.unknownOrderEvents;
      requestResync('a venue event named an order this engine has no record of');
    }
    if (resync !== undefined && state === 'synced' && !running) {
      resync = undefined;
      void pass();
    }
    if (state === 'synced' && resync === undefined && clock.now() - lastMarkAt >= settings.fillMarkIntervalMs) {
      lastMarkAt = clock.now();
      saveMark(clock.now());
    }
    void inFlight();
    tick = clock.setTimer(clock.now() + every, loop);
  };
  tick = clock.setTimer(clock.now() + every, loop);

  return {
    firstSync,
    status: () => ({
      venue, state, connection, holdReason: exec.holds().get(venue), fillMark, lastReconciledAt, lastError, ...counts,
      flagged: [...flagged], positions,
    }),
    stop() {
      if (state === 'stopped') return;
      // in sync to the end: everything until now is applied (the writer stores the mark after the last fills)
      if (state === 'synced') saveMark(clock.now());
      state = 'stopped';
      tick?.cancel();
      retryTimer?.cancel();
      for (const s of subs) s.unsubscribe();
      rejectFirst(new Error(`${venue}: stopped before the first reconciliation`));
    },
  };
}
