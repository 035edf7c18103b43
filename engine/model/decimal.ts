/**
 * Numbers policy (DESIGN.md "Numbers"):
 * - Market data are plain JS numbers.
 * - Prices, quantities and fees of orders and fills are JS numbers that are *exact carriers* of short decimals:
 *   they are always produced by the helpers below (integer arithmetic on a grid, or decimal.js), so `String(x)` is the
 *   exact decimal. Never add or multiply them as floats; use these helpers or `D()`.
 * - Positions, PnL and other accumulated money are `Amount`s (amount.ts: scaled integers, decimal.js past their range)
 *   and are exposed as numbers only in views.
 * All rounding of order prices and quantities lives here.
 */
import { Decimal as DecimalJs } from 'decimal.js';

/** decimal.js with 34 significant digits (IEEE 754 decimal128), half-even. */
export const Decimal = DecimalJs.clone({ precision: 34, rounding: DecimalJs.ROUND_HALF_EVEN, toExpNeg: -30, toExpPos: 40 });
export type Decimal = InstanceType<typeof Decimal>;
export type DecimalInput = Decimal | number | string;

export const D = (x: DecimalInput): Decimal => new Decimal(x);
export const ZERO: Decimal = new Decimal(0);

/** A number's exact decimal text, never in exponent form (venue wire text: 1e-7 and 1e21 are only then given to decimal.js). */
export const decimalText = (x: number): string => {
  const text = String(x);
  return text.includes('e') ? D(x).toFixed() : text;
};

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

export type RoundMode = 'down' | 'up' | 'nearest';

/**
 * A price or quantity grid (tick size, step size). A number x stands for its shortest decimal `String(x)`, and is
 * rounded to the grid exactly as that decimal would be (decimal.js is the oracle in test/model/grid-exact.test.ts),
 * with one exception: below 2^45 steps, a double within 2 ulps of a grid value is that value (float residue such as
 * 0.1 + 0.2). No decimal of 15 significant digits or fewer is that close to a grid value it is not on (it differs by
 * ≥ 4.5 ulps), so the snap never swallows a digit a caller wrote; and below 2^45 steps 2 ulps are under 1/64 of a
 * step, so it never moves a value far. Beyond, the grid is too fine to tell residue from digits and none is snapped.
 */
export interface Grid {
  readonly step: number;
  readonly decimals: number;
  /**
   * x as a whole number of steps, rounded by mode (after the residue snap). Exact while the count is a safe integer;
   * past 2^53 steps it is the float estimate (market data sizes only: no order gets there, `round` denies it).
   */
  units(x: number, mode: RoundMode): number;
  /** n steps as the double nearest the exact decimal. */
  fromUnits(n: number): number;
  /**
   * x on the grid, rounded by mode, as the number whose shortest decimal is exactly that grid value; NaN when no
   * number carries it exactly (more than 2^53 steps, or more significant digits than a double holds): callers deny.
   */
  round(x: number, mode: RoundMode): number;
  /** x is a grid value (or float residue of one) that `round` carries; false for NaN, ±Infinity. */
  isOnGrid(x: number): boolean;
}

/**
 * Grid values below 10^15 units of the step's last decimal have at most 15 significant digits, so each has its own
 * double whose shortest decimal is that value, and comparing x with that double compares their decimals exactly.
 */
const DIGITS15 = 1e15;
/** The residue snap: |x − g| ≤ 2 ε |g| is 2 to 4 ulps of g; only for grid values below 2^45 steps (see Grid). */
const SNAP = 2 * Number.EPSILON;
const SNAP_COUNT = 2 ** 45;
const SAFE_COUNT = 2 ** 53;
/** Exact for the slow path's products (≤ 17 + 16 digits) and halvings; it never divides by anything but 2. */
const GridDecimal = DecimalJs.clone({ precision: 80, rounding: DecimalJs.ROUND_HALF_EVEN, toExpNeg: -400, toExpPos: 400 });

export function createGrid(step: number): Grid {
  if (!(step > 0) || !Number.isFinite(step)) throw new RangeError(`grid step must be a positive number, got ${step}`);
  const decimals = decimalsOf(step);
  const scale = pow10(decimals);
  const exactStep = new GridDecimal(step);
  const stepUnits = exactStep.times(GridDecimal.pow(10, decimals)).toNumber();
  // Integer fast path: 10^decimals is an exact double, and below fastLimit every candidate k · stepUnits stays
  // below 10^15, while the float estimate of x / step (three roundings) is within 0.34 of the exact quotient.
  const fast = decimals <= 22 && stepUnits <= 1e14;
  const fastLimit = DIGITS15 - 2 * stepUnits;
  /** The double nearest grid value k (exact decimal, one correctly rounded division) while |k · stepUnits| < 2^53. */
  const at = (k: number): number => (k * stepUnits) / scale;
  /** x is float residue of g, the double of grid value k. */
  const residue = (x: number, g: number, k: number): boolean => Math.abs(x - g) <= SNAP * Math.abs(g) && Math.abs(k) <= SNAP_COUNT;
  const snaps = (x: number, k: number): boolean => Math.abs(k * stepUnits) < DIGITS15 && residue(x, at(k), k);

  /**
   * |x| · 10^decimals < fastLimit: the float estimate q of x / step is within 0.34 of the exact quotient (and the
   * residue window within 1/64), so its nearest integer r is the grid value x is on (or residue of), or else one of
   * x's two neighbours; comparing x with r's double tells which, exactly (every candidate has ≤ 15 digits).
   */
  const unitsFast = (x: number, q: number, mode: RoundMode): number => {
    const r = Math.round(q);
    const g = at(r);
    if (x === g || residue(x, g, r)) return r;
    const k = g < x ? r : r - 1; // the exact floor
    if (mode === 'down') return k;
    if (mode === 'up') return k + 1;
    const mid = ((2 * k + 1) * stepUnits) / (2 * scale);
    return x > mid ? k + 1 : x < mid ? k : unitsSlow(x, mode);
  };

  /** Everything else, in decimal.js: the exact floor by comparing products, no division. */
  const unitsSlow = (x: number, mode: RoundMode): number => {
    const q = x / step;
    if (!(Math.abs(q) < SAFE_COUNT)) return mode === 'down' ? Math.floor(q) : mode === 'up' ? Math.ceil(q) : Math.round(q);
    const exact = new GridDecimal(x);
    let k = Math.floor(q);
    while (exactStep.times(k).gt(exact)) k--;
    while (exactStep.times(k + 1).lte(exact)) k++;
    if (fast && (snaps(x, k) || snaps(x, k + 1))) return snaps(x, k) ? k : k + 1;
    const below = exactStep.times(k);
    if (below.eq(exact) || mode === 'down') return k;
    if (mode === 'up') return k + 1;
    return exact.gte(below.plus(exactStep.div(2))) ? k + 1 : k;
  };

  const units = (x: number, mode: RoundMode): number => {
    if (fast) {
      const scaled = x * scale;
      if (Math.abs(scaled) < fastLimit) return unitsFast(x, scaled / stepUnits, mode);
    }
    return unitsSlow(x, mode);
  };

  const fromUnits = (n: number): number => {
    const scaled = n * stepUnits;
    return decimals <= 22 && Math.abs(scaled) < SAFE_COUNT ? scaled / scale : exactStep.times(n).toNumber();
  };

  /** The number that carries grid value k exactly, or NaN. */
  const carry = (k: number): number => {
    if (!Number.isSafeInteger(k)) return NaN;
    if (fast && Math.abs(k * stepUnits) < DIGITS15) return at(k);
    const exact = exactStep.times(k);
    const x = exact.toNumber();
    return new GridDecimal(x).eq(exact) ? x : NaN;
  };

  return {
    step,
    decimals,
    units,
    fromUnits,
    round: (x, mode) => carry(units(x, mode)),
    isOnGrid: (x) => {
      const scaled = x * scale;
      if (fast && Math.abs(scaled) < fastLimit) {
        const r = Math.round(scaled / stepUnits);
        const g = at(r);
        return x === g || residue(x, g, r);
      }
      if (!Number.isFinite(x)) return false;
      const k = unitsSlow(x, 'nearest');
      const g = carry(k);
      return g === x || (fast && snaps(x, k));
    },
  };
}

/** Side-aware price rounding: a buy rounds down to the tick, a sell up (never a worse price than asked). NaN: deny. */
export function roundPrice(grid: Grid, price: number, side: 'buy' | 'sell'): number {
  return grid.round(price, side === 'buy' ? 'down' : 'up');
}

/** Quantity truncates down to the step. NaN when no number carries the result exactly: deny. */
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
