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

  it('rejects per-instrument keys that are neither "*" nor a configured instrument, when given the instrument ids', () => {
    const ids = ['BTCUSD.SIM', 'ETHUSD.SIM'];
    expect(() => validateLimits({ maxPositionQty: { 'BTCUSD.SIM': 1, '*': 2 } }, ids)).not.toThrow();
    expect(() => validateLimits({ maxPositionQty: { 'BTCUSD.SlM': 1 } })).not.toThrow(); // no ids: keys unchecked
    expect(() => validateLimits({ maxPositionQty: { 'BTCUSD.SlM': -1 } }, ids)).toThrow(
      'invalid risk limits: maxPositionQty["BTCUSD.SlM"] must be a non-negative number, got -1; ' +
        'maxPositionQty["BTCUSD.SlM"] is not a configured instrument (known: BTCUSD.SIM, ETHUSD.SIM; use "*" for all)',
    );
  });

  it('shortens a long list of known instruments, and says when none are configured', () => {
    const ids = Array.from({ length: 12 }, (_, i) => `I${i}.SIM`);
    expect(() => validateLimits({ maxOrderQty: { X: 1 } }, ids)).toThrow(
      'maxOrderQty["X"] is not a configured instrument (known: I0.SIM, I1.SIM, I2.SIM, I3.SIM, I4.SIM, I5.SIM, ' +
        'I6.SIM, I7.SIM, … and 4 more; use "*" for all)',
    );
    expect(() => validateLimits({ maxOrderQty: { X: 1 } }, [])).toThrow(
      'maxOrderQty["X"] is not a configured instrument (known: none; use "*" for all)',
    );
  });
});
