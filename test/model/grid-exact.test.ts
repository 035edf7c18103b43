/**
 * Property tests of the grid helpers against decimal.js: a number stands for its shortest decimal, and rounding it to
 * a tick or step must give exactly what decimal.js gives for that decimal, at every size, or NaN (a denial) where no
 * number carries the result exactly.
 */
import { Decimal as DecimalJs } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { createGrid, roundPrice, truncateQty, type Grid } from '../../engine/model/decimal.js';
import { createPrng } from '../venues/prng.js';

/** The oracle: wide enough that every quotient below is exact to far more digits than a floor or ceiling needs. */
const Oracle = DecimalJs.clone({ precision: 120, toExpNeg: -400, toExpPos: 400 });
type Exact = InstanceType<typeof Oracle>;
const exact = (x: number | string): Exact => new Oracle(typeof x === 'number' ? String(x) : x);

const STEPS = [0.01, 0.5, 1e-8, 0.0001, 5, 25, 0.05, 1, 0.25, 1e-5];
const rng = createPrng(20240607);
const int = (n: number): number => Math.floor(rng() * n);

/** A decimal of 1 to 15 significant digits, `magnitude` orders of ten around the step, as its shortest-form number. */
function randomDecimal(step: number, magnitude: number): number {
  const digits = 1 + int(15);
  let mantissa = String(1 + int(9));
  for (let i = 1; i < digits; i++) mantissa += String(int(10));
  const e = Math.floor(Math.log10(step)) + magnitude - digits + 1;
  return Number(`${mantissa}e${e}`);
}

/** A decimal of at most 15 significant digits next to a grid value: a grid value k · step plus or minus a few units of its 15th digit. */
function nearGridDecimal(step: number, maxSteps: number): number {
  const k = exact(Math.floor(rng() * maxSteps) + 1);
  const g = exact(step).times(k);
  const unit = exact(10).pow(g.e - 14);
  const x = g.plus(unit.times(int(7) - 3)).toSignificantDigits(15);
  return x.toNumber();
}

/** Sizes from a thousandth of a step to 10^22 steps, and the hardest cases: one digit off a grid line, everywhere. */
function inputs(step: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(randomDecimal(step, int(26) - 3));
    out.push(nearGridDecimal(step, 10 ** (1 + int(16))));
  }
  return out;
}

/** What decimal.js says: the grid value as a decimal, or undefined when no number carries it exactly (deny). */
function oracleRound(x: number, step: number, mode: 'down' | 'up'): Exact | undefined {
  const q = exact(x).div(exact(step));
  const k = mode === 'down' ? q.floor() : q.ceil();
  if (k.abs().gte(2 ** 53)) return undefined;
  const v = k.times(exact(step));
  return exact(v.toNumber()).eq(v) ? v : undefined;
}

function expectExact(grid: Grid, x: number, mode: 'down' | 'up', got: number): void {
  const want = oracleRound(x, grid.step, mode);
  const what = `${mode} ${x} at step ${grid.step}`;
  if (want === undefined) {
    expect(got, `${what} cannot be carried exactly: deny`).toBeNaN();
    return;
  }
  expect(exact(got).toString(), what).toBe(want.toString());
  // and the properties themselves, so a wrong oracle could not hide a wrong helper
  const gap = exact(x).minus(exact(got));
  expect(exact(got).mod(exact(grid.step)).isZero(), `${what}: on the grid`).toBe(true);
  expect(mode === 'down' ? gap.gte(0) : gap.lte(0), `${what}: on the ${mode} side of the input`).toBe(true);
  expect(gap.abs().lt(exact(grid.step)), `${what}: within one step`).toBe(true);
}

/** The double next to x, `n` ulps away. */
function ulpsAway(x: number, n: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigInt64(0, view.getBigInt64(0) + BigInt(n));
  return view.getFloat64(0);
}

describe('grid helpers against decimal.js', () => {
  it('rounds a buy price down to the tick, exactly, at every size from a thousandth of a tick to 10^22 ticks', () => {
    for (const step of STEPS) {
      const grid = createGrid(step);
      for (const x of inputs(step, 400)) expectExact(grid, x, 'down', roundPrice(grid, x, 'buy'));
    }
  });

  it('rounds a sell price up to the tick, exactly, at every size from a thousandth of a tick to 10^22 ticks', () => {
    for (const step of STEPS) {
      const grid = createGrid(step);
      for (const x of inputs(step, 400)) expectExact(grid, x, 'up', roundPrice(grid, x, 'sell'));
    }
  });

  it('truncates a quantity down to the step, exactly, at every size', () => {
    for (const step of STEPS) {
      const grid = createGrid(step);
      for (const x of inputs(step, 400)) expectExact(grid, x, 'down', truncateQty(grid, x));
    }
  });

  it('counts whole steps exactly wherever the count is a safe integer', () => {
    for (const step of STEPS) {
      const grid = createGrid(step);
      for (const x of inputs(step, 200)) {
        const q = exact(x).div(exact(step));
        if (q.abs().gte(2 ** 53)) continue;
        expect(String(grid.units(x, 'down')), `down ${x} at ${step}`).toBe(q.floor().toString());
        expect(String(grid.units(x, 'up')), `up ${x} at ${step}`).toBe(q.ceil().toString());
      }
    }
  });

  it('tells a value on the grid from one a digit off it, as decimal.js does', () => {
    for (const step of STEPS) {
      const grid = createGrid(step);
      for (const x of inputs(step, 200)) {
        const on = exact(x).mod(exact(step)).isZero() && oracleRound(x, step, 'down') !== undefined;
        expect(grid.isOnGrid(x), `${x} at ${step}`).toBe(on);
      }
    }
  });

  it('rounds a buy price down and a sell price up to the tick beyond 1e14 ticks', () => {
    for (const step of [5, 0.5, 0.01]) {
      const grid = createGrid(step);
      for (const ticks of [1.5e14, 3e14, 7e14, 2e15, 9e15]) {
        // a fifth of a tick above a grid line, as the double that carries it (its shortest decimal is what counts)
        const x = exact(ticks).plus('0.2').times(exact(step)).toNumber();
        expectExact(grid, x, 'down', roundPrice(grid, x, 'buy'));
        expectExact(grid, x, 'up', roundPrice(grid, x, 'sell'));
        const off = !exact(x).mod(exact(step)).isZero();
        if (off && !Number.isNaN(roundPrice(grid, x, 'sell'))) expect(roundPrice(grid, x, 'sell')).toBeGreaterThan(roundPrice(grid, x, 'buy'));
      }
    }
  });

  it('does not round a quantity a ten-billionth of a step below a line up to it', () => {
    for (const step of STEPS) {
      const grid = createGrid(step);
      const x = exact(step).times(7).minus(exact(step).div(1e10)).toNumber();
      expect(truncateQty(grid, x), `${x} at ${step}`).toBe(exact(step).times(6).toNumber());
    }
  });

  it('takes a double within 2 ulps of a grid value to be that value (float residue), on both sides', () => {
    for (const step of STEPS) {
      const grid = createGrid(step);
      for (let i = 0; i < 300; i++) {
        const g = exact(step).times(int(10 ** (1 + int(12))) + 1).toNumber();
        const x = ulpsAway(g, int(5) - 2);
        expect(roundPrice(grid, x, 'buy'), `buy ${x} near ${g}`).toBe(g);
        expect(roundPrice(grid, x, 'sell'), `sell ${x} near ${g}`).toBe(g);
        expect(grid.isOnGrid(x), `${x} near ${g}`).toBe(true);
      }
    }
  });

  it('keeps any double on the grid, within one step, and on its side unless it is residue of the result', () => {
    for (const step of STEPS) {
      const grid = createGrid(step);
      for (let i = 0; i < 400; i++) {
        const x = (rng() + 0.001) * 10 ** (int(20) - 4) * step; // arbitrary doubles, up to 17 digits
        for (const side of ['buy', 'sell'] as const) {
          const r = roundPrice(grid, x, side);
          if (Number.isNaN(r)) continue;
          const gap = exact(x).minus(exact(r));
          expect(exact(r).mod(exact(step)).isZero(), `${side} ${x} at ${step}`).toBe(true);
          expect(gap.abs().lt(exact(step)), `${side} ${x} at ${step}`).toBe(true);
          const wrongSide = side === 'buy' ? gap.lt(0) : gap.gt(0);
          if (wrongSide) expect(Math.abs(x - r), `${side} ${x} at ${step}: residue`).toBeLessThanOrEqual(2 * Number.EPSILON * Math.abs(r));
        }
      }
    }
  });

  it('returns NaN, for callers to deny, when no number carries the rounded value exactly', () => {
    const sats = createGrid(1e-8);
    expect(truncateQty(sats, 1e300)).toBeNaN();
    expect(roundPrice(createGrid(5), 5e15, 'sell')).toBe(5e15); // 10^15 ticks, on the grid and carried: kept
    expect(roundPrice(createGrid(0.01), 1e14 + 0.125, 'buy')).toBeNaN(); // 10^16 ticks: more than 2^53
    expect(truncateQty(createGrid(1), 2 ** 53)).toBeNaN();
    expect(truncateQty(createGrid(1), 2 ** 53 - 1)).toBe(2 ** 53 - 1);
    expect(sats.isOnGrid(1e300)).toBe(false);
  });
});
