import { describe, expect, it } from 'vitest';
import { limitFor, validateLimits, type RiskLimits } from '../../engine/risk/index.js';

describe('limitFor', () => {
  it("prefers the instrument's own entry, then the '*' default, else no limit", () => {
    expect(limitFor({ 'BTCUSD.SIM': 1, '*': 5 }, 'BTCUSD.SIM')).toBe(1);
    expect(limitFor({ 'BTCUSD.SIM': 1, '*': 5 }, 'ETHUSD.SIM')).toBe(5);
    expect(limitFor({ 'BTCUSD.SIM': 0 }, 'BTCUSD.SIM')).toBe(0);
    expect(limitFor({ 'BTCUSD.SIM': 1 }, 'ETHUSD.SIM')).toBeUndefined();
    expect(limitFor(undefined, 'ETHUSD.SIM')).toBeUndefined();
  });
});

describe('validateLimits', () => {
  it('accepts a complete, well-formed config', () => {
    const limits: RiskLimits = {
      pricePolicy: 'reject',
      qtyPolicy: 'truncate',
      maxOrderQty: { '*': 10 },
      minNotional: { '*': 5 },
      maxNotional: { 'BTCUSD.SIM': 100_000 },
      maxPositionQty: { '*': 3 },
      maxPositionNotional: { '*': 200_000 },
      maxOpenOrders: 50,
      priceBandPct: 5,
      rateLimits: { perVenue: { SIM: '20/1s', '*': '1200/1m' }, perStrategy: '5/500ms' },
    };
    expect(() => validateLimits(limits)).not.toThrow();
    expect(() => validateLimits({})).not.toThrow();
  });

  it('throws one readable error naming every problem', () => {
    const bad = {
      pricePolicy: 'nearest',
      maxPositionQty: { '*': -1 },
      maxOpenOrders: 1.5,
      priceBandPct: 0,
      rateLimits: { perVenue: { SIM: '20/x' } },
      maxOpenOrder: 3,
    } as unknown as RiskLimits;
    expect(() => validateLimits(bad)).toThrow(
      'invalid risk limits: unknown key "maxOpenOrder"; pricePolicy must be "round" or "reject", got "nearest"; ' +
        'maxPositionQty["*"] must be a non-negative number, got -1; maxOpenOrders must be a non-negative integer, got 1.5; ' +
        'priceBandPct must be a positive number, got 0; rateLimits.perVenue["SIM"]: invalid rate limit "20/x"',
    );
  });
});
