/**
 * Numbers policy (DESIGN.md "Numbers"):
 * - Market data are plain JS numbers.
 * - Prices, quantities and fees of orders and fills are JS numbers that are *exact carriers* of short decimals:
 *   they are always produced by the helpers below (integer arithmetic on a grid, or decimal.js), so `String(x)` is the
 *   exact decimal. Never add or multiply them as floats; use these helpers or `D()`.
 * - Positions, PnL and other accumulated money live in decimal.js (`D`) and are exposed as numbers only in views.
 * All rounding of order prices and quantities lives here.
 */
import { Decimal as DecimalJs } from 'decimal.js';

/** decimal.js with 34 significant digits (IEEE 754 decimal128), half-even. */
export const Decimal = DecimalJs.clone({ precision: 34, rounding: DecimalJs.ROUND_HALF_EVEN, toExpNeg: -30, toExpPos: 40 });
export type Decimal = InstanceType<typeof Decimal>;
export type DecimalInput = Decimal | number | string;

export const D = (x: DecimalInput): Decimal => new Decimal(x);
export const ZERO: Decimal = new Decimal(0);

/** Number of decimal places in the shortest representation of x (1e-8 → 8, 0.25 → 2, 100 → 0). */
export function decimalsOf(x: number): number {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  if (Number.isInteger(x)) return 0;
  const s = String(Math.abs(x));
  const e = s.indexOf('e-');
  if (e >= 0) {
    const mantissa = s.slice(0, e);
    const dot = mantissa.indexOf('.');
    return Number(s.slice(e + 2)) + (dot >= 0 ? mantissa.length - dot - 1 : 0);
  }
  return s.length - s.indexOf('.') - 1;
}

const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);
const pow10 = (n: number): number => POW10[n] ?? 10 ** n;

/**
 * How far (in steps) a float may sit from a grid line and still be taken to be on it: absorbs 0.1 + 0.2 style residue
 * (a few ulps), never a real difference. Absolute 1e-9 steps for ordinary sizes; for very large step counts the
 * float's own precision (16 ulps of the quotient) — a relative 1e-9 would swallow real digits there (5.123456789 at
 * step 1e-8 is 512345678.9 steps and must truncate to 512345678).
 */
const onGridTolerance = (q: number): number => Math.max(1e-9, Math.abs(q) * 16 * Number.EPSILON);

export type RoundMode = 'down' | 'up' | 'nearest';

/** A price or quantity grid (tick size, step size): exact rounding with integer arithmetic. */
export interface Grid {
  readonly step: number;
  readonly decimals: number;
  /** x as a whole number of steps; floats within ON_GRID_EPS of a grid line snap to it, others round by mode. */
  units(x: number, mode: RoundMode): number;
  /** n steps as the double nearest the exact decimal. */
  fromUnits(n: number): number;
  round(x: number, mode: RoundMode): number;
  isOnGrid(x: number): boolean;
}

export function createGrid(step: number): Grid {
  if (!(step > 0) || !Number.isFinite(step)) throw new RangeError(`grid step must be a positive number, got ${step}`);
  const decimals = decimalsOf(step);
  const scale = pow10(decimals);
  const stepUnits = Math.round(step * scale);
  const units = (x: number, mode: RoundMode): number => {
    const q = x / step;
    const r = Math.round(q);
    if (Math.abs(q - r) <= onGridTolerance(q)) return r;
    return mode === 'down' ? Math.floor(q) : mode === 'up' ? Math.ceil(q) : r;
  };
  const fromUnits = (n: number): number => (n * stepUnits) / scale;
  return {
    step,
    decimals,
    units,
    fromUnits,
    round: (x, mode) => fromUnits(units(x, mode)),
    isOnGrid: (x) => {
      const q = x / step;
      return Math.abs(q - Math.round(q)) <= onGridTolerance(q);
    },
  };
}

/** Side-aware price rounding: a buy rounds down to the tick, a sell up (never a worse price than asked). */
export function roundPrice(grid: Grid, price: number, side: 'buy' | 'sell'): number {
  return grid.round(price, side === 'buy' ? 'down' : 'up');
}

/** Quantity truncates down to the step. */
export function truncateQty(grid: Grid, qty: number): number {
  return grid.round(qty, 'down');
}

/**
 * Below 2^50 a carrier scaled by its power of ten is within a quarter of its integer, so Math.round gives the exact
 * scaled value; at or above it (about 16 significant digits) decimal.js does the sum or product instead.
 */
const EXACT_UNITS = 2 ** 50;

/** Exact a + b for short decimals carried as numbers. */
export function addExact(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return D(a).plus(b).toNumber();
  const d = Math.max(decimalsOf(a), decimalsOf(b));
  const s = pow10(d);
  const ua = Math.round(a * s);
  const ub = Math.round(b * s);
  // past 22 decimals the power of ten is not an exact double, so the division would round wrongly
  if (d > 22 || Math.abs(ua) >= EXACT_UNITS || Math.abs(ub) >= EXACT_UNITS) return D(a).plus(b).toNumber();
  return (ua + ub) / s;
}

/**
 * Exact Σ price × qty of an order's fills after one more fill, for its average price. While an order has one fill its
 * average is that fill's price and no sum is kept (most orders, no decimal.js); from the second fill, `notional` is
 * the sum so far, or undefined the first time, when it is rebuilt from `firstPrice` × `filledBefore`.
 */
export function fillNotionalAfter(notional: Decimal | undefined, firstPrice: number, filledBefore: number, price: number, qty: number): Decimal {
  return (notional ?? D(firstPrice).times(filledBefore)).plus(D(price).times(qty));
}

/** Exact a - b for short decimals carried as numbers. */
export function subExact(a: number, b: number): number {
  return addExact(a, -b);
}

/**
 * The exact product of short decimals carried as numbers, returned as the nearest double. Integer arithmetic when the
 * scaled product stays a safe integer (then one correctly rounded division by a power of ten gives exactly what
 * decimal.js would: it is on the order path, for fees), decimal.js otherwise.
 */
export function mulExact(...factors: number[]): number {
  let product = 1;
  let decimals = 0;
  for (const x of factors) {
    if (!Number.isFinite(x)) return mulExactSlow(factors);
    const d = decimalsOf(x);
    const units = Math.round(x * pow10(d));
    product *= units;
    decimals += d;
    if (Math.abs(units) >= EXACT_UNITS || !Number.isSafeInteger(product) || decimals > 22) return mulExactSlow(factors);
  }
  return product / pow10(decimals);
}

function mulExactSlow(factors: readonly number[]): number {
  let p = D(1);
  for (const x of factors) p = p.times(x);
  return p.toNumber();
}

/**
 * Compare two floats that stand for decimals computed by float arithmetic (e.g. a notional price × qty),
 * treating values within a relative 1e-12 as equal. Returns -1, 0 or 1.
 */
export function compareApprox(a: number, b: number): -1 | 0 | 1 {
  const tol = 1e-12 * Math.max(Math.abs(a), Math.abs(b));
  if (a < b - tol) return -1;
  if (a > b + tol) return 1;
  return 0;
}
