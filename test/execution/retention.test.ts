import { describe, expect, it } from 'vitest';
import { createExecFixture, ID } from './fixtures.js';

/** Submits a limit buy, lets the venue accept and fill it whole (trade id T-<id>); returns its client order id. */
function filledOrder(fx: ReturnType<typeof createExecFixture>): string {
  const id = fx.openOrder();
  fx.exec.onVenueEvent(fx.filled(id, { tradeId: `T-${id}`, qty: 1 }));
  return id;
}

describe('execution engine: closed orders kept in memory', () => {
  it('keeps the newest closed orders and any closed less than minAgeMs ago, and lets the older ones go', () => {
    const fx = createExecFixture({ closedOrders: { keep: 2, minAgeMs: 1_000 } });
    const early = Array.from({ length: 5 }, () => filledOrder(fx)); // closed at t = 1,000
    // all five are younger than minAgeMs: none goes, though more than `keep` are closed
    expect(early.map((id) => fx.exec.order(id)?.status)).toEqual(['FILLED', 'FILLED', 'FILLED', 'FILLED', 'FILLED']);

    fx.clock.advanceTo(2_500);
    const late = filledOrder(fx);
    // the newest two closed orders stay; the older ones have been closed for 1.5 s and go
    expect(early.map((id) => fx.exec.order(id) !== undefined)).toEqual([false, false, false, false, true]);
    expect(fx.exec.order(late)?.status).toBe('FILLED');
    expect(fx.portfolio.position(ID).quantity.toString()).toBe('6');
  });

  it('never lets an open order go, however long it has been open', () => {
    const fx = createExecFixture({ closedOrders: { keep: 1, minAgeMs: 0 } });
    const resting = fx.openOrder();
    fx.clock.advanceTo(1_000_000);
    for (let i = 0; i < 5; i++) filledOrder(fx);
    expect(fx.exec.order(resting)?.status).toBe('ACCEPTED');
    expect(fx.exec.openOrders().map((o) => o.clientOrderId)).toEqual([resting]);
  });

  it('still refuses a duplicate fill of a closed order it keeps; a fill of one it let go is an unknown-order event that moves nothing', () => {
    const fx = createExecFixture({ closedOrders: { keep: 1, minAgeMs: 0 } });
    const gone = filledOrder(fx);
    const kept = filledOrder(fx);
    expect(fx.exec.order(gone)).toBeUndefined();

    fx.exec.onVenueEvent(fx.filled(kept, { tradeId: `T-${kept}`, qty: 1 }));
    expect(fx.exec.stats.duplicateFills).toBe(1);
    fx.exec.onVenueEvent(fx.filled(gone, { tradeId: `T-${gone}`, qty: 1, venueOrderId: `V-${gone}` }));
    expect(fx.exec.stats.unknownOrderEvents).toBe(1);
    expect(fx.portfolio.position(ID).quantity.toString()).toBe('2');
    expect(fx.exec.stats.fills).toBe(2);
  });

  it('keeps a canceled order for a fill that crosses the cancel, within minAgeMs', () => {
    const fx = createExecFixture({ closedOrders: { keep: 0, minAgeMs: 5_000 } });
    const id = fx.openOrder();
    fx.exec.onVenueEvent(fx.canceled(id));
    fx.clock.advanceTo(4_000);
    filledOrder(fx); // closes another order: the canceled one is 3 s old and stays
    fx.exec.onVenueEvent(fx.filled(id, { tradeId: 'late', qty: 1 }));
    expect(fx.exec.stats.unknownOrderEvents).toBe(0);
    expect(fx.portfolio.position(ID).quantity.toString()).toBe('2');
  });
});
