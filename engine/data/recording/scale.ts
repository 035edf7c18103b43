/**
 * Decimal scale detection. A column of JS numbers is stored as integers at one decimal scale s (0..12) when every
 * value v satisfies `Math.round(v * 10^s) / 10^s === v` (Object.is, so -0 is kept apart) with |int| ≤ 2^50; the
 * decoder computes exactly `int / 10^s`, so the double read back is the double written. A column that does not
 * round-trip at any scale (NaN, ±Infinity, -0, binary fractions, huge values) is stored as raw float64.
 */

export const MAX_SCALE = 12;
/** Column mode byte: low nibble = scale, or RAW_F64 for raw little-endian float64 values. */
export const RAW_F64 = 0x0f;
/** Column mode flag: every integer fits in an Int32Array (the decoder allocates one instead of a Float64Array). */
export const FITS_INT32 = 0x10;

/** 10^s for s = 0..12; each is an exact double, so `int / POW10[s]` is one correctly rounded division. */
export const POW10: readonly number[] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12];

/** Bound on |int| so that every residual (at most a difference of differences) stays a safe integer after zigzag. */
const MAX_INT = 2 ** 50;

function roundTrips(v: number, pow: number): boolean {
  const i = Math.round(v * pow);
  return i / pow === v && !(v === 0 && 1 / v < 0) && i <= MAX_INT && i >= -MAX_INT;
}

/**
 * The smallest scale at which every value of every column round-trips, with the scaled integers; undefined when
 * no scale ≤ 12 works (the columns are then stored as raw float64).
 */
export function scaleColumns(columns: ReadonlyArray<ArrayLike<number>>): { scale: number; ints: Float64Array[] } | undefined {
  // First the smallest scale each value needs (normally one multiply-round-divide per value)...
  let s = 0;
  for (const col of columns) {
    for (let i = 0; i < col.length; i++) {
      const v = col[i]!;
      while (!roundTrips(v, POW10[s]!)) {
        if (++s > MAX_SCALE) return undefined;
      }
    }
  }
  // ...then the integers at the largest of those, checked again: a value exact at scale s is normally exact at any
  // larger scale too, but that is verified rather than assumed.
  for (; s <= MAX_SCALE; s++) {
    const pow = POW10[s]!;
    const ints: Float64Array[] = [];
    let ok = true;
    for (const col of columns) {
      const out = new Float64Array(col.length);
      for (let i = 0; i < col.length && ok; i++) {
        const v = col[i]!;
        const n = Math.round(v * pow);
        out[i] = n;
        ok = n / pow === v && n <= MAX_INT && n >= -MAX_INT;
      }
      ints.push(out);
    }
    if (ok) return { scale: s, ints };
  }
  return undefined;
}

/** The mode byte for columns stored at `scale` whose integers are `columns`. */
export function modeOf(scale: number, columns: ReadonlyArray<ArrayLike<number>> | undefined): number {
  if (scale === RAW_F64 || !columns) return RAW_F64;
  for (const ints of columns) {
    for (let i = 0; i < ints.length; i++) {
      const v = ints[i]!;
      if (v > 0x7fffffff || v < -0x80000000) return scale;
    }
  }
  return scale | FITS_INT32;
}

/**
 * A decoded numeric column: value i is exactly `data[i] / div`. For scaled columns `data` holds the integers
 * (Int32Array when they fit) and div = 10^scale; for raw float64 columns div = 1 (and `x / 1 === x` for every double).
 */
export interface NumColumn {
  readonly data: Int32Array | Float64Array;
  readonly div: number;
}

/** The one place a NumColumn object is made (decoded here or handed over by prefetch.ts): one hidden class for all. */
export const numColumn = (data: Int32Array | Float64Array, div: number): NumColumn => ({ data, div });

export function allocColumn(mode: number, n: number): NumColumn {
  if ((mode & 0x0f) === RAW_F64) return numColumn(new Float64Array(n), 1);
  const scale = mode & 0x0f;
  if (scale > MAX_SCALE) throw new RangeError(`column scale ${scale} out of range`);
  return numColumn(mode & FITS_INT32 ? new Int32Array(n) : new Float64Array(n), POW10[scale]!);
}

export function isRaw(mode: number): boolean {
  return (mode & 0x0f) === RAW_F64;
}
