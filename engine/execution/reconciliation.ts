/**
 * Reconciliation (DESIGN.md "Reliability rules"): after a start or a reconnect, and for orders whose outcome stayed
 * unknown, the venue's own account of our orders and fills settles what the engine could not know — orders whose
 * outcome was unknown, fills made while it was blind, orders a crashed session placed but never stored. Nothing is
 * ever sent again under a new id: every question goes to the venue.
 *
 * `reconcile` is pure: from the engine's orders and the venue's reports it says which orders to adopt, which venue
 * events to apply (fills first, then status changes), which cancels to send again, and what stays unresolved.
 */
import type { VenueOrderEvent } from '../model/events.js';
import { addExact } from '../model/decimal.js';
import { parseClientOrderId, type ClientOrderId, type Millis } from '../model/ids.js';
import { isOpenStatus, type OrderView } from '../model/order.js';
import type { FillReport, OrderStatusReport } from '../model/reports.js';

export interface ReconcileInput {
  /** The engine's orders at this venue that are open (including in flight) and that this pass settles. */
  readonly localOpen: readonly OrderView[];
  /** Whether the engine has a record of a client order id (in memory or stored; open or not). */
  readonly knows: (clientOrderId: ClientOrderId) => boolean;
  /** The venue's open orders (all of them: an order of ours missing here is not open at the venue). */
  readonly venueOpen: readonly OrderStatusReport[];
  /**
   * Other orders the venue reported (its completed orders since the fill mark, answers about single orders): an order
   * of ours the engine has no record of is adopted from here too, so an IOC sent just before a crash is not lost.
   */
  readonly venueOrders?: readonly OrderStatusReport[];
  /** The venue's fills since the fill mark. */
  readonly venueFills: readonly FillReport[];
  /** The venue's answer for local open orders it did not list as open (fetched by the caller with orderStatus). */
  readonly settled: ReadonlyMap<ClientOrderId, OrderStatusReport | undefined>;
  /** Strategy ids this engine runs: a venue order with one of our ids and an unknown client order id is adopted. */
  readonly ourStrategies: ReadonlySet<string>;
  readonly now: Millis;
  /**
   * An order the venue says it never received is taken as not placed only once it is older than this (a venue may
   * list an order a moment after accepting it); younger ones stay unresolved until the next check.
   */
  readonly inFlightGraceMs?: number;
}

export interface AdoptedOrder {
  readonly report: OrderStatusReport;
  /** Why it is adopted, in words (logged and stored with the OrderAdopted event). */
  readonly reason: string;
}

export interface ReconcilePlan {
  /** Venue orders placed by this engine that it has no record of: create them first (OrderAdopted). */
  readonly adopt: readonly AdoptedOrder[];
  /** Events to apply, in order (fills are deduplicated by the execution engine). */
  readonly events: readonly VenueOrderEvent[];
  /** PENDING_CANCEL orders the venue still lists as open: their cancel was lost; send it again. */
  readonly resendCancel: readonly ClientOrderId[];
  /** Local open orders the venue gave no final answer for yet (asked again at the next check), with why. */
  readonly unresolved: ReadonlyArray<{ readonly clientOrderId: ClientOrderId; readonly why: string }>;
  /** Venue orders not ours (another client on the account): reported, never touched. */
  readonly foreign: readonly OrderStatusReport[];
  /** Fills of orders that are not ours: ignored. */
  readonly foreignFills: number;
  /** Fills of our orders handed to the engine (it ignores the ones already applied). */
  readonly fillCandidates: number;
}

/** The local open orders the venue did not list as open: the caller finds their state before reconcile(). */
export function ordersToSettle(localOpen: readonly OrderView[], venueOpen: readonly OrderStatusReport[]): OrderView[] {
  const listed = new Set(venueOpen.map((r) => r.clientOrderId));
  return localOpen.filter((o) => !listed.has(o.clientOrderId));
}

/** Whether a client order id names one of the strategies this engine runs. */
export function isOurOrder(id: ClientOrderId | undefined, ourStrategies: ReadonlySet<string>): id is ClientOrderId {
  const parsed = id === undefined ? undefined : parseClientOrderId(id);
  return parsed !== undefined && ourStrategies.has(parsed.strategyId);
}

/**
 * The report an order can be adopted from when the venue gave fills of it but no order (it could not tell): filled by
 * exactly those fills, so every fill is applied and none is lost.
 */
export function reportFromFills(fills: readonly FillReport[]): OrderStatusReport {
  const first = fills[0]!;
  const qty = fills.reduce((sum, f) => addExact(sum, f.lastQty), 0);
  return {
    venue: first.venue, instrumentId: first.instrumentId, clientOrderId: first.clientOrderId, venueOrderId: first.venueOrderId,
    side: first.side, type: 'limit', timeInForce: 'GTC', status: 'FILLED', quantity: qty, filledQty: qty, price: first.lastPrice,
    tsLast: Math.max(...fills.map((f) => f.tsEvent)),
  };
}

const fillEvent = (f: FillReport & { clientOrderId: ClientOrderId }): VenueOrderEvent => ({
  kind: 'OrderFilled', clientOrderId: f.clientOrderId, instrumentId: f.instrumentId, tsEvent: f.tsEvent, venue: f.venue,
  venueOrderId: f.venueOrderId, tradeId: f.tradeId, side: f.side, lastQty: f.lastQty, lastPrice: f.lastPrice, fee: f.fee,
  feeCurrency: f.feeCurrency, liquidity: f.liquidity,
});

export function reconcile(input: ReconcileInput): ReconcilePlan {
  const { ourStrategies } = input;
  const adopt: AdoptedOrder[] = [];
  const foreign: OrderStatusReport[] = [];
  const fills: VenueOrderEvent[] = [];
  const statuses: VenueOrderEvent[] = [];
  const resendCancel: ClientOrderId[] = [];
  const unresolved: { clientOrderId: ClientOrderId; why: string }[] = [];
  let foreignFills = 0;

  // 1. orders of ours the engine has no record of: open at the venue, completed, or known only by their fills
  const adopted = new Map<ClientOrderId, OrderStatusReport>();
  const consider = (r: OrderStatusReport, where: string): void => {
    if (r.clientOrderId !== undefined && (adopted.has(r.clientOrderId) || input.knows(r.clientOrderId))) return;
    if (!isOurOrder(r.clientOrderId, ourStrategies)) {
      if (where === 'open') foreign.push(r);
      return;
    }
    adopted.set(r.clientOrderId, r);
    adopt.push({ report: r, reason: `${where} at the venue with no record here (placed just before a crash?)` });
  };
  for (const r of input.venueOpen) consider(r, 'open');
  for (const r of input.venueOrders ?? []) consider(r, isOpenStatus(r.status) ? 'open' : `${r.status.toLowerCase()}`);
  const orphanFills = new Map<ClientOrderId, FillReport[]>();
  for (const f of input.venueFills) {
    const id = f.clientOrderId;
    if (id !== undefined && (adopted.has(id) || input.knows(id))) continue;
    if (!isOurOrder(id, ourStrategies)) {
      foreignFills++;
      continue;
    }
    const list = orphanFills.get(id);
    if (list === undefined) orphanFills.set(id, [f]);
    else list.push(f);
  }
  for (const [id, list] of orphanFills) {
    const r = reportFromFills(list);
    adopted.set(id, r);
    adopt.push({ report: r, reason: 'filled at the venue with no record here; the order is rebuilt from its fills' });
  }

  // 2. fills first: a fill the engine missed must land before the order is closed
  const applied = new Map<ClientOrderId, number>();
  let fillCandidates = 0;
  for (const f of input.venueFills) {
    const id = f.clientOrderId;
    if (id === undefined || !(adopted.has(id) || input.knows(id))) continue;
    fills.push(fillEvent(f as FillReport & { clientOrderId: ClientOrderId }));
    applied.set(id, addExact(applied.get(id) ?? 0, f.lastQty));
    fillCandidates++;
  }

  /** Whether the fills known locally (before this pass) plus this pass's cover what the venue says is filled. */
  const fillsCover = (localFilled: number, id: ClientOrderId, r: OrderStatusReport): boolean =>
    addExact(localFilled, applied.get(id) ?? 0) >= r.filledQty;

  /** An order in flight that the venue has: accepted, before its fills (so they land on an accepted order). */
  const accepts: VenueOrderEvent[] = [];
  const accept = (o: Pick<OrderView, 'clientOrderId' | 'instrumentId' | 'status'>, r: OrderStatusReport): void => {
    if (o.status === 'SUBMITTED' && r.status !== 'REJECTED') {
      accepts.push({ kind: 'OrderAccepted', clientOrderId: o.clientOrderId, instrumentId: o.instrumentId, tsEvent: input.now, venueOrderId: r.venueOrderId });
    }
  };
  /** The venue's final word on a closed order (after its fills): canceled, expired or rejected; a fill closes itself. */
  const close = (o: Pick<OrderView, 'clientOrderId' | 'instrumentId'>, r: OrderStatusReport): void => {
    const base = { clientOrderId: o.clientOrderId, instrumentId: o.instrumentId, tsEvent: input.now };
    if (r.status === 'CANCELED') statuses.push({ kind: 'OrderCanceled', ...base, reason: 'reconciled: canceled at the venue' });
    else if (r.status === 'EXPIRED') statuses.push({ kind: 'OrderExpired', ...base });
    else if (r.status === 'REJECTED') statuses.push({ kind: 'OrderRejected', ...base, reason: 'reconciled: rejected by the venue' });
  };

  // 3. adopted orders: after their fills, their final state
  for (const { report: r } of adopt) if (!isOpenStatus(r.status)) close({ clientOrderId: r.clientOrderId!, instrumentId: r.instrumentId }, r);

  // 4. the engine's open orders
  const listedOpen = new Map(input.venueOpen.map((r) => [r.clientOrderId, r]));
  for (const o of input.localOpen) {
    const r = listedOpen.get(o.clientOrderId) ?? input.settled.get(o.clientOrderId);
    if (r === undefined) {
      if (!input.settled.has(o.clientOrderId)) continue; // not asked about in this pass
      // the venue has never seen it: the submit was lost before it arrived — the order did not happen
      if (o.status === 'SUBMITTED' && input.now - o.tsInit >= (input.inFlightGraceMs ?? 5_000)) {
        statuses.push({ kind: 'OrderRejected', clientOrderId: o.clientOrderId, instrumentId: o.instrumentId, tsEvent: input.now, reason: 'reconciled: the venue never received it' });
      } else unresolved.push({ clientOrderId: o.clientOrderId, why: o.status === 'SUBMITTED' ? 'the venue does not know it yet' : `the venue does not know it (${o.status})` });
      continue;
    }
    accept(o, r);
    if (isOpenStatus(r.status)) {
      if (o.status === 'PENDING_CANCEL') resendCancel.push(o.clientOrderId);
      // a modify whose answer was lost: the order is as the venue has it now
      if (o.status === 'PENDING_UPDATE') statuses.push({ kind: 'OrderUpdated', clientOrderId: o.clientOrderId, instrumentId: o.instrumentId, tsEvent: input.now, quantity: r.quantity, ...(r.price !== undefined ? { price: r.price } : {}) });
      continue;
    }
    if (r.status !== 'REJECTED' && !fillsCover(o.filledQty, o.clientOrderId, r)) {
      // closing it now would lose fills the venue has not listed yet: the next check finds them
      unresolved.push({ clientOrderId: o.clientOrderId, why: `the venue says ${r.filledQty} filled (${r.status}) but listed fewer fills` });
      continue;
    }
    if (o.status === 'SUBMITTED' && r.status === 'REJECTED') {
      statuses.push({ kind: 'OrderRejected', clientOrderId: o.clientOrderId, instrumentId: o.instrumentId, tsEvent: input.now, reason: 'reconciled: rejected by the venue' });
      continue;
    }
    close(o, r);
  }
  return { adopt, events: [...accepts, ...fills, ...statuses], resendCancel, unresolved, foreign, foreignFills, fillCandidates };
}
