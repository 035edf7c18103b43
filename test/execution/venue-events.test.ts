import { describe, expect, it } from 'vitest';
import { createExecFixture, ID } from './fixtures.js';

describe('execution engine: venue events that do not fit', () => {
  it('counts an invalid transition (OrderAccepted twice) without changing the status, publishing or throwing', () => {
    const fx = createExecFixture();
    const id = fx.openOrder();
    const before = fx.published.length;

    expect(() => fx.exec.onVenueEvent(fx.accepted(id))).not.toThrow();
    expect(fx.exec.order(id)?.status).toBe('ACCEPTED');
    expect(fx.published).toHaveLength(before);
    expect(fx.exec.stats.invalidTransitions).toBe(1);
  });

  it('counts an OrderCanceled for a FILLED order as invalid and leaves it FILLED', () => {
    const fx = createExecFixture();
    const id = fx.openOrder({ quantity: 1 });
    fx.exec.onVenueEvent(fx.filled(id, { tradeId: 'T1', qty: 1 }));
    fx.exec.onVenueEvent(fx.canceled(id));
    expect(fx.exec.order(id)?.status).toBe('FILLED');
    expect(fx.exec.stats.invalidTransitions).toBe(1);
    expect(fx.kinds(id)).toEqual(['OrderSubmitted', 'OrderAccepted', 'OrderFilled']);
  });

  it('counts a venue event for an unknown client order id and publishes nothing', () => {
    const fx = createExecFixture();
    fx.exec.onVenueEvent(fx.accepted('ghost-1-1'));
    fx.exec.onVenueEvent(fx.filled('ghost-1-1', { tradeId: 'T1', qty: 1, price: 100, venueOrderId: 'V-9' }));
    expect(fx.published).toEqual([]);
    expect(fx.exec.stats.unknownOrderEvents).toBe(2);
    expect(fx.portfolio.position(ID).fillCount).toBe(0);
  });

  it('treats an OrderAccepted for an order with a cancel pending as valid, and a later OrderCanceled closes it', () => {
    const fx = createExecFixture();
    const cmd = fx.submitCommand();
    fx.exec.submit(cmd);
    fx.exec.cancel(fx.cancelCommand(cmd.clientOrderId));
    fx.exec.onVenueEvent(fx.accepted(cmd.clientOrderId, 'V-7'));
    expect(fx.exec.order(cmd.clientOrderId)).toMatchObject({ status: 'PENDING_CANCEL', venueOrderId: 'V-7' });
    fx.exec.onVenueEvent(fx.canceled(cmd.clientOrderId));
    expect(fx.exec.order(cmd.clientOrderId)?.status).toBe('CANCELED');
    expect(fx.exec.stats.invalidTransitions).toBe(0);
  });

  it('leaves the venue order id as it was when a second OrderAccepted is an invalid transition', () => {
    const fx = createExecFixture();
    const id = fx.openOrder();
    fx.exec.onVenueEvent(fx.accepted(id, 'V-OTHER'));
    expect(fx.exec.stats.invalidTransitions).toBe(1);
    expect(fx.exec.order(id)?.venueOrderId).toBe(`V-${id}`);
  });

  it('leaves price and quantity as they were when an OrderUpdated is an invalid transition', () => {
    const fx = createExecFixture();
    const id = fx.openOrder({ quantity: 1 });
    fx.exec.onVenueEvent(fx.filled(id, { tradeId: 'T1', qty: 1 }));
    fx.exec.onVenueEvent(fx.updated(id, { price: 90, quantity: 0.5 }));
    expect(fx.exec.stats.invalidTransitions).toBe(1);
    expect(fx.exec.order(id)).toMatchObject({ status: 'FILLED', quantity: 1, price: 100 });
  });
});

describe('execution engine: a cancel that crosses the venue accept', () => {
  it('restores ACCEPTED when the venue accepted the order while the cancel was pending and then rejects the cancel', () => {
    const fx = createExecFixture();
    const cmd = fx.submitCommand();
    fx.exec.submit(cmd);
    fx.exec.cancel(fx.cancelCommand(cmd.clientOrderId));
    fx.exec.onVenueEvent(fx.accepted(cmd.clientOrderId));
    fx.exec.onVenueEvent(fx.cancelRejected(cmd.clientOrderId));
    expect(fx.exec.order(cmd.clientOrderId)?.status).toBe('ACCEPTED');
  });

  it('restores PARTIALLY_FILLED when an order filled while its cancel (sent before any accept) was pending', () => {
    const fx = createExecFixture();
    const cmd = fx.submitCommand({ quantity: 1 });
    fx.exec.submit(cmd);
    fx.exec.cancel(fx.cancelCommand(cmd.clientOrderId));
    fx.exec.onVenueEvent(fx.filled(cmd.clientOrderId, { tradeId: 'T1', qty: 0.4, venueOrderId: 'V-1' }));
    fx.exec.onVenueEvent(fx.cancelRejected(cmd.clientOrderId));
    expect(fx.exec.order(cmd.clientOrderId)).toMatchObject({ status: 'PARTIALLY_FILLED', filledQty: 0.4 });
  });
});
