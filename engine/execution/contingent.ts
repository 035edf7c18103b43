/**
 * Emulated and contingent orders (issue 13), the same in every mode that takes them: stop and if-touched orders and
 * trailing stops (held in the emulator until their trigger is touched), one-triggers-other children (held until their
 * parent fills) and one-cancels-other groups. A bracket is an entry with two OTO exits in one OCO group.
 *
 * One-triggers-other. A child is an order of the parent's strategy, instrument and quantity, held (EMULATED) until the
 * parent fills. An emulated child (stop, if-touched, trailing) is armed at the parent's first fill with the parent's
 * filled quantity and resized as the parent fills (OrderUpdated), less what its OCO siblings have filled; a plain child
 * (market or limit: OrderHeld) is released when the parent has filled all it will (it ends with fills), sized to them,
 * since a venue order cannot be resized locally. A parent that ends without a fill cancels its children; a parent
 * denied at once denies them (PARENT_DENIED). An exit that has ended does not come back.
 *
 * One-cancels-other. The members of a group never fill more, together, than one of them would alone:
 *  - a fill of one member reduces every other member not yet at the venue by that quantity (OrderUpdated), and
 *    cancels it when nothing is left;
 *  - at most one member works at the venue at a time. A group takes one plain (market or limit) order, the rest are
 *    emulated. A member released while another works there waits (RELEASED) while the engine cancels that one, and
 *    is then sent with what is left, or canceled if the other filled it all. A member released while another already
 *    waits is canceled (the first released goes);
 *  - so a stop-loss released while its take-profit rests at the venue as a limit cancels the take-profit first: the
 *    position stays protected until one of them has filled it.
 *
 * Everything the rules need is stored with the orders (trigger, moved trigger, parent, group), so a restart links and
 * re-arms them as they were (takeOver).
 */
import type { SubmitOrder } from '../model/commands.js';
import { addExact, subExact } from '../model/decimal.js';
import type { DenialCode, OrderEvent } from '../model/events.js';
import type { TimerHandle } from '../clock/clock.js';
import type { ClientOrderId, VenueId } from '../model/ids.js';
import { isOpenStatus, TERMINAL_STATUSES, type Order } from '../model/order.js';
import type { OrderStatusReport } from '../model/reports.js';
import type { Tick } from '../model/tick.js';
import type { ExecutionEngineOptions } from './execution-api.js';
import { createEmulator } from './emulator.js';

/** What the contingent layer needs of the execution engine. */
export interface ContingentHost {
  readonly opts: Pick<ExecutionEngineOptions, 'verifyHeldOnStart' | 'log' | 'clock'>;
  newOrder(cmd: SubmitOrder, venue: VenueId, links: Links): Order;
  /** Moves the order through the state machine and publishes the event (execution-engine.ts `emit`). */
  emit(order: Order, event: OrderEvent, apply?: () => void): void;
  deny(cmd: SubmitOrder, code: DenialCode, message: string): void;
  base(order: Order): { clientOrderId: ClientOrderId; strategyId: string; instrumentId: string; tsEvent: number; tsInit: number };
  /** Sends a released order as a market or limit order (submit holds, risk layer, venue); a refusal is OrderDenied. */
  send(order: Order, observed: number): void;
  /** Cancels an order working at its venue (the engine's own cancel path). */
  cancelAtVenue(order: Order): void;
  /** An order in memory or taken back from the store. */
  known(id: ClientOrderId): Order | undefined;
}

export interface Links {
  readonly parentId?: ClientOrderId;
  readonly ocoGroup?: string;
}

export interface Contingent {
  /** A submit with a trigger (OrderEmulated) or a parent (a plain child: OrderHeld): held here, or denied saying why. */
  emulate(cmd: SubmitOrder, venue: VenueId): void;
  /** The links a plain (venue) order asks for, or why they are refused. */
  linksFor(cmd: SubmitOrder): { ok: true; links: Links } | { ok: false; code: DenialCode; message: string };
  /** Starts following a plain order that joined a group (after it was created). */
  track(order: Order): void;
  bracket(entry: SubmitOrder, takeProfit: SubmitOrder, stopLoss: SubmitOrder, submitEntry: () => void): void;
  onTick(tick: Tick): void;
  readonly armed: number;
  /** The emulator's count of armed orders as a field (emulator.ts gauge). */
  readonly gauge: { readonly armed: number };
  /** Whether the order's events matter here (it has a parent, children or a group). */
  linked(order: Order): boolean;
  /** After each event of a linked order. */
  afterEvent(order: Order, event: OrderEvent): void;
  /** Cancels an order this layer holds (EMULATED, or RELEASED and waiting); false when it is at a venue. */
  cancelHeld(order: Order): boolean;
  /**
   * A restart: an open order as stored, linked and (where its trigger is live) armed again; with `verifyHeldOnStart`,
   * an emulated one waits for `settleHeld` instead.
   */
  takeOver(order: Order): void;
  /** Held orders taken over and not yet checked at their venue. */
  heldToVerify(venue: VenueId): Order[];
  /** The venue's word on one of them: adopted when it is there, armed again (or, released, sent) when it is not. */
  settleHeld(order: Order, report: OrderStatusReport | undefined): void;
}

/** At the venue (or on its way there): open and neither held by the emulator nor waiting to be sent. */
const atVenue = (o: Order): boolean => isOpenStatus(o.status) && o.status !== 'EMULATED' && o.status !== 'RELEASED';

export function createContingent(host: ContingentHost): Contingent {
  const { opts } = host;
  const log = opts.log;
  /** Live: held orders taken over from the store, waiting for the venue's word before they are armed (settleHeld). */
  const unverified = new Map<ClientOrderId, Order>();
  /** GTD emulated orders: each expires at its expireAt while still held (released, the venue order carries its GTD). */
  const expiries = new Map<ClientOrderId, TimerHandle>();
  const expireLater = (order: Order): void => {
    if (order.timeInForce !== 'GTD' || order.expireAt === undefined || expiries.has(order.clientOrderId)) return;
    expiries.set(order.clientOrderId, opts.clock.setTimer(order.expireAt, () => {
      expiries.delete(order.clientOrderId);
      if (order.status !== 'EMULATED' || unverified.has(order.clientOrderId)) return;
      emulator.disarm(order);
      host.emit(order, { kind: 'OrderExpired', ...host.base(order) });
    }));
  };
  const forgetExpiry = (order: Order): void => {
    expiries.get(order.clientOrderId)?.cancel();
    expiries.delete(order.clientOrderId);
  };

  /** OCO groups by name (the first member's client order id), with their open members (the first one included). */
  const groups = new Map<string, Set<Order>>();
  const groupOf = new Map<ClientOrderId, string>();
  /** The member of a group released while another worked at the venue: sent once that one has ended. */
  const waiting = new Map<string, { readonly order: Order; readonly on: Order; readonly observed: number }>();
  /** OTO children by parent. */
  const childrenOf = new Map<ClientOrderId, Set<Order>>();

  const emulator = createEmulator(
    (order, observed) => release(order, observed),
    (order, trigger) => {
      const t = order.trigger!;
      host.emit(order, { kind: 'OrderUpdated', ...host.base(order), quantity: order.quantity, triggerPrice: trigger }, () => {
        order.trigger = t.trailing === undefined ? { kind: t.kind, price: trigger, on: t.on } : { kind: t.kind, price: trigger, on: t.on, trailing: t.trailing };
      });
    },
  );

  const cancelHeldOrder = (order: Order, reason: string): void => {
    emulator.disarm(order);
    forgetExpiry(order);
    host.emit(order, { kind: 'OrderCanceled', ...host.base(order), reason });
  };

  const join = (order: Order, group: string): void => {
    let members = groups.get(group);
    if (members === undefined) {
      groups.set(group, (members = new Set()));
      const first = host.known(group);
      if (first !== undefined && isOpenStatus(first.status)) {
        members.add(first);
        groupOf.set(first.clientOrderId, group);
      }
    }
    members.add(order);
    groupOf.set(order.clientOrderId, group);
  };

  const adopt = (order: Order): void => {
    if (order.parentId !== undefined) {
      let children = childrenOf.get(order.parentId);
      if (children === undefined) childrenOf.set(order.parentId, (children = new Set()));
      children.add(order);
    }
    if (order.ocoGroup !== undefined) join(order, order.ocoGroup);
  };

  /** Σ filled of the group's members other than `order` (0 when it has no group). */
  const siblingsFilled = (order: Order): number => {
    const group = groupOf.get(order.clientOrderId);
    let sum = 0;
    if (group === undefined) return sum;
    for (const m of groups.get(group) ?? []) if (m !== order && m.filledQty > 0) sum = addExact(sum, m.filledQty);
    return sum;
  };

  /** Sets a held order's quantity (OrderUpdated), or cancels it when nothing is left. */
  const resize = (order: Order, quantity: number, why: string): boolean => {
    if (quantity <= 0) {
      cancelHeldOrder(order, why);
      return false;
    }
    if (quantity !== order.quantity) host.emit(order, { kind: 'OrderUpdated', ...host.base(order), quantity }, () => (order.quantity = quantity));
    return true;
  };

  /** After an event of a parent: its children armed once it has filled, sized to that; canceled if it ends unfilled. */
  const followParent = (parent: Order): void => {
    const children = childrenOf.get(parent.clientOrderId);
    if (children === undefined) return;
    const done = TERMINAL_STATUSES.has(parent.status);
    for (const child of [...children]) {
      if (child.status !== 'EMULATED' || unverified.has(child.clientOrderId)) continue;
      if (parent.filledQty > 0) {
        const left = subExact(parent.filledQty, siblingsFilled(child));
        if (!resize(child, left, `one-cancels-other: its group has filled what ${parent.clientOrderId} filled`)) continue;
        if (child.trigger !== undefined) emulator.arm(child);
        else if (done) release(child, parent.avgFillPrice ?? Number.NaN); // a plain child goes once the parent is done
      } else if (done) cancelHeldOrder(child, `its parent ${parent.clientOrderId} ended ${parent.status} without a fill`);
    }
    if (done) childrenOf.delete(parent.clientOrderId);
  };

  /** A member filled `qty`: the members not at the venue give up as much. */
  const reduceSiblings = (group: string, filled: Order, qty: number): void => {
    for (const m of [...(groups.get(group) ?? [])]) {
      if (m === filled || !isOpenStatus(m.status)) continue;
      if (m.status === 'EMULATED' || m.status === 'RELEASED') {
        const parent = m.parentId === undefined ? undefined : host.known(m.parentId);
        // a child follows its parent's fills less its siblings'; a member without a parent gives up what was filled
        if (parent !== undefined && m.status === 'EMULATED' && parent.filledQty === 0) continue; // not armed yet: sized at the parent's fill
        const left = parent !== undefined ? subExact(parent.filledQty, siblingsFilled(m)) : subExact(m.quantity, qty);
        if (left <= 0 && m.status === 'RELEASED') {
          waiting.delete(group);
          host.emit(m, { kind: 'OrderCanceled', ...host.base(m), reason: `one-cancels-other: ${filled.clientOrderId} filled it all` });
        } else resize(m, Math.min(left, m.quantity), `one-cancels-other: ${filled.clientOrderId} filled`);
      } else {
        // two members at the venue at once: the rules never send a second one, so this is an order placed around them
        log.warn({ clientOrderId: m.clientOrderId, filled: filled.clientOrderId, group }, 'one-cancels-other: a second member works at the venue; canceled');
        if (m.status !== 'PENDING_CANCEL') host.cancelAtVenue(m);
      }
    }
  };

  /** Its trigger was touched: OrderReleased, then sent, or held while a sibling at the venue is canceled. */
  const release = (order: Order, observed: number): void => {
    forgetExpiry(order);
    host.emit(order, { kind: 'OrderReleased', ...host.base(order), triggerObserved: observed });
    proceed(order, observed);
  };

  /** A released order goes to its venue now, or waits for a sibling working there to be canceled. */
  const proceed = (order: Order, observed: number): void => {
    const group = groupOf.get(order.clientOrderId);
    if (group !== undefined) {
      const first = waiting.get(group);
      if (first !== undefined) {
        host.emit(order, { kind: 'OrderCanceled', ...host.base(order), reason: `one-cancels-other: ${first.order.clientOrderId} was released first` });
        return;
      }
      for (const m of groups.get(group) ?? []) {
        if (m === order || !atVenue(m)) continue;
        waiting.set(group, { order, on: m, observed });
        if (m.status !== 'PENDING_CANCEL') host.cancelAtVenue(m);
        return;
      }
    }
    host.send(order, observed);
  };

  const emulationProblem = (cmd: SubmitOrder): { code: DenialCode; message: string } | undefined => {
    const t = cmd.trigger!;
    if (!(Number.isFinite(t.price) && t.price > 0)) return { code: 'INVALID_PRICE', message: `trigger price ${t.price} is not a positive number` };
    if (cmd.type === 'limit' && cmd.price === undefined) return { code: 'INVALID_PRICE', message: 'a stop-limit or limit-if-touched order needs a limit price' };
    if (t.trailing !== undefined && !(Number.isFinite(t.trailing) && t.trailing > 0)) return { code: 'INVALID_PRICE', message: `trailing distance ${t.trailing} is not a positive number` };
    if (t.trailing !== undefined && (t.kind !== 'stop' || cmd.type !== 'market')) return { code: 'UNSUPPORTED_ORDER', message: 'only a stop-market order can trail' };
    return undefined;
  };

  /** A held order as stored, armed again on its trigger (a trailing stop where its last move left it), unless its parent has not filled. */
  const rearm = (order: Order): void => {
    if (order.status !== 'EMULATED') return;
    const parent = order.parentId === undefined ? undefined : host.known(order.parentId);
    if (order.trigger === undefined) {
      // a plain child whose parent ended (filled) before the restart released it goes now
      if (parent !== undefined && TERMINAL_STATUSES.has(parent.status)) followParent(parent);
      return;
    }
    if (parent === undefined || parent.filledQty > 0) emulator.arm(order);
  };

  const linksFor: Contingent['linksFor'] = (cmd) => {
    let parentId: ClientOrderId | undefined;
    let ocoGroup: string | undefined;
    const foreign = (o: Order, what: string): string | undefined =>
      o.strategyId !== cmd.strategyId ? `${what} ${o.clientOrderId} is not an order of ${cmd.strategyId}`
        : o.instrumentId !== cmd.instrumentId ? `${what} ${o.clientOrderId} is on ${o.instrumentId}, not ${cmd.instrumentId}`
          : undefined;
    if (cmd.parentId !== undefined) {
      const parent = host.known(cmd.parentId);
      if (parent === undefined) return { ok: false, code: 'INVALID_INTENT', message: `parent ${cmd.parentId} is not a known order` };
      const problem = foreign(parent, 'parent');
      if (problem !== undefined) return { ok: false, code: 'INVALID_INTENT', message: problem };
      if (cmd.quantity !== parent.quantity) {
        return { ok: false, code: 'INVALID_INTENT', message: `a one-triggers-other child is sized to its parent's fills: give the parent's quantity ${parent.quantity}, not ${cmd.quantity}` };
      }
      if (TERMINAL_STATUSES.has(parent.status) && parent.filledQty === 0) {
        return { ok: false, code: 'PARENT_DENIED', message: `its parent ${parent.clientOrderId} ended ${parent.status} without a fill` };
      }
      parentId = parent.clientOrderId;
    }
    if (cmd.ocoWith !== undefined) {
      const other = host.known(cmd.ocoWith);
      if (other === undefined) return { ok: false, code: 'INVALID_INTENT', message: `ocoWith ${cmd.ocoWith} is not a known order` };
      const problem = foreign(other, 'ocoWith');
      if (problem !== undefined) return { ok: false, code: 'INVALID_INTENT', message: problem };
      if (!isOpenStatus(other.status)) return { ok: false, code: 'INVALID_INTENT', message: `ocoWith ${other.clientOrderId} is ${other.status}: there is nothing to cancel` };
      ocoGroup = groupOf.get(other.clientOrderId) ?? other.ocoGroup ?? other.clientOrderId;
      if (cmd.trigger === undefined) {
        const members = groups.get(ocoGroup) ?? new Set([other]);
        for (const m of members) {
          if (isOpenStatus(m.status) && (m.trigger === undefined || m.status === 'RELEASED' || atVenue(m))) {
            return { ok: false, code: 'UNSUPPORTED_ORDER', message: `an OCO group has at most one order at the venue at a time, and ${m.clientOrderId} is one: make this one a stop or if-touched order` };
          }
        }
      }
    }
    return { ok: true, links: { parentId, ocoGroup } };
  };

  return {
    linksFor,
    track: adopt,
    get armed() {
      return emulator.armed;
    },
    gauge: emulator.gauge,
    onTick: (tick) => emulator.onTick(tick),
    linked: (order) => (groupOf.size > 0 && groupOf.has(order.clientOrderId)) || (childrenOf.size > 0 && childrenOf.has(order.clientOrderId)),

    emulate(cmd, venue) {
      const problem = cmd.trigger === undefined ? undefined : emulationProblem(cmd);
      if (problem !== undefined) return host.deny(cmd, problem.code, problem.message);
      const links = linksFor(cmd);
      if (!links.ok) return host.deny(cmd, links.code, links.message);
      const order = host.newOrder(cmd, venue, links.links);
      if (cmd.trigger === undefined) {
        // a plain one-triggers-other child: held until its parent is done (the risk layer sees it when it is released)
        const held: OrderEvent = { kind: 'OrderHeld', ...host.base(order), parentId: order.parentId! };
        host.emit(order, order.ocoGroup === undefined ? held : Object.assign(held, { ocoGroup: order.ocoGroup }));
        adopt(order);
        expireLater(order);
        followParent(host.known(order.parentId!)!);
        return;
      }
      const t = cmd.trigger!;
      const event: OrderEvent = { kind: 'OrderEmulated', ...host.base(order), triggerPrice: t.price, triggerType: t.on };
      const extra: Record<string, unknown> = {};
      if (t.trailing !== undefined) extra.trailing = t.trailing;
      if (order.parentId !== undefined) extra.parentId = order.parentId;
      if (order.ocoGroup !== undefined) extra.ocoGroup = order.ocoGroup;
      host.emit(order, Object.assign(event, extra));
      adopt(order);
      expireLater(order);
      if (order.parentId === undefined) emulator.arm(order);
      else followParent(host.known(order.parentId)!);
    },

    bracket(entry, takeProfit, stopLoss, submitEntry) {
      submitEntry();
      const parent = host.known(entry.clientOrderId);
      if (parent === undefined || parent.status === 'DENIED') {
        for (const c of [takeProfit, stopLoss]) host.deny(c, 'PARENT_DENIED', `its bracket entry ${entry.clientOrderId} was denied`);
        return;
      }
      const tp = host.newOrder(takeProfit, parent.venue, { parentId: parent.clientOrderId });
      const sl = host.newOrder(stopLoss, parent.venue, { parentId: parent.clientOrderId, ocoGroup: tp.clientOrderId });
      for (const child of [tp, sl]) {
        const t = child.trigger!;
        const event: OrderEvent = { kind: 'OrderEmulated', ...host.base(child), triggerPrice: t.price, triggerType: t.on, parentId: parent.clientOrderId };
        host.emit(child, child.ocoGroup === undefined ? event : Object.assign(event, { ocoGroup: child.ocoGroup }));
        adopt(child);
        expireLater(child); // the stop-loss's group is named by the take-profit, which joins it with it
      }
      followParent(parent);
    },

    afterEvent(order, event) {
      if (childrenOf.has(order.clientOrderId)) followParent(order);
      const group = groupOf.get(order.clientOrderId);
      if (group === undefined) return;
      if (event.kind === 'OrderFilled') reduceSiblings(group, order, event.lastQty);
      if (!TERMINAL_STATUSES.has(order.status)) return;
      const members = groups.get(group);
      members?.delete(order);
      groupOf.delete(order.clientOrderId);
      const w = waiting.get(group);
      if (w !== undefined && w.order === order) waiting.delete(group);
      else if (w !== undefined && w.on === order) {
        // the member it waited for has ended: it goes now with what is left (or ends if nothing is)
        waiting.delete(group);
        if (w.order.status === 'RELEASED') {
          if (w.order.quantity > 0) host.send(w.order, w.observed);
          else host.emit(w.order, { kind: 'OrderCanceled', ...host.base(w.order), reason: `one-cancels-other: ${order.clientOrderId} filled it all` });
        }
      }
      if (members !== undefined && [...members].every((m) => !isOpenStatus(m.status))) {
        for (const m of members) groupOf.delete(m.clientOrderId);
        groups.delete(group);
      }
    },

    cancelHeld(order) {
      if (unverified.has(order.clientOrderId)) {
        // it may be at the venue (sent just before a crash): canceled here only once the venue has been asked
        host.emit(order, { kind: 'OrderCancelRejected', ...host.base(order), reason: 'not checked at the venue since the restart yet; cancel it again once the venue is reconciled' });
        return true;
      }
      if (order.status === 'EMULATED') {
        cancelHeldOrder(order, 'canceled while emulated');
        return true;
      }
      const group = groupOf.get(order.clientOrderId);
      const w = group === undefined ? undefined : waiting.get(group);
      if (order.status === 'RELEASED' && w?.order === order) {
        host.emit(order, { kind: 'OrderCanceled', ...host.base(order), reason: `canceled while waiting for ${w.on.clientOrderId} to be canceled` });
        return true;
      }
      return false;
    },

    takeOver(order) {
      adopt(order);
      // live asks the venue about every held order first; a RELEASED one (released, waiting for a sibling's cancel)
      // always waits for the start's word on its venue's orders (paper: the simulated venue starts empty)
      if ((opts.verifyHeldOnStart === true && order.status === 'EMULATED') || order.status === 'RELEASED') {
        unverified.set(order.clientOrderId, order);
        return;
      }
      expireLater(order); // past its expiry already: expires at once
      rearm(order);
    },
    heldToVerify: (venue) => [...unverified.values()].filter((o) => o.venue === venue),
    settleHeld(order, report) {
      if (!unverified.delete(order.clientOrderId)) return;
      if (report !== undefined && report.venueOrderId !== undefined) {
        const venueOrderId = report.venueOrderId;
        log.warn({ clientOrderId: order.clientOrderId, venueOrderId, venueStatus: report.status }, 'an emulated order stored as held was found at the venue: released and sent before the restart; adopted');
        host.emit(order, {
          kind: 'OrderAdopted', ...host.base(order), venue: order.venue, venueOrderId,
          reason: `${order.status === 'EMULATED' ? 'released' : 'sent'} before a restart kept that from being stored; found at the venue`,
        }, () => (order.venueOrderId = venueOrderId));
        return;
      }
      if (order.status === 'RELEASED') proceed(order, order.trigger?.price ?? Number.NaN);
      else {
        expireLater(order);
        rearm(order);
      }
    },
  };
}
