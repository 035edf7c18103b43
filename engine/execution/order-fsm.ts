/**
 * The order state machine as one table: (status, event kind) → next status. Anything not in the table is an invalid
 * transition: the caller logs and counts it and leaves the order as it was; it never throws.
 *
 * Special targets:
 * - FILL: a fill moves to FILLED when nothing is left, else PARTIALLY_FILLED — except that a fill keeps a pending
 *   cancel/update pending, and a late fill after CANCELED/EXPIRED keeps the terminal status (the fill is still applied).
 * - RESTORE: back to the status before PENDING_CANCEL / PENDING_UPDATE (the venue refused, or the update is done).
 * - STAY: valid, no change of status (e.g. a cancel rejected because the order filled meanwhile).
 */
import type { OrderEventKind } from '../model/events.js';
import type { OrderStatus } from '../model/order.js';

export type Target = OrderStatus | 'FILL' | 'RESTORE' | 'STAY';

export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, Partial<Record<OrderEventKind, Target>>>> = {
  // an order found at the venue that the engine had no record of starts as accepted; its fills and state follow
  INITIALIZED: { OrderDenied: 'DENIED', OrderSubmitted: 'SUBMITTED', OrderAdopted: 'ACCEPTED', OrderEmulated: 'EMULATED', OrderHeld: 'EMULATED' },
  // held by the engine's emulator: released when its trigger is touched, canceled or expired without a venue
  // (OrderUpdated: a child resized to its parent's fills or by its OCO siblings' fills, a trailing stop's move)
  // (OrderAdopted: found at the venue after a live restart: released and sent before the crash kept that from the store)
  EMULATED: {
    OrderReleased: 'RELEASED', OrderCanceled: 'CANCELED', OrderExpired: 'EXPIRED', OrderUpdated: 'STAY', OrderCancelRejected: 'STAY', OrderModifyRejected: 'STAY',
    OrderAdopted: 'ACCEPTED',
  },
  // released: submitted as a market or limit order, or denied by the risk layer at that moment
  // (canceled: a paper start finding one stored released but not submitted, its session having ended in between; or an
  // OCO member waiting for its sibling at the venue to be canceled, which filled it all; resized by that sibling's fills)
  RELEASED: { OrderSubmitted: 'SUBMITTED', OrderDenied: 'DENIED', OrderCanceled: 'CANCELED', OrderUpdated: 'STAY', OrderAdopted: 'ACCEPTED' },
  SUBMITTED: {
    OrderAccepted: 'ACCEPTED',
    OrderRejected: 'REJECTED',
    OrderFilled: 'FILL',
    OrderCanceled: 'CANCELED',
    OrderExpired: 'EXPIRED',
    OrderPendingCancel: 'PENDING_CANCEL',
    OrderPendingUpdate: 'PENDING_UPDATE',
    OrderCancelRejected: 'STAY',
    OrderModifyRejected: 'STAY',
    OrderUpdated: 'STAY',
  },
  ACCEPTED: {
    OrderFilled: 'FILL',
    OrderCanceled: 'CANCELED',
    OrderExpired: 'EXPIRED',
    OrderRejected: 'REJECTED',
    OrderPendingCancel: 'PENDING_CANCEL',
    OrderPendingUpdate: 'PENDING_UPDATE',
    OrderUpdated: 'STAY',
    OrderCancelRejected: 'STAY',
    OrderModifyRejected: 'STAY',
  },
  PARTIALLY_FILLED: {
    OrderFilled: 'FILL',
    OrderCanceled: 'CANCELED',
    OrderExpired: 'EXPIRED',
    OrderPendingCancel: 'PENDING_CANCEL',
    OrderPendingUpdate: 'PENDING_UPDATE',
    OrderUpdated: 'STAY',
    OrderCancelRejected: 'STAY',
    OrderModifyRejected: 'STAY',
  },
  PENDING_CANCEL: {
    OrderCanceled: 'CANCELED',
    OrderCancelRejected: 'RESTORE',
    OrderFilled: 'FILL',
    OrderExpired: 'EXPIRED',
    OrderAccepted: 'STAY', // the accept of an order we asked to cancel while it was in flight
    OrderPendingCancel: 'STAY',
    OrderUpdated: 'STAY', // a modify the venue applied before the cancel that followed it
    OrderModifyRejected: 'STAY',
    OrderRejected: 'REJECTED',
  },
  PENDING_UPDATE: {
    OrderUpdated: 'RESTORE',
    OrderModifyRejected: 'RESTORE',
    OrderFilled: 'FILL',
    OrderCanceled: 'CANCELED',
    OrderExpired: 'EXPIRED',
    OrderPendingCancel: 'PENDING_CANCEL',
    OrderAccepted: 'STAY',
    OrderRejected: 'REJECTED',
  },
  FILLED: {
    OrderCancelRejected: 'STAY', // a cancel that crossed the last fill
    OrderModifyRejected: 'STAY',
  },
  CANCELED: {
    OrderFilled: 'FILL', // late fill: executed before the cancel took effect at the venue
    OrderCancelRejected: 'STAY',
    OrderModifyRejected: 'STAY',
  },
  EXPIRED: {
    OrderFilled: 'FILL',
    OrderCancelRejected: 'STAY',
    OrderModifyRejected: 'STAY',
  },
  // a cancel or modify that crossed the rejection (or a local one of a denied order) is answered, nothing moves
  REJECTED: { OrderCancelRejected: 'STAY', OrderModifyRejected: 'STAY' },
  DENIED: { OrderCancelRejected: 'STAY', OrderModifyRejected: 'STAY' },
};

export type Transition = { ok: true; next: OrderStatus } | { ok: false; reason: string };

/**
 * The status after `event` for an order in `status`. `fullyFilled` says whether a fill leaves nothing open;
 * `before` is the status saved when the order went pending, `hasFills` whether it has filled some meanwhile.
 */
export function nextStatus(
  status: OrderStatus,
  event: OrderEventKind,
  ctx: { fullyFilled?: boolean; hasFills?: boolean; before?: OrderStatus } = {},
): Transition {
  const target = ORDER_TRANSITIONS[status][event];
  if (target === undefined) return { ok: false, reason: `${event} is not valid for an order in ${status}` };
  switch (target) {
    case 'STAY':
      return { ok: true, next: status };
    case 'RESTORE': {
      // an order with fills is at least PARTIALLY_FILLED, whatever it was when it went pending
      const before = ctx.before ?? 'ACCEPTED';
      return { ok: true, next: (before === 'ACCEPTED' || before === 'SUBMITTED') && ctx.hasFills ? 'PARTIALLY_FILLED' : before };
    }
    case 'FILL':
      if (status === 'CANCELED' || status === 'EXPIRED') return { ok: true, next: ctx.fullyFilled ? 'FILLED' : status };
      if (ctx.fullyFilled) return { ok: true, next: 'FILLED' };
      if (status === 'PENDING_CANCEL' || status === 'PENDING_UPDATE') return { ok: true, next: status };
      return { ok: true, next: 'PARTIALLY_FILLED' };
    default:
      return { ok: true, next: target };
  }
}
