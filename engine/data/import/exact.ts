/**
 * Exact decimal arithmetic on number cells: results are the double nearest to the exact decimal, so `String(x)` is that
 * decimal (1812400 / 10000 → 181.24, never 181.24000000000001). Used for price scales, mid prices and time units.
 * Every function returns NaN when the cell is not a number.
 */

const NUM = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;

/** A decimal cell as digits × 10^exp (digits without leading sign); undefined when not a number. */
interface Parts {
  readonly neg: boolean;
  readonly digits: string;
  readonly exp: number;
}

function partsOf(cell: string): Parts | undefined {
  const m = NUM.exec(cell);
  if (!m) return undefined;
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int.length + frac.length === 0) return undefined;
  return { neg: m[1] === '-', digits: int + frac, exp: Number(m[4] ?? 0) - frac.length };
}

/** cell × 10^p, correctly rounded (e.g. seconds → ms with p = 3, a price scale of 10000 with p = -4). */
export function shiftDecimal(cell: string, p: number): number {
  if (p === 0) return numberOf(cell);
  const parts = partsOf(cell);
  if (!parts) return NaN;
  return Number(`${parts.neg ? '-' : ''}${parts.digits}e${parts.exp + p}`);
}

export const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/**
 * Number(cell), refusing the empty string and blanks (which Number() reads as 0). Plain decimals of up to 15 digits
 * are read from their character codes: an exact integer divided by an exact power of ten is the same correctly
 * rounded double Number() gives, without its cost. Anything else goes through Number().
 */
export function numberOf(cell: string): number {
  const n = cell.length;
  let i = 0;
  let neg = false;
  if (n > 0 && cell.charCodeAt(0) === 45) {
    neg = true;
    i = 1;
  }
  let int = 0;
  let digits = 0;
  let frac = -1;
  for (; i < n; i++) {
    const c = cell.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      int = int * 10 + (c - 48);
      digits++;
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0) {
      frac = 0;
    } else {
      return cell.trim() === '' ? NaN : Number(cell);
    }
  }
  if (digits === 0 || digits > 15) return digits === 0 ? NaN : Number(cell);
  const v = frac > 0 ? int / POW10[frac]! : int;
  return neg ? -v : v;
}

/** log10 of a power of ten (1, 10, 100, …), else undefined. */
export function log10Exact(x: number): number | undefined {
  if (!(x > 0)) return undefined;
  const k = Math.round(Math.log10(x));
  return Number(`1e${k}`) === x ? k : undefined;
}

/** cell ÷ scale, exact (a power-of-ten scale shifts the decimal point; another scale is one correctly rounded division). */
export function divideExact(cell: string, scale: number): number {
  if (scale === 1) return numberOf(cell);
  const k = log10Exact(scale);
  if (k !== undefined) return shiftDecimal(cell, -k);
  const parts = partsOf(cell);
  if (!parts) return NaN;
  return ratio(parts.neg ? -Number(parts.digits) : Number(parts.digits), parts.exp, scale);
}

/** (a + b) / 2 ÷ scale, exact: the mean of two decimal cells (a quote bar's mid). */
export function meanExact(a: string, b: string, scale: number): number {
  const pa = partsOf(a);
  const pb = partsOf(b);
  if (!pa || !pb) return NaN;
  const e = Math.min(pa.exp, pb.exp);
  const ia = Number(pa.digits) * 10 ** (pa.exp - e) * (pa.neg ? -1 : 1);
  const ib = Number(pb.digits) * 10 ** (pb.exp - e) * (pb.neg ? -1 : 1);
  const sum = ia + ib;
  if (!Number.isSafeInteger(ia) || !Number.isSafeInteger(ib) || !Number.isSafeInteger(sum)) {
    return (Number(a) + Number(b)) / 2 / scale;
  }
  const k = log10Exact(scale);
  if (k !== undefined) {
    // |sum| / 2 × 10^(e−k) as an exact decimal string: an odd |sum| / 2 = ((|sum| − 1) / 2) followed by the digit 5, × 10^−1.
    const abs = Math.abs(sum);
    const sign = sum < 0 ? '-' : '';
    return abs % 2 === 0 ? Number(`${sign}${abs / 2}e${e - k}`) : Number(`${sign}${(abs - 1) / 2}5e${e - k - 1}`);
  }
  return ratio(sum, e, 2 * scale);
}

/** n × 10^e / div with one rounding when every step is an exact integer; float arithmetic otherwise. */
function ratio(n: number, e: number, div: number): number {
  if (Number.isSafeInteger(n) && Number.isSafeInteger(div)) {
    if (e >= 0 && Number.isSafeInteger(n * 10 ** e)) return (n * 10 ** e) / div;
    if (e < 0 && Number.isSafeInteger(div * 10 ** -e)) return n / (div * 10 ** -e);
  }
  return (n * 10 ** e) / div;
}
