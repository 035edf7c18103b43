import type { Logger } from 'pino';
import type { Clock } from '../clock/clock.js';
import type { ExecutionEngine } from '../execution/execution-engine.js';
import { ordersToSettle, reconcile, type ReconcilePlan } from '../execution/reconciliation.js';
import type { ExecutionClient } from '../execution/venue-client.js';
import { parseClientOrderId, type ClientOrderId, type Millis } from '../model/ids.js';
import type { OrderStatusReport } from '../model/reports.js';

/**
 * Reconciles one venue: holds new submits (cancels pass), asks the venue for its open orders, its fills since
 * `since` and the state of every local open order it did not list, applies what it says, then releases the hold.
 * A failure to ask (the venue is down again) keeps the hold and rejects: the caller retries on the next connect.
 */
export async function reconcileVenue(opts: {
  exec: ExecutionEngine;
  client: ExecutionClient;
  ourStrategies: ReadonlySet<string>;
  clock: Clock;
  log: Logger;
  since: Millis;
  /** Runs engine work on the engine's dispatcher (reconciliation answers arrive between ticks). */
  dispatch: (work: () => void) => void;
}): Promise<ReconcilePlan> {
  const { exec, client, log } = opts;
  const venue = client.venue;
  if (!client.openOrders || !client.fills || !client.orderStatus) {
    throw new Error(`venue ${venue}: its execution client cannot report orders and fills, so it cannot be reconciled`);
  }
  opts.dispatch(() => exec.holdSubmits(`reconciling with ${venue}`));
  const [venueOpen, venueFills] = await Promise.all([client.openOrders(), client.fills(opts.since)]);
  const localOpen = exec.openOrders().filter((o) => o.venue === venue);
  const settled = new Map<ClientOrderId, OrderStatusReport | undefined>();
  for (const o of ordersToSettle(localOpen, venueOpen)) settled.set(o.clientOrderId, await client.orderStatus(o.clientOrderId, o.venueOrderId));

  let plan: ReconcilePlan | undefined;
  opts.dispatch(() => {
    plan = reconcile({
      localOpen: exec.openOrders().filter((o) => o.venue === venue),
      knows: (id) => exec.order(id) !== undefined,
      venueOpen, venueFills, settled, ourStrategies: opts.ourStrategies, now: opts.clock.now(),
    });
    for (const r of plan.adopt) exec.adopt(r, parseClientOrderId(r.clientOrderId!)!.strategyId);
    for (const e of plan.events) exec.onVenueEvent(e);
    exec.holdSubmits(undefined);
  });
  const done = plan!;
  if (done.foreign.length > 0) log.warn({ venue, orders: done.foreign.map((r) => r.venueOrderId) }, 'open orders at the venue that this engine did not place; left alone');
  if (done.unresolved.length > 0) log.warn({ venue, orders: done.unresolved }, 'orders whose state the venue could not tell yet; asked again at the next reconciliation');
  log.info({ venue, adopted: done.adopt.length, events: done.events.length }, 'reconciled');
  return done;
}
