import type { Logger } from 'pino';
import type { Clock } from '../clock/clock.js';
import type { ExecutionEngine } from '../execution/execution-engine.js';
import { ordersToSettle, reconcile, type ReconcilePlan } from '../execution/reconciliation.js';
import type { ExecutionClient } from '../execution/venue-client.js';
import { parseClientOrderId, type ClientOrderId, type Millis } from '../model/ids.js';
import type { VenueOrderEvent } from '../model/events.js';
import type { OrderView } from '../model/order.js';
import type { FillReport, OrderStatusReport } from '../model/reports.js';

/** Orders the engine holds itself (emulated, not yet released): never at a venue, so never reconciled with one. */
const HELD: ReadonlySet<string> = new Set(['EMULATED']);

/** What one pass did, for the log, the summary and the caller's fill mark. */
export interface ReconcileOutcome {
  readonly plan: ReconcilePlan;
  /** Fills this pass applied for the first time (the rest were already applied). */
  readonly fillsApplied: number;
  /** Those fills, for the log: each one the streams had not delivered is named. */
  readonly applied: readonly Extract<VenueOrderEvent, { kind: 'OrderFilled' }>[];
  /** Status changes (accepted, canceled, expired, rejected) this pass applied to local orders. */
  readonly settled: number;
  /** Cancels sent again because the venue still listed the order open. */
  readonly cancelsResent: number;
  /** Engine time just before the venue was asked for fills: every fill before it (less a margin) is now applied. */
  readonly askedAt: Millis;
}

export interface ReconcileOptions {
  readonly exec: ExecutionEngine;
  readonly client: ExecutionClient;
  readonly ourStrategies: ReadonlySet<string>;
  readonly clock: Clock;
  readonly log: Logger;
  /** Ask for fills (and completed orders) since this engine time: the durable fill mark less a margin. */
  readonly since: Millis;
  /** Runs engine work on the engine's dispatcher (reconciliation answers arrive between ticks). */
  readonly dispatch: (work: () => void) => void;
  /** A PENDING_CANCEL order still open at the venue gets its cancel again once it is this old. */
  readonly resendCancelAfterMs?: number;
  readonly inFlightGraceMs?: number;
  /** Commits what the pass applied (the event writer's flush): a pass logged as done is on disk. */
  readonly commit?: () => void;
}

const countFills = (exec: ExecutionEngine): number => exec.stats.fills;

/** Applies a plan on the engine: adoptions first, then the events in order, then the cancels to send again. */
function applyPlan(opts: ReconcileOptions, plan: ReconcilePlan): Omit<ReconcileOutcome, 'plan' | 'askedAt'> {
  const { exec } = opts;
  let result: Omit<ReconcileOutcome, 'plan' | 'askedAt'> = { fillsApplied: 0, applied: [], settled: 0, cancelsResent: 0 };
  opts.dispatch(() => {
    const applied: Extract<VenueOrderEvent, { kind: 'OrderFilled' }>[] = [];
    for (const a of plan.adopt) exec.adopt(a.report, parseClientOrderId(a.report.clientOrderId!)!.strategyId, a.reason);
    for (const e of plan.events) {
      if (e.kind === 'OrderFilled' && exec.isApplied(e)) continue; // re-read, already applied: not a duplicate from the venue
      const before = countFills(exec);
      exec.onVenueEvent(e);
      if (e.kind === 'OrderFilled' && countFills(exec) > before) applied.push(e);
    }
    const stale = new Set(exec.inFlight(opts.client.venue, opts.resendCancelAfterMs ?? 0).map((o) => o.clientOrderId));
    let resent = 0;
    for (const id of plan.resendCancel) {
      if (!stale.has(id)) continue;
      exec.resendCancel(id);
      resent++;
    }
    result = { fillsApplied: applied.length, applied, settled: plan.events.filter((e) => e.kind !== 'OrderFilled').length, cancelsResent: resent };
  });
  return result;
}

function logOutcome(log: Logger, venue: string, what: string, o: ReconcileOutcome): void {
  const { plan } = o;
  for (const a of plan.adopt) log.warn({ venue, clientOrderId: a.report.clientOrderId, venueOrderId: a.report.venueOrderId, status: a.report.status }, `${what}: adopted an order of ours: ${a.reason}`);
  if (plan.foreign.length > 0) log.warn({ venue, orders: plan.foreign.map((r) => r.venueOrderId) }, `${what}: open orders at the venue that this engine did not place; left alone`);
  for (const u of plan.unresolved) log.warn({ venue, clientOrderId: u.clientOrderId }, `${what}: not settled yet (${u.why}); asked again at the next check`);
  for (const f of o.applied) {
    log.warn({ venue, clientOrderId: f.clientOrderId, venueOrderId: f.venueOrderId, tradeId: f.tradeId, side: f.side, qty: f.lastQty, price: f.lastPrice, at: f.tsEvent },
      `${what}: applied a fill the streams had not delivered`);
  }
  log.info({ venue, adopted: plan.adopt.length, fillsApplied: o.fillsApplied, settled: o.settled, cancelsResent: o.cancelsResent, unresolved: plan.unresolved.length }, `${what} done`);
}

function requireQueries(client: ExecutionClient): asserts client is ExecutionClient & Required<Pick<ExecutionClient, 'openOrders' | 'fills' | 'orderStatus'>> {
  if (!client.openOrders || !client.fills || !client.orderStatus) {
    throw new Error(`venue ${client.venue}: its execution client cannot report orders and fills, so it cannot be reconciled`);
  }
}

/**
 * A full reconciliation of one venue (after a start or a reconnect): the venue's open orders, its fills and completed
 * orders since `since`, and the state of every local open order it did not list; then adopts, applies and settles.
 * Holding new orders meanwhile is the caller's job. A failed query rejects, and nothing of this pass is applied.
 */
export async function reconcileVenue(opts: ReconcileOptions): Promise<ReconcileOutcome> {
  const { exec, client } = opts;
  requireQueries(client);
  const venue = client.venue;
  const askedAt = opts.clock.now();
  const [venueOpen, venueFills, venueOrders] = await Promise.all([
    client.openOrders(), client.fills(opts.since), client.orders ? client.orders(opts.since) : Promise.resolve([] as readonly OrderStatusReport[]),
  ]);
  const localOpen = exec.openOrders().filter((o) => o.venue === venue && !HELD.has(o.status));
  const completed = new Map(venueOrders.map((r) => [r.clientOrderId, r]));
  const settled = new Map<ClientOrderId, OrderStatusReport | undefined>();
  for (const o of ordersToSettle(localOpen, venueOpen)) {
    settled.set(o.clientOrderId, completed.get(o.clientOrderId) ?? (await client.orderStatus(o.clientOrderId, o.venueOrderId)));
  }
  // fills of our orders that the engine has no record of and the venue did not list: ask for each such order
  const extra: OrderStatusReport[] = [];
  const knownHere = (id: ClientOrderId): boolean => exec.order(id) !== undefined || completed.has(id) || venueOpen.some((r) => r.clientOrderId === id);
  const asked = new Set<string>();
  for (const f of venueFills) {
    const id = f.clientOrderId;
    if (id === undefined || asked.has(id) || knownHere(id) || !opts.ourStrategies.has(parseClientOrderId(id)?.strategyId ?? '')) continue;
    asked.add(id);
    const r = await client.orderStatus(id, f.venueOrderId);
    if (r !== undefined) extra.push(r);
  }

  let plan: ReconcilePlan | undefined;
  opts.dispatch(() => {
    plan = reconcile({
      localOpen: exec.openOrders().filter((o) => o.venue === venue && !HELD.has(o.status)),
      knows: (id) => exec.order(id) !== undefined,
      venueOpen, venueOrders: [...venueOrders, ...extra], venueFills, settled, ourStrategies: opts.ourStrategies, now: opts.clock.now(),
      inFlightGraceMs: opts.inFlightGraceMs,
    });
  });
  const outcome = { plan: plan!, askedAt, ...applyPlan(opts, plan!) };
  opts.commit?.();
  logOutcome(opts.log, venue, `reconciliation with ${venue}`, outcome);
  return outcome;
}

/**
 * The in-flight check of a few orders whose last command's outcome is unknown: each order's state at the venue, and
 * when the venue says one has filled more than the engine knows, the venue's fills since the oldest of them (less
 * `marginMs`). Settles what the venue answers; sends a lost cancel again; leaves the rest unresolved.
 */
export async function checkInFlight(opts: ReconcileOptions & { orders: readonly OrderView[]; marginMs: number }): Promise<ReconcileOutcome> {
  const { exec, client } = opts;
  requireQueries(client);
  const askedAt = opts.clock.now();
  const settled = new Map<ClientOrderId, OrderStatusReport | undefined>();
  for (const o of opts.orders) settled.set(o.clientOrderId, await client.orderStatus(o.clientOrderId, o.venueOrderId));
  const behind = opts.orders.filter((o) => {
    const r = settled.get(o.clientOrderId);
    return r !== undefined && r.filledQty > o.filledQty;
  });
  let venueFills: readonly FillReport[] = [];
  if (behind.length > 0) {
    const ids = new Set(behind.map((o) => o.clientOrderId));
    const from = Math.min(...behind.map((o) => o.tsInit)) - opts.marginMs;
    venueFills = (await client.fills(from)).filter((f) => f.clientOrderId !== undefined && ids.has(f.clientOrderId));
  }
  let plan: ReconcilePlan | undefined;
  opts.dispatch(() => {
    const mine = new Set(opts.orders.map((o) => o.clientOrderId));
    plan = reconcile({
      localOpen: exec.openOrders().filter((o) => mine.has(o.clientOrderId)),
      knows: (id) => exec.order(id) !== undefined,
      venueOpen: [], venueFills, settled, ourStrategies: opts.ourStrategies, now: opts.clock.now(), inFlightGraceMs: opts.inFlightGraceMs,
    });
  });
  const outcome = { plan: plan!, askedAt, ...applyPlan(opts, plan!) };
  opts.commit?.();
  if (outcome.settled > 0 || outcome.fillsApplied > 0 || outcome.cancelsResent > 0 || plan!.unresolved.length > 0) {
    logOutcome(opts.log, client.venue, `in-flight check at ${client.venue}`, outcome);
  }
  return outcome;
}
