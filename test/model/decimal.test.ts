import { describe, expect, it } from 'vitest';
import { addExact, compareApprox, createGrid, D, decimalsOf, mulExact, roundPrice, subExact, truncateQty } from '../../engine/model/decimal.js';

describe('decimalsOf', () => {
  it('counts decimal places of plain and exponent forms', () => {
    expect(decimalsOf(100)).toBe(0);
    expect(decimalsOf(0.25)).toBe(2);
    expect(decimalsOf(1e-8)).toBe(8);
    expect(decimalsOf(1.5e-7)).toBe(8);
    expect(decimalsOf(-0.001)).toBe(3);
  });
});

describe('grid rounding', () => {
  const tick = createGrid(0.05);
  const step = createGrid(0.1);

  it('rounds a buy price down and a sell price up to the tick', () => {
    expect(roundPrice(tick, 100.07, 'buy')).toBe(100.05);
    expect(roundPrice(tick, 100.07, 'sell')).toBe(100.1);
  });

  it('keeps a price already on the tick unchanged for both sides', () => {
    expect(roundPrice(tick, 100.05, 'buy')).toBe(100.05);
    expect(roundPrice(tick, 100.05, 'sell')).toBe(100.05);
  });

  it('truncates quantity down to the step without eating float residue', () => {
    expect(truncateQty(step, 0.7 - 0.1)).toBe(0.6); // 0.59999999999999998 must not become 0.5
    expect(truncateQty(step, 0.1 + 0.2)).toBe(0.3);
    expect(truncateQty(step, 0.39)).toBe(0.3);
  });

  it('truncates real digits of large step counts instead of snapping them to the nearest line', () => {
    const sats = createGrid(1e-8);
    expect(truncateQty(sats, 5.123456789)).toBe(5.12345678);
    expect(sats.isOnGrid(5.123456789)).toBe(false);
    expect(sats.isOnGrid(5.12345678)).toBe(true);
    expect(truncateQty(createGrid(1), 1_000_000_000.6)).toBe(1_000_000_000);
    expect(roundPrice(createGrid(0.01), 59_999.99995, 'buy')).toBe(59_999.99);
    expect(roundPrice(createGrid(0.01), 59_999.99995, 'sell')).toBe(60_000);
  });

  it('produces the double nearest the exact decimal', () => {
    expect(String(createGrid(0.1).fromUnits(3))).toBe('0.3');
    expect(String(createGrid(1e-8).fromUnits(123456789))).toBe('1.23456789');
  });

  it('tells on-grid from off-grid values', () => {
    expect(tick.isOnGrid(100.05)).toBe(true);
    expect(tick.isOnGrid(100.07)).toBe(false);
  });

  it('refuses a non-positive step', () => {
    expect(() => createGrid(0)).toThrow(/positive/);
  });
});

describe('exact arithmetic on carriers', () => {
  it('adds and subtracts without residue', () => {
    expect(addExact(0.1, 0.2)).toBe(0.3);
    expect(subExact(0.3, 0.1)).toBe(0.2);
    expect(mulExact(100.1, 0.3)).toBe(30.03);
  });

  it('multiplies several carriers exactly, on the integer path and past it, as decimal.js does', () => {
    expect(mulExact(0.00002, 1.08501, 10_000, 1)).toBe(0.217002);
    expect(mulExact(-0.0001, 27_000.5, 0.003)).toBe(-0.00810015);
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const carrier = (): number => Number((rnd() * 10 ** Math.floor(rnd() * 12 - 4)).toFixed(Math.floor(rnd() * 10)));
    for (let i = 0; i < 2_000; i++) {
      const xs = [carrier(), carrier(), carrier()];
      expect(mulExact(...xs)).toBe(xs.reduce((p, x) => p.times(x), D(1)).toNumber());
    }
    expect(mulExact(123_456_789.123, 987_654.321987)).toBe(D(123_456_789.123).times(987_654.321987).toNumber()); // not a safe integer
    // about 16 significant digits: past the integer path, still exactly decimal.js
    expect(mulExact(0.1, -4.487981486830662)).toBe(D(0.1).times(-4.487981486830662).toNumber());
    expect(mulExact(35.06314969446186, 0.001)).toBe(D(35.06314969446186).times(0.001).toNumber());
    expect(mulExact(Number.NaN, 2)).toBeNaN();
  });

  it('adds carriers exactly, long ones through decimal.js', () => {
    expect(addExact(98_765.4321, 1.2345e-7)).toBe(D(98_765.4321).plus(1.2345e-7).toNumber());
    expect(addExact(1e-23, 0)).toBe(1e-23); // more than 22 decimals
    expect(addExact(-8.0673e-21, 0)).toBe(-8.0673e-21);
    expect(addExact(Number.NaN, 1)).toBeNaN();
    expect(addExact(Number.POSITIVE_INFINITY, 1)).toBe(Number.POSITIVE_INFINITY);
    let seed = 3;
    const rnd = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const carrier = (): number => Number((rnd() * 10 ** Math.floor(rnd() * 10)).toFixed(Math.floor(rnd() * 10)));
    for (let i = 0; i < 5_000; i++) {
      const [a, b] = [carrier(), carrier()];
      expect(addExact(a, b)).toBe(D(a).plus(b).toNumber());
    }
  });

  it('compares float notionals with a relative tolerance', () => {
    expect(compareApprox(0.1 * 3, 0.3)).toBe(0);
    expect(compareApprox(9.99, 10)).toBe(-1);
  });
});
