/**
 * Execution: the order book of record. Commands pass the risk gate, become orders and reach a venue client; venue
 * events move orders through the state machine (order-fsm.ts), fills move positions exactly once.
 * Nothing here throws on bad venue input: invalid transitions and duplicate fills are logged and counted.
 */
import type { SubmitOrder } from '../model/commands.js';
import { addExact, fillNotionalAfter, type Decimal } from '../model/decimal.js';
import type { DenialCode, OrderEvent, VenueOrderEvent } from '../model/events.js';
import type { ClientOrderId, VenueId } from '../model/ids.js';
import { isOpenStatus, TERMINAL_STATUSES, type Order, type OrderView } from '../model/order.js';
import { createRetention } from '../model/retention.js';
import { orderEventOf } from './order-event.js';
import type { ExecutionEngine, ExecutionEngineOptions, ExecutionStats } from './execution-api.js';
import { nextStatus } from './order-fsm.js';
import { createContingent, type Links } from './contingent.js';
import { createSeenFills } from './seen-fills.js';
import { createSubmitHolds } from './submit-holds.js';

export type { ExecutionEngine, ExecutionEngineOptions, ExecutionStats, RestoredOrder, RiskGate } from './execution-api.js';

/** Statuses in which the outcome of the last command sent is not known yet. */
const IN_FLIGHT: ReadonlySet<string> = new Set(['SUBMITTED', 'PENDING_CANCEL', 'PENDING_UPDATE']);

/**
 * `{ ...x, extra }` (a spread first, then properties) gives every object a hidden class of its own on Node 20's V8: about
 * 1 µs per property, and every later read of it goes megamorphic. Objects on hot paths start with a property instead.
 */
const withVenueOrderId = <C extends { kind: string }>(cmd: C, venueOrderId: string | undefined): C =>
  Object.assign({ kind: cmd.kind }, cmd, { venueOrderId }) as C;

export function createExecutionEngine(opts: ExecutionEngineOptions): ExecutionEngine {
  const { clock, risk, clients, instruments, portfolio, publish, log } = opts;
  const orders = new Map<ClientOrderId, Order>();
  /**
   * Open orders, and the same indexed by strategy and by instrument: the risk layer asks for them on every submit and
   * strategies on every tick, so they are looked up, not filtered out of every open order (10k resting orders made
   * each submit walk all of them four times).
   */
  const open = new Set<Order>();
  const openByStrategy = new Map<string, Set<Order>>();
  const openByInstrument = new Map<string, Set<Order>>();
  const indexed = (index: Map<string, Set<Order>>, key: string): Set<Order> => {
    let set = index.get(key);
    if (set === undefined) index.set(key, (set = new Set()));
    return set;
  };
  const markOpen = (order: Order): void => {
    if (open.has(order)) return;
    open.add(order);
    indexed(openByStrategy, order.strategyId).add(order);
    indexed(openByInstrument, order.instrumentId).add(order);
  };
  const markClosed = (order: Order): void => {
    if (!open.delete(order)) return;
    openByStrategy.get(order.strategyId)?.delete(order);
    openByInstrument.get(order.instrumentId)?.delete(order);
  };
  const seenFills = createSeenFills();
  for (const f of opts.knownFills ?? []) seenFills.remember(f);
  /** Σ price × qty of the fills of orders filled more than once, exact: their average fill price is derived from it. */
  const fillNotional = new Map<ClientOrderId, Decimal>();
  const closed = createRetention<Order>(opts.closedOrders, (order) => {
    if (!TERMINAL_STATUSES.has(order.status)) return; // reopened since (a late fill): retired again when it closes
    orders.delete(order.clientOrderId);
    fillNotional.delete(order.clientOrderId);
    seenFills.forget(order.clientOrderId);
  });
  /**
   * An order in memory, or taken back from the store (with its fill keys) when it was dropped. A restored order that
   * fills again continues its average price from the stored average (its exact fill notional was dropped with it).
   */
  const known = (id: ClientOrderId): Order | undefined => orders.get(id) ?? restoreOrder(id);
  const restoreOrder = (id: ClientOrderId): Order | undefined => {
    const found = opts.restore?.(id);
    if (found === undefined) return undefined;
    const order = found.order;
    orders.set(id, order);
    for (const f of found.fills) seenFills.remember(f, id);
    if (isOpenStatus(order.status)) markOpen(order);
    else closed.add(order, clock.now());
    return order;
  };
  const holds = createSubmitHolds();
  /** When the command whose outcome is unknown (submit, cancel, modify) was last sent, engine time, by order. */
  const sentAt = new Map<ClientOrderId, number>();
  const cancelResendMs = opts.cancelResendMs ?? 1_000;
  const stats: ExecutionStats = {
    submitted: 0, denied: 0, fills: 0, duplicateFills: 0, conflictingFills: 0, overfills: 0, invalidTransitions: 0, unknownOrderEvents: 0,
  };

  /**
   * Moves the order through the state machine and publishes the event. What the event changes besides the status
   * (`apply`: venue order id, new price/quantity) happens only on a valid transition; an invalid one leaves the order
   * as it was. A fill has been applied before (a fill is never lost), so it is published even then.
   */
  const emit = (order: Order, event: OrderEvent, apply?: () => void): void => {
    const wasClosed = TERMINAL_STATUSES.has(order.status);
    const t = nextStatus(order.status, event.kind, {
      fullyFilled: event.kind === 'OrderFilled' ? order.filledQty >= order.quantity : undefined,
      hasFills: order.filledQty > 0,
      before: order.statusBeforePending,
    });
    if (!t.ok) {
      stats.invalidTransitions++;
      log.warn({ clientOrderId: order.clientOrderId, event: event.kind, status: order.status }, `invalid order transition: ${t.reason}`);
      if (event.kind !== 'OrderFilled') return;
    } else {
      apply?.();
      const pending = order.status === 'PENDING_CANCEL' || order.status === 'PENDING_UPDATE';
      if ((event.kind === 'OrderPendingCancel' || event.kind === 'OrderPendingUpdate') && !pending) order.statusBeforePending = order.status;
      // accepted while a cancel/modify was pending: a refusal of that cancel/modify goes back to ACCEPTED
      if (event.kind === 'OrderAccepted' && pending) order.statusBeforePending = 'ACCEPTED';
      order.status = t.next;
    }
    order.tsLast = event.tsEvent;
    const closes = !wasClosed && TERMINAL_STATUSES.has(order.status);
    if (isOpenStatus(order.status)) markOpen(order);
    else markClosed(order);
    if (!IN_FLIGHT.has(order.status)) sentAt.delete(order.clientOrderId);
    publish(event, order);
    if (closes) closed.add(order, clock.now());
    // OTO children follow their parent, OCO members each other (contingent.ts)
    if (contingent.linked(order)) contingent.afterEvent(order, event);
  };

  const newOrder = (cmd: SubmitOrder, venue: VenueId, links?: Links): Order => {
    const order: Order = {
      clientOrderId: cmd.clientOrderId,
      strategyId: cmd.strategyId,
      instrumentId: cmd.instrumentId,
      venue,
      side: cmd.side,
      type: cmd.type,
      timeInForce: cmd.timeInForce,
      expireAt: cmd.expireAt,
      trigger: cmd.trigger,
      postOnly: cmd.postOnly,
      reduceOnly: cmd.reduceOnly,
      tag: cmd.tag,
      tsInit: cmd.tsInit,
      quantity: cmd.quantity,
      price: cmd.price,
      status: 'INITIALIZED',
      filledQty: 0,
      tsLast: cmd.tsInit,
      parentId: links?.parentId,
      ocoGroup: links?.ocoGroup,
    };
    orders.set(order.clientOrderId, order);
    return order;
  };

  function resendCancel(id: ClientOrderId): void {
    const order = orders.get(id);
    if (order === undefined || order.status !== 'PENDING_CANCEL') return;
    sentAt.set(id, clock.now());
    log.warn({ clientOrderId: id, venueOrderId: order.venueOrderId }, 'cancel sent again: the answer to the last one did not come');
    clients.get(order.venue)?.cancel({
      kind: 'CancelOrder', clientOrderId: id, strategyId: order.strategyId, instrumentId: order.instrumentId, venueOrderId: order.venueOrderId, tsInit: clock.now(),
    });
  }

  const base = (order: Order) => ({
    clientOrderId: order.clientOrderId,
    strategyId: order.strategyId,
    instrumentId: order.instrumentId,
    tsEvent: clock.now(),
    tsInit: clock.now(),
  });

  const deny = (cmd: SubmitOrder, code: DenialCode, message: string): void => {
    stats.denied++;
    const order = newOrder(cmd, instruments.get(cmd.instrumentId)?.venue ?? '');
    emit(order, { kind: 'OrderDenied', ...base(order), code, message });
  };

  /** Venues whose clients report each fill once (the simulated venue): no fill keys are kept for them. */
  const uniqueFills = new Set([...clients.values()].filter((c) => c.uniqueFills === true).map((c) => c.venue));
  const applyFill = (order: Order, ev: Extract<VenueOrderEvent, { kind: 'OrderFilled' }>): boolean => {
    const seen = uniqueFills.has(ev.venue) ? undefined : seenFills.remember(ev, order.clientOrderId);
    if (seen) {
      if (seen.qty === ev.lastQty && seen.price === ev.lastPrice) {
        stats.duplicateFills++;
        log.debug({ tradeId: ev.tradeId, clientOrderId: ev.clientOrderId }, 'duplicate fill ignored');
      } else {
        stats.conflictingFills++;
        log.error({ tradeId: ev.tradeId, clientOrderId: ev.clientOrderId, first: seen, now: { qty: ev.lastQty, price: ev.lastPrice } },
          'conflicting duplicate fill ignored: the position keeps the first');
      }
      return false;
    }
    stats.fills++;
    const filled = addExact(order.filledQty, ev.lastQty);
    if (filled > order.quantity) {
      stats.overfills++;
      log.error({ clientOrderId: order.clientOrderId, quantity: order.quantity, filled }, 'overfill: the venue filled more than ordered; position follows the venue');
    }
    if (order.filledQty === 0) order.avgFillPrice = ev.lastPrice; // one fill (the common case): its price, exactly
    else {
      // after one fill the average is still that fill's price, so it is the first price fillNotionalAfter needs
      const notional = fillNotionalAfter(fillNotional.get(order.clientOrderId), order.avgFillPrice!, order.filledQty, ev.lastPrice, ev.lastQty);
      fillNotional.set(order.clientOrderId, notional);
      order.avgFillPrice = notional.div(filled).toNumber();
    }
    order.filledQty = filled;
    order.venueOrderId ??= ev.venueOrderId;
    portfolio.applyFill(order.instrumentId, ev, order.strategyId);
    return true;
  };

  /**
   * A released emulated order goes on as a market or limit order through the submit holds and the risk layer as they
   * are at this moment; a refusal is an OrderDenied the strategy sees.
   */
  const send = (order: Order, observed: number): void => {
    const cmd: SubmitOrder = {
      kind: 'SubmitOrder', clientOrderId: order.clientOrderId, strategyId: order.strategyId, instrumentId: order.instrumentId,
      side: order.side, type: order.type, quantity: order.quantity, price: order.price, timeInForce: order.timeInForce,
      expireAt: order.expireAt, postOnly: order.postOnly, reduceOnly: order.reduceOnly, tag: order.tag, tsInit: clock.now(),
    };
    const client = clients.get(order.venue);
    const hold = holds.reasonFor(order.venue);
    const refuse = (code: DenialCode, message: string): void => {
      stats.denied++;
      emit(order, { kind: 'OrderDenied', ...base(order), code, message: `released at ${observed}: ${message}` });
    };
    if (!client) return refuse('UNKNOWN_INSTRUMENT', `no venue client for ${order.venue}`);
    if (hold !== undefined) return refuse('NOT_RECONCILED', `new orders to ${order.venue} are held: ${hold}`);
    const verdict = risk.checkSubmit(cmd);
    if (!verdict.ok) return refuse(verdict.code, verdict.message);
    const approved = verdict.command;
    order.quantity = approved.quantity;
    if (approved.price !== undefined) order.price = approved.price;
    stats.submitted++;
    emit(order, { kind: 'OrderSubmitted', ...base(order), venue: order.venue });
    sentAt.set(order.clientOrderId, clock.now());
    client.submit(approved);
  };
  const contingent = createContingent({
    opts, newOrder, emit, deny, base, send, known,
    cancelAtVenue: (order) => engine.cancel({
      kind: 'CancelOrder', clientOrderId: order.clientOrderId, strategyId: order.strategyId, instrumentId: order.instrumentId,
      venueOrderId: order.venueOrderId, tsInit: clock.now(),
    }),
  });

  const engine: ExecutionEngine = {
    stats,
    onTick: (tick) => contingent.onTick(tick),
    get emulated() {
      return contingent.armed;
    },
    emulation: contingent.gauge,
    holdSubmits: (reason, venue) => holds.set(reason, venue),
    holds: () => holds.all(),
    deny,

    submit(cmd) {
      // memory only: a new id is always a miss, and ids come from the strategy's counter (not reused once dropped)
      if (orders.has(cmd.clientOrderId)) {
        log.error({ clientOrderId: cmd.clientOrderId }, 'client order id already used; submit ignored');
        return;
      }
      const instrument = instruments.get(cmd.instrumentId);
      const client = instrument && clients.get(instrument.venue);
      if (!instrument) return deny(cmd, 'UNKNOWN_INSTRUMENT', `unknown instrument ${cmd.instrumentId}`);
      if (!client) return deny(cmd, 'UNKNOWN_INSTRUMENT', `no venue client for ${instrument.venue} (instrument ${cmd.instrumentId})`);
      // held here: an emulated order, or a plain one-triggers-other child (contingent.ts)
      if (cmd.trigger !== undefined || cmd.parentId !== undefined) return contingent.emulate(cmd, instrument.venue);
      const linked = cmd.ocoWith !== undefined || cmd.parentId !== undefined ? contingent.linksFor(cmd) : undefined;
      if (linked?.ok === false) return deny(cmd, linked.code, linked.message);
      const hold = holds.reasonFor(instrument.venue);
      if (hold !== undefined) return deny(cmd, 'NOT_RECONCILED', `new orders to ${instrument.venue} are held: ${hold}`);
      const verdict = risk.checkSubmit(cmd);
      if (!verdict.ok) return deny(cmd, verdict.code, verdict.message);
      const approved = verdict.command;
      const order = newOrder(approved, instrument.venue, linked?.links);
      if (linked !== undefined) contingent.track(order);
      stats.submitted++;
      emit(order, { kind: 'OrderSubmitted', ...base(order), venue: instrument.venue });
      sentAt.set(order.clientOrderId, clock.now());
      client.submit(approved);
    },

    cancel(cmd) {
      const order = known(cmd.clientOrderId);
      if (!order) {
        log.warn({ clientOrderId: cmd.clientOrderId }, 'cancel of an unknown order ignored');
        return;
      }
      if (!isOpenStatus(order.status)) {
        emit(order, { kind: 'OrderCancelRejected', ...base(order), reason: `order is ${order.status}` });
        return;
      }
      // held here, never sent: canceled at once
      if ((order.status === 'EMULATED' || order.status === 'RELEASED') && contingent.cancelHeld(order)) return;
      if (order.status === 'PENDING_CANCEL') {
        // already asked: again only once the last request is old enough (its answer may have been lost)
        if (clock.now() - (sentAt.get(order.clientOrderId) ?? -Infinity) >= cancelResendMs) resendCancel(order.clientOrderId);
        return;
      }
      const verdict = risk.checkCancel(cmd);
      if (!verdict.ok) return; // cancels always pass today; kept for a future check
      emit(order, { kind: 'OrderPendingCancel', ...base(order) });
      sentAt.set(order.clientOrderId, clock.now());
      clients.get(order.venue)?.cancel(withVenueOrderId(verdict.command, order.venueOrderId));
    },
    resendCancel,

    modify(cmd) {
      const order = known(cmd.clientOrderId);
      if (!order) {
        log.warn({ clientOrderId: cmd.clientOrderId }, 'modify of an unknown order ignored');
        return;
      }
      if (!isOpenStatus(order.status) || order.status === 'PENDING_CANCEL' || order.status === 'PENDING_UPDATE') {
        emit(order, { kind: 'OrderModifyRejected', ...base(order), reason: `order is ${order.status}` });
        return;
      }
      if (order.status === 'EMULATED' || order.status === 'RELEASED') {
        emit(order, { kind: 'OrderModifyRejected', ...base(order), reason: 'an emulated order cannot be modified yet: cancel it and place it again' });
        return;
      }
      const verdict = risk.checkModify(cmd);
      if (!verdict.ok) {
        emit(order, { kind: 'OrderModifyRejected', ...base(order), reason: `${verdict.code}: ${verdict.message}` });
        return;
      }
      emit(order, { kind: 'OrderPendingUpdate', ...base(order) });
      sentAt.set(order.clientOrderId, clock.now());
      clients.get(order.venue)?.modify(withVenueOrderId(verdict.command, order.venueOrderId));
    },

    onVenueEvent(ev) {
      const order = known(ev.clientOrderId);
      if (!order) {
        stats.unknownOrderEvents++;
        log.error({ event: ev.kind, clientOrderId: ev.clientOrderId, instrumentId: ev.instrumentId },
          'venue event for an order this engine does not know; left for reconciliation');
        return;
      }
      if (ev.kind === 'OrderFilled' && !applyFill(order, ev)) return;
      const event = orderEventOf(ev, order.strategyId, clock.now());
      if (ev.kind === 'OrderAccepted') emit(order, event, () => (order.venueOrderId = ev.venueOrderId));
      else if (ev.kind === 'OrderUpdated') {
        emit(order, event, () => {
          order.quantity = ev.quantity;
          if (ev.price !== undefined) order.price = ev.price;
        });
      } else emit(order, event);
    },

    heldToVerify: (venue) => contingent.heldToVerify(venue),
    settleHeld(id, report) {
      const order = orders.get(id);
      if (order !== undefined) contingent.settleHeld(order, report);
    },
    bracket(entry, takeProfit, stopLoss) {
      contingent.bracket(entry, takeProfit, stopLoss, () => engine.submit(entry));
    },

    adopt(r, strategyId, reason) {
      if (r.clientOrderId === undefined || known(r.clientOrderId) !== undefined) return;
      const order = newOrder({
        kind: 'SubmitOrder', clientOrderId: r.clientOrderId, strategyId, instrumentId: r.instrumentId, side: r.side, type: r.type,
        quantity: r.quantity, price: r.price, timeInForce: r.timeInForce, postOnly: false, reduceOnly: false, tag: 'adopted',
        tsInit: clock.now(),
      }, r.venue);
      log.warn({ clientOrderId: r.clientOrderId, venueOrderId: r.venueOrderId, venueStatus: r.status }, `adopted an order found at the venue: ${reason}`);
      emit(order, { kind: 'OrderAdopted', ...base(order), venue: r.venue, venueOrderId: r.venueOrderId, reason }, () => (order.venueOrderId = r.venueOrderId));
    },
    takeOver(stored) {
      const taken: Order[] = [];
      for (const s of stored) {
        const id = s.order.clientOrderId;
        if (orders.has(id) || !isOpenStatus(s.order.status)) continue;
        orders.set(id, s.order);
        markOpen(s.order);
        for (const f of s.fills) seenFills.remember(f, id);
        taken.push(s.order);
      }
      // then linked again and, for an emulated order (which never reached a venue), armed again on its stored trigger
      // exactly as it was (live asks the venue about each first: contingent.ts settleHeld)
      for (const order of taken) contingent.takeOver(order);
    },
    inFlight(venue, olderThanMs) {
      const cutoff = clock.now() - olderThanMs;
      const out: OrderView[] = [];
      for (const o of open) if (o.venue === venue && IN_FLIGHT.has(o.status) && (sentAt.get(o.clientOrderId) ?? o.tsLast) <= cutoff) out.push(o);
      return out;
    },
    isApplied(fill) {
      if (known(fill.clientOrderId) === undefined) return false; // brings a dropped order's fill keys back first
      const seen = seenFills.get(fill);
      return seen !== undefined && seen.qty === fill.lastQty && seen.price === fill.lastPrice;
    },
    order: known,
    openOrders: (strategyId) => (strategyId === undefined ? [...open] : [...(openByStrategy.get(strategyId) ?? [])]),
    openOrdersFor: (instrumentId) => [...(openByInstrument.get(instrumentId) ?? [])],
  };
  return engine;
}

