/**
 * Round trips from fills (average-cost method) against a hand-computed example: adding, a partial close, a flip that
 * closes one trip and opens the next with the rest (fee split in proportion), exact decimals, a trip still open.
 */
import { describe, expect, it } from 'vitest';
import { roundTrips, type TripFill } from '../../engine/report/round-trips.js';

const f = (instrumentId: string, side: 'buy' | 'sell', qty: string, price: string, fee: string, tsEvent: number): TripFill => ({ instrumentId, side, qty, price, fee, tsEvent });

const FILLS: TripFill[] = [
  f('X', 'buy', '10', '100', '1', 1000), // long 10 @ 100
  f('X', 'buy', '10', '110', '1', 2000), // long 20, average 105
  f('X', 'sell', '5', '120', '0.5', 3000), // partial close: 5 × (120 − 105) = 75
  f('Z', 'buy', '3', '0.1', '0', 3500),
  f('X', 'sell', '25', '90', '2.5', 4000), // closes 15: 15 × (90 − 105) = −225, fee 2.5 × 15/25 = 1.5; short 10 @ 90, fee 1
  f('Y', 'buy', '1', '3', '0', 5000), // still open at the end: not listed
  f('Z', 'sell', '1', '0.2', '0', 5500), // 0.2 − 0.1
  f('X', 'buy', '10', '85', '1', 6000), // closes the short: 10 × (90 − 85) = 50
  f('Z', 'sell', '2', '0.3', '0', 7000), // 0.6 − 0.2
];

describe('roundTrips', () => {
  it('matches the hand-computed trips', () => {
    const trips = roundTrips(FILLS);
    // in the order they closed
    expect(trips.map((t) => [t.instrumentId, t.exitTime])).toEqual([['X', 4000], ['X', 6000], ['Z', 7000]]);
    expect(trips[0]).toEqual({
      instrumentId: 'X', side: 'long', entryTime: 1000, exitTime: 4000, quantity: '20', entryPrice: '105',
      exitPrice: '97.5', // (5 × 120 + 15 × 90) / 20
      pnl: '-150', fees: '4', netPnl: '-154', durationMs: 3000, fills: 4,
    });
    expect(trips[2]).toEqual({
      instrumentId: 'Z', side: 'long', entryTime: 3500, exitTime: 7000, quantity: '3', entryPrice: '0.1',
      exitPrice: expect.stringMatching(/^0\.2666666666666666666666666666666667$/) as unknown as string, // (0.2 + 0.6) / 3
      pnl: '0.5', fees: '0', netPnl: '0.5', durationMs: 3500, fills: 3,
    });
    expect(trips[1]).toEqual({
      instrumentId: 'X', side: 'short', entryTime: 4000, exitTime: 6000, quantity: '10', entryPrice: '90', exitPrice: '85',
      pnl: '50', fees: '2', netPnl: '48', durationMs: 2000, fills: 2,
    });
  });

  it('multiplies PnL by the contract size', () => {
    const trips = roundTrips(FILLS.filter((x) => x.instrumentId === 'X'), () => 1000);
    expect(trips.map((t) => t.pnl)).toEqual(['-150000', '50000']);
  });
});
