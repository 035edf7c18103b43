import { describe, expect, it } from 'vitest';
import type { ApifinyOrderUpdateWire } from '../../../adapters/apifiny/wire.js';
import { createOrderTracker } from '../../../adapters/apifiny/parse.js';

const update = (orderId: string, orderStatus: string, filled = 0): ApifinyOrderUpdateWire =>
  ({
    orderId, orderStatus, symbol: 'BTCUSD', orderSide: 'BUY', orderType: 'LIMIT', limitPrice: 100, quantity: 1,
    filledCumulativeQuantity: filled, filledAveragePrice: filled > 0 ? 100 : 0, updatedAt: 5,
    ...(filled > 0
      ? { lastFill: { lastCommission: 0, lastCommissionCurrency: 'USD', lastFilledQuantity: filled, lastFilledPrice: 100, lastFilledCreatedAt: 5, isTaker: true } }
      : {}),
  }) as unknown as ApifinyOrderUpdateWire;

describe('apifiny order tracker', () => {
  it('gives nothing for repeats of a done order it remembers, and forgets done orders past its retention', () => {
    const forgotten: string[] = [];
    const t = createOrderTracker('APIFINY', { retention: { keep: 1, minAgeMs: 1_000 }, onForget: (id) => forgotten.push(id) });
    expect(t.observe(update('A', 'FILLED', 1), 'mm-1-1', 'BTCUSD.VENUE1', 0).map((e) => e.kind)).toEqual(['OrderAccepted', 'OrderFilled']);
    expect(t.observe(update('A', 'FILLED', 1), 'mm-1-1', 'BTCUSD.VENUE1', 10)).toEqual([]);
    expect(t.reject('B', 500)).toBe(true);
    expect(forgotten).toEqual([]); // A is younger than minAgeMs
    t.observe(update('C', 'CANCELLED'), 'mm-1-3', 'BTCUSD.VENUE1', 2_000);
    expect(forgotten).toEqual(['A', 'B']);
    expect(t.isDone('A')).toBe(false);
    expect(t.isDone('C')).toBe(true);
  });
});
