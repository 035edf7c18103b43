import { describe, expect, it } from 'vitest';
import { nextStatus, ORDER_TRANSITIONS } from '../../engine/execution/order-fsm.js';
import type { OrderEventKind } from '../../engine/model/events.js';
import type { OrderStatus } from '../../engine/model/order.js';

const ALL_STATUSES = Object.keys(ORDER_TRANSITIONS) as OrderStatus[];
const ALL_EVENTS: OrderEventKind[] = [
  'OrderDenied', 'OrderSubmitted', 'OrderAccepted', 'OrderRejected', 'OrderPendingCancel', 'OrderPendingUpdate',
  'OrderCanceled', 'OrderCancelRejected', 'OrderUpdated', 'OrderModifyRejected', 'OrderExpired', 'OrderFilled', 'OrderEmulated', 'OrderReleased',
];

/** Every valid transition, written out once more by hand: the table must say exactly this. */
const EXPECTED: Array<[OrderStatus, OrderEventKind, OrderStatus, { fullyFilled?: boolean; hasFills?: boolean; before?: OrderStatus }?]> = [
  ['INITIALIZED', 'OrderDenied', 'DENIED'],
  ['INITIALIZED', 'OrderSubmitted', 'SUBMITTED'],
  ['INITIALIZED', 'OrderEmulated', 'EMULATED'],
  ['INITIALIZED', 'OrderHeld', 'EMULATED'],
  ['EMULATED', 'OrderReleased', 'RELEASED'],
  ['EMULATED', 'OrderCanceled', 'CANCELED'],
  ['EMULATED', 'OrderExpired', 'EXPIRED'],
  ['EMULATED', 'OrderCancelRejected', 'EMULATED'],
  ['EMULATED', 'OrderUpdated', 'EMULATED'],
  ['EMULATED', 'OrderModifyRejected', 'EMULATED'],
  ['RELEASED', 'OrderSubmitted', 'SUBMITTED'],
  ['RELEASED', 'OrderDenied', 'DENIED'],
  ['RELEASED', 'OrderCanceled', 'CANCELED'],
  ['RELEASED', 'OrderUpdated', 'RELEASED'], // an OCO member waiting for its sibling at the venue, resized by that sibling's fills
  ['SUBMITTED', 'OrderAccepted', 'ACCEPTED'],
  ['SUBMITTED', 'OrderRejected', 'REJECTED'],
  ['SUBMITTED', 'OrderFilled', 'PARTIALLY_FILLED', { fullyFilled: false }],
  ['SUBMITTED', 'OrderFilled', 'FILLED', { fullyFilled: true }],
  ['SUBMITTED', 'OrderCanceled', 'CANCELED'],
  ['SUBMITTED', 'OrderExpired', 'EXPIRED'],
  ['SUBMITTED', 'OrderPendingCancel', 'PENDING_CANCEL'],
  ['SUBMITTED', 'OrderPendingUpdate', 'PENDING_UPDATE'],
  ['SUBMITTED', 'OrderCancelRejected', 'SUBMITTED'],
  ['SUBMITTED', 'OrderModifyRejected', 'SUBMITTED'],
  ['SUBMITTED', 'OrderUpdated', 'SUBMITTED'],
  ['ACCEPTED', 'OrderFilled', 'PARTIALLY_FILLED', { fullyFilled: false }],
  ['ACCEPTED', 'OrderFilled', 'FILLED', { fullyFilled: true }],
  ['ACCEPTED', 'OrderCanceled', 'CANCELED'],
  ['ACCEPTED', 'OrderExpired', 'EXPIRED'],
  ['ACCEPTED', 'OrderRejected', 'REJECTED'],
  ['ACCEPTED', 'OrderPendingCancel', 'PENDING_CANCEL'],
  ['ACCEPTED', 'OrderPendingUpdate', 'PENDING_UPDATE'],
  ['ACCEPTED', 'OrderUpdated', 'ACCEPTED'],
  ['ACCEPTED', 'OrderCancelRejected', 'ACCEPTED'],
  ['ACCEPTED', 'OrderModifyRejected', 'ACCEPTED'],
  ['PARTIALLY_FILLED', 'OrderFilled', 'PARTIALLY_FILLED', { fullyFilled: false }],
  ['PARTIALLY_FILLED', 'OrderFilled', 'FILLED', { fullyFilled: true }],
  ['PARTIALLY_FILLED', 'OrderCanceled', 'CANCELED'],
  ['PARTIALLY_FILLED', 'OrderExpired', 'EXPIRED'],
  ['PARTIALLY_FILLED', 'OrderPendingCancel', 'PENDING_CANCEL'],
  ['PARTIALLY_FILLED', 'OrderPendingUpdate', 'PENDING_UPDATE'],
  ['PARTIALLY_FILLED', 'OrderUpdated', 'PARTIALLY_FILLED'],
  ['PARTIALLY_FILLED', 'OrderCancelRejected', 'PARTIALLY_FILLED'],
  ['PARTIALLY_FILLED', 'OrderModifyRejected', 'PARTIALLY_FILLED'],
  ['PENDING_CANCEL', 'OrderCanceled', 'CANCELED'],
  ['PENDING_CANCEL', 'OrderCancelRejected', 'ACCEPTED', { before: 'ACCEPTED' }],
  ['PENDING_CANCEL', 'OrderCancelRejected', 'PARTIALLY_FILLED', { before: 'PARTIALLY_FILLED' }],
  ['PENDING_CANCEL', 'OrderCancelRejected', 'PARTIALLY_FILLED', { before: 'ACCEPTED', hasFills: true }],
  ['PENDING_CANCEL', 'OrderCancelRejected', 'SUBMITTED', { before: 'SUBMITTED' }],
  ['PENDING_CANCEL', 'OrderFilled', 'PENDING_CANCEL', { fullyFilled: false }],
  ['PENDING_CANCEL', 'OrderFilled', 'FILLED', { fullyFilled: true }],
  ['PENDING_CANCEL', 'OrderExpired', 'EXPIRED'],
  ['PENDING_CANCEL', 'OrderAccepted', 'PENDING_CANCEL'],
  ['PENDING_CANCEL', 'OrderPendingCancel', 'PENDING_CANCEL'],
  ['PENDING_CANCEL', 'OrderModifyRejected', 'PENDING_CANCEL'],
  ['PENDING_CANCEL', 'OrderUpdated', 'PENDING_CANCEL'],
  ['PENDING_CANCEL', 'OrderCancelRejected', 'PARTIALLY_FILLED', { before: 'SUBMITTED', hasFills: true }],
  ['PENDING_CANCEL', 'OrderRejected', 'REJECTED'],
  ['PENDING_UPDATE', 'OrderUpdated', 'ACCEPTED', { before: 'ACCEPTED' }],
  ['PENDING_UPDATE', 'OrderUpdated', 'PARTIALLY_FILLED', { before: 'ACCEPTED', hasFills: true }],
  ['PENDING_UPDATE', 'OrderModifyRejected', 'PARTIALLY_FILLED', { before: 'PARTIALLY_FILLED' }],
  ['PENDING_UPDATE', 'OrderFilled', 'PENDING_UPDATE', { fullyFilled: false }],
  ['PENDING_UPDATE', 'OrderFilled', 'FILLED', { fullyFilled: true }],
  ['PENDING_UPDATE', 'OrderCanceled', 'CANCELED'],
  ['PENDING_UPDATE', 'OrderExpired', 'EXPIRED'],
  ['PENDING_UPDATE', 'OrderPendingCancel', 'PENDING_CANCEL'],
  ['PENDING_UPDATE', 'OrderAccepted', 'PENDING_UPDATE'],
  ['PENDING_UPDATE', 'OrderRejected', 'REJECTED'],
  ['FILLED', 'OrderCancelRejected', 'FILLED'],
  ['FILLED', 'OrderModifyRejected', 'FILLED'],
  ['CANCELED', 'OrderFilled', 'CANCELED', { fullyFilled: false }],
  ['CANCELED', 'OrderFilled', 'FILLED', { fullyFilled: true }],
  ['CANCELED', 'OrderCancelRejected', 'CANCELED'],
  ['CANCELED', 'OrderModifyRejected', 'CANCELED'],
  ['EXPIRED', 'OrderFilled', 'EXPIRED', { fullyFilled: false }],
  ['EXPIRED', 'OrderCancelRejected', 'EXPIRED'],
  ['EXPIRED', 'OrderModifyRejected', 'EXPIRED'],
  ['REJECTED', 'OrderCancelRejected', 'REJECTED'],
  ['REJECTED', 'OrderModifyRejected', 'REJECTED'],
  ['DENIED', 'OrderCancelRejected', 'DENIED'],
  ['DENIED', 'OrderModifyRejected', 'DENIED'],
];

describe('order state machine table', () => {
  it.each(EXPECTED)('%s + %s → %s', (from, event, to, ctx) => {
    expect(nextStatus(from, event, ctx)).toEqual({ ok: true, next: to });
  });

  it('refuses every pair that is not a listed transition, without throwing', () => {
    const valid = new Set(EXPECTED.map(([s, e]) => `${s}/${e}`));
    let refused = 0;
    for (const s of ALL_STATUSES) {
      for (const e of ALL_EVENTS) {
        if (valid.has(`${s}/${e}`)) continue;
        const t = nextStatus(s, e, { fullyFilled: true });
        expect(t.ok, `${s} + ${e}`).toBe(false);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(60);
  });

  it('treats a duplicate accept and a fill of a filled order as invalid', () => {
    expect(nextStatus('ACCEPTED', 'OrderAccepted').ok).toBe(false);
    expect(nextStatus('FILLED', 'OrderFilled', { fullyFilled: true })).toEqual({ ok: false, reason: 'OrderFilled is not valid for an order in FILLED' });
  });

  it('lets nothing leave DENIED or REJECTED', () => {
    for (const e of ALL_EVENTS) {
      for (const s of ['DENIED', 'REJECTED'] as const) {
        const t = nextStatus(s, e);
        if (t.ok) expect(t.next).toBe(s);
      }
    }
  });
});
