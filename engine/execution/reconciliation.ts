/**
 * Reconciliation (DESIGN.md "Reliability rules"): after a start or a reconnect, the venue's own account of our orders
 * and fills settles what the engine could not know — orders whose outcome was unknown, fills made while disconnected,
 * orders a crashed session placed but never stored. Nothing is ever sent again: every question goes to the venue.
 *
 * `reconcile` is pure: from the engine's orders and the venue's reports it says which venue events to apply (in
 * order: fills first, then status changes) and which venue orders to adopt.
 */
import type { VenueOrderEvent } from '../model/events.js';
import { parseClientOrderId, type ClientOrderId, type Millis } from '../model/ids.js';
import { isOpenStatus, type OrderView } from '../model/order.js';
import type { FillReport, OrderStatusReport } from '../model/reports.js';

export interface ReconcileInput {
  /** The engine's orders at this venue that are open (including in flight). */
  readonly localOpen: readonly OrderView[];
  /** Whether the engine knows a client order id (open or not). */
  readonly knows: (clientOrderId: ClientOrderId) => boolean;
  readonly venueOpen: readonly OrderStatusReport[];
  readonly venueFills: readonly FillReport[];
  /** The venue's answer for local open orders it did not list as open (fetched by the caller with orderStatus). */
  readonly settled: ReadonlyMap<ClientOrderId, OrderStatusReport | undefined>;
  /** Strategy ids this engine runs: a venue order with one of our ids and an unknown client order id is adopted. */
  readonly ourStrategies: ReadonlySet<string>;
  readonly now: Millis;
  /**
   * An order the venue says it never received is taken as not placed only once it is older than this (a venue may
   * list an order a moment after accepting it); younger ones stay unresolved until the next reconciliation.
   */
  readonly inFlightGraceMs?: number;
}

export interface ReconcilePlan {
  /** Venue orders placed by this engine (a previous session) that it does not know: create them first. */
  readonly adopt: readonly OrderStatusReport[];
  /** Events to apply, in order (fills are deduplicated by the execution engine). */
  readonly events: readonly VenueOrderEvent[];
  /** Local open orders the venue gave no answer for (still unknown; asked again at the next reconciliation). */
  readonly unresolved: readonly ClientOrderId[];
  /** Venue orders not ours (another client on the account): reported, never touched. */
  readonly foreign: readonly OrderStatusReport[];
}

/** The local open orders the venue did not list as open: the caller asks orderStatus for each before reconcile(). */
export function ordersToSettle(localOpen: readonly OrderView[], venueOpen: readonly OrderStatusReport[]): OrderView[] {
  const listed = new Set(venueOpen.map((r) => r.clientOrderId));
  return localOpen.filter((o) => !listed.has(o.clientOrderId));
}

export function reconcile(input: ReconcileInput): ReconcilePlan {
  const adopt: OrderStatusReport[] = [];
  const foreign: OrderStatusReport[] = [];
  const events: VenueOrderEvent[] = [];
  const unresolved: ClientOrderId[] = [];

  const isOurs = (id: ClientOrderId | undefined): id is ClientOrderId => {
    const parsed = id === undefined ? undefined : parseClientOrderId(id);
    return parsed !== undefined && input.ourStrategies.has(parsed.strategyId);
  };
  for (const r of input.venueOpen) {
    if (r.clientOrderId !== undefined && input.knows(r.clientOrderId)) continue;
    if (isOurs(r.clientOrderId)) adopt.push(r);
    else foreign.push(r);
  }
  const adopted = new Set(adopt.map((r) => r.clientOrderId));

  // fills first: a fill the engine missed must land before the order is closed
  for (const f of input.venueFills) {
    if (f.clientOrderId === undefined || !(input.knows(f.clientOrderId) || adopted.has(f.clientOrderId))) continue;
    events.push({
      kind: 'OrderFilled', clientOrderId: f.clientOrderId, instrumentId: f.instrumentId, tsEvent: f.tsEvent, venue: f.venue,
      venueOrderId: f.venueOrderId, tradeId: f.tradeId, side: f.side, lastQty: f.lastQty, lastPrice: f.lastPrice, fee: f.fee,
      feeCurrency: f.feeCurrency, liquidity: f.liquidity,
    });
  }

  const statusEvents = (o: Pick<OrderView, 'clientOrderId' | 'instrumentId' | 'status'>, r: OrderStatusReport): VenueOrderEvent[] => {
    const base = { clientOrderId: o.clientOrderId, instrumentId: o.instrumentId, tsEvent: input.now };
    const out: VenueOrderEvent[] = [];
    if (o.status === 'SUBMITTED' || o.status === 'PENDING_CANCEL' || o.status === 'PENDING_UPDATE') {
      out.push({ kind: 'OrderAccepted', ...base, venueOrderId: r.venueOrderId });
    }
    switch (r.status) {
      case 'CANCELED':
        out.push({ kind: 'OrderCanceled', ...base, reason: 'reconciled: canceled at the venue' });
        break;
      case 'EXPIRED':
        out.push({ kind: 'OrderExpired', ...base });
        break;
      case 'REJECTED':
        // a rejection is definitive: the accept above would be wrong
        return [{ kind: 'OrderRejected', ...base, reason: 'reconciled: rejected by the venue' }];
      default:
        break; // open or (partially) filled: the fills settle it
    }
    return out;
  };

  for (const o of input.localOpen) {
    const listed = input.venueOpen.find((r) => r.clientOrderId === o.clientOrderId);
    if (listed) {
      if (o.status === 'SUBMITTED') events.push(...statusEvents(o, listed));
      continue;
    }
    if (!input.settled.has(o.clientOrderId)) continue;
    const r = input.settled.get(o.clientOrderId);
    if (r === undefined) {
      // the venue has never seen it: the submit was lost before it arrived — the order did not happen
      if (o.status === 'SUBMITTED' && input.now - o.tsInit >= (input.inFlightGraceMs ?? 5_000)) events.push({ kind: 'OrderRejected', clientOrderId: o.clientOrderId, instrumentId: o.instrumentId, tsEvent: input.now, reason: 'reconciled: the venue never received it' });
      else unresolved.push(o.clientOrderId);
      continue;
    }
    if (isOpenStatus(r.status)) continue;
    events.push(...statusEvents(o, r));
  }
  return { adopt, events, unresolved, foreign };
}
