/**
 * Amount (scaled integers, decimal.js past their range) against decimal.js itself: the same value, the same text,
 * for carriers of every size, and sums, products and quotients that cross the safe range both ways.
 */
import { Decimal as DecimalJs } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { add, Amount, mul, mulDiv, sub } from '../../engine/model/amount.js';
import { Decimal } from '../../engine/model/decimal.js';

const Wide = DecimalJs.clone({ precision: 1_000, toExpNeg: -30, toExpPos: 40 });
let seed = 7;
const rnd = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
/** A carrier with 0–12 decimals and 1–17 significant digits, either sign; now and then an integer past 2^53. */
function carrier(): number {
  if (rnd() < 0.05) return Math.round((rnd() - 0.5) * 2 ** 60);
  const decimals = Math.floor(rnd() * 13);
  const x = Number(((rnd() - 0.5) * 10 ** Math.floor(rnd() * 12)).toFixed(decimals));
  return x === 0 ? 0 : x;
}

describe('Amount', () => {
  it('reads a number as its shortest decimal, as decimal.js does, and prints it the same', () => {
    for (let i = 0; i < 20_000; i++) {
      const x = carrier();
      const a = Amount.of(x);
      expect(a.toString(), String(x)).toBe(new Decimal(x).toString());
      expect(a.toNumber()).toBe(x);
      expect(Amount.parse(a.toString()).toString()).toBe(a.toString());
    }
    for (const x of [0.1, 0.3, 1e-7, 1.5e-10, 123456789.123456, 2 ** 53 + 2, 1e21, 5e-324, 0.1 + 0.2]) {
      expect(Amount.of(x).toString(), String(x)).toBe(new Decimal(x).toString());
    }
  });

  it('adds, subtracts and multiplies exactly, in or out of the safe range', () => {
    for (let i = 0; i < 20_000; i++) {
      const [x, y] = [carrier(), carrier()];
      const [a, b] = [Amount.of(x), Amount.of(y)];
      const [wx, wy] = [new Wide(x), new Wide(y)];
      expect(add(a, b).toString(), `${x} + ${y}`).toBe(new Decimal(wx.plus(wy)).toString());
      expect(sub(a, b).toString(), `${x} - ${y}`).toBe(new Decimal(wx.minus(wy)).toString());
      expect(mul(a, b).toString(), `${x} * ${y}`).toBe(new Decimal(wx.times(wy)).toString());
      expect(a.cmp(b), `${x} cmp ${y}`).toBe(wx.cmp(wy));
    }
  });

  it('comes back to the integer form when a sum that left it fits again', () => {
    const big = mul(Amount.of(123456789.123456), Amount.of(98765.4321)); // 19 significant digits: decimal.js
    expect(big.isBig).toBe(true);
    const back = sub(big, big);
    expect(back.isBig).toBe(false);
    expect(back.isZero()).toBe(true);
    const half = sub(add(big, Amount.of(0.5)), big);
    expect([half.isBig, half.toString()]).toEqual([false, '0.5']);
  });

  it('divides exactly when the quotient terminates, and to 34 significant digits (as decimal.js) when it does not', () => {
    for (let i = 0; i < 5_000; i++) {
      const [x, y, z] = [carrier(), carrier(), carrier() || 1];
      const want = Decimal.div(new Decimal(new Wide(x).times(y)), new Decimal(z));
      expect(mulDiv(Amount.of(x), Amount.of(y), Amount.of(z)).toString(), `${x} * ${y} / ${z}`).toBe(want.toString());
    }
    expect(mulDiv(Amount.of(30.05), Amount.of(0.1), Amount.of(0.3)).toString()).toBe(Decimal.div(3.005, 0.3).toString());
    expect(mulDiv(Amount.of(30.6), Amount.of(0.1), Amount.of(0.3))).toMatchObject({ units: 102, scale: 1 });
  });

  it('refuses text that is not a decimal number', () => {
    expect(() => Amount.parse('12,5')).toThrow();
    expect(Amount.parse('-0.000001').toString()).toBe('-0.000001');
    expect(Amount.parse('1e-7').toString()).toBe('0.0000001');
  });
});
