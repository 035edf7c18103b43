/**
 * An exact decimal for positions and PnL (DESIGN.md "Numbers"): a scaled integer `units × 10^−scale` while the units
 * are a safe integer (|units| < 2^53), and decimal.js past that, with the same value either way. The integer form is
 * the hot path: adding fills to a position, fees and PnL costs a few float operations and no allocation beyond the
 * result, where decimal.js costs microseconds per fill. Every operation that would leave the safe range, and every
 * quotient that does not come out exact, is done by decimal.js instead (the exact fallback), and its result is taken
 * back to the integer form when it fits again (a position that closes comes back to 0 units).
 *
 * A number is read as its shortest decimal (`String(x)`), as decimal.js reads it: an order's or fill's quantity, price
 * and fee are exact carriers (decimal.ts), so this is their exact value.
 */
import { Decimal } from './decimal.js';

const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Units below this have at most 15 significant digits: one double each, so a carrier's units are found exactly. */
const DIGITS15 = 1e15;
/** Scales a carrier is searched at; a number with more decimals (or digits) goes through decimal.js. */
const MAX_SCALE = 15;

export class Amount {
  /** decimal.js's value: the value itself when `units` is NaN (past the safe range), else made when asked. */
  private big: Decimal | undefined;

  /** Internal: use the factories (`of`, `parse`, `ofUnits`, `ofDecimal`). */
  constructor(
    /** The scaled integer, or NaN when the value is only in `big`. */
    readonly units: number,
    /** Decimal places of `units` (0..22). */
    readonly scale: number,
    big?: Decimal,
  ) {
    this.big = big;
  }

  static readonly ZERO = new Amount(0, 0);

  /** `units × 10^−scale`; units must be a safe integer and scale 0..22. */
  static ofUnits(units: number, scale: number): Amount {
    return units === 0 ? Amount.ZERO : new Amount(units, scale);
  }

  /** A number's shortest decimal, exactly. */
  static of(x: number): Amount {
    if (Number.isInteger(x) && Math.abs(x) < DIGITS15) return x === 0 ? Amount.ZERO : new Amount(x, 0);
    if (Number.isFinite(x)) {
      for (let d = 1; d <= MAX_SCALE; d++) {
        const u = Math.round(x * POW10[d]!);
        if (Math.abs(u) >= DIGITS15) break;
        if (u / POW10[d]! === x) return new Amount(u, d);
      }
    }
    return Amount.ofDecimal(new Decimal(x));
  }

  /** Decimal text (`-12.5`, `0.000001`, `1e-7`) exactly. */
  static parse(s: string): Amount {
    const m = /^(-?)(\d{1,15})(?:\.(\d{1,15}))?$/.exec(s);
    if (m !== null) {
      const frac = m[3] ?? '';
      const digits = m[2]! + frac;
      if (digits.length <= 15) {
        const u = Number(digits);
        return u === 0 ? Amount.ZERO : new Amount(m[1] === '-' ? -u : u, frac.length);
      }
    }
    return Amount.ofDecimal(new Decimal(s));
  }

  /** number | string | Decimal | Amount, exactly. */
  static from(x: number | string | Decimal | Amount): Amount {
    if (x instanceof Amount) return x;
    if (typeof x === 'number') return Amount.of(x);
    if (typeof x === 'string') return Amount.parse(x);
    return Amount.ofDecimal(x);
  }

  /** decimal.js's value, in the integer form when it fits (at most 15 significant digits, 22 decimals). */
  static ofDecimal(x: Decimal): Amount {
    if (x.isZero()) return Amount.ZERO;
    if (x.isFinite() && x.sd() <= 15) {
      const scale = Math.max(0, x.decimalPlaces());
      if (scale <= 22) {
        const u = x.times(POW10[scale]!).toNumber();
        if (Number.isSafeInteger(u)) return new Amount(u, scale, x);
      }
    }
    return new Amount(Number.NaN, 0, x);
  }

  /** True when the value is only in decimal.js (past the safe integer range). */
  get isBig(): boolean {
    return this.units !== this.units;
  }

  toDecimal(): Decimal {
    return (this.big ??= new Decimal(`${this.units}e-${this.scale}`));
  }

  /** The double nearest the exact value (one correctly rounded division, as `Number(toString())` would give). */
  toNumber(): number {
    return this.isBig ? this.big!.toNumber() : this.units / POW10[this.scale]!;
  }

  /** As decimal.js prints the same value (plain notation; no trailing zeros). */
  toString(): string {
    if (this.isBig || this.scale === 0) return this.isBig ? this.big!.toString() : String(this.units);
    let u = this.units;
    let d = this.scale;
    while (d > 0 && u % 10 === 0) {
      u /= 10;
      d--;
    }
    if (d === 0) return String(u);
    const neg = u < 0;
    const digits = String(neg ? -u : u).padStart(d + 1, '0');
    return `${neg ? '-' : ''}${digits.slice(0, digits.length - d)}.${digits.slice(digits.length - d)}`;
  }

  isZero(): boolean {
    return this.units === 0;
  }

  isNeg(): boolean {
    return this.isBig ? this.big!.isNeg() && !this.big!.isZero() : this.units < 0;
  }

  neg(): Amount {
    if (this.isBig) return Amount.ofDecimal(this.big!.neg());
    return this.units === 0 ? this : new Amount(-this.units, this.scale);
  }

  abs(): Amount {
    return this.isNeg() ? this.neg() : this;
  }

  /** -1, 0 or 1 as this is below, equal to or above `b`. */
  cmp(b: Amount): number {
    if (!this.isBig && !b.isBig) {
      if (this.scale === b.scale) return Math.sign(this.units - b.units);
      const x = alignedUnits(this, b);
      const y = alignedUnits(b, this);
      if (x === x && y === y) return Math.sign(x - y);
    }
    return this.toDecimal().cmp(b.toDecimal());
  }
}

/**
 * `a`'s units at the larger of the two scales; NaN when that leaves the safe range. Multiplying a safe integer by a
 * power of ten gives the exact product whenever that product is itself safe, so a safe result is exact. (Two calls
 * rather than a pair: a fill's position arithmetic runs this several times, and a pair was an allocation each.)
 */
function alignedUnits(a: Amount, b: Amount): number {
  if (a.scale >= b.scale) return a.units;
  const x = a.units * POW10[b.scale - a.scale]!;
  return Number.isSafeInteger(x) ? x : Number.NaN;
}

/** Without trailing zero decimals (products add their scales; this keeps them where the next product still fits). */
function trimmed(units: number, scale: number): Amount {
  while (scale > 0 && units % 10 === 0) {
    units /= 10;
    scale--;
  }
  return new Amount(units, scale);
}

/** The exact fallback: decimal.js at a precision no sum, difference or product of these operands reaches. */
const Exact = Decimal.clone({ precision: 1e9 });

export function add(a: Amount, b: Amount): Amount {
  if (b.units === 0) return a;
  if (a.units === 0) return b;
  if (!a.isBig && !b.isBig) {
    const s = alignedUnits(a, b) + alignedUnits(b, a);
    if (Number.isSafeInteger(s)) return Amount.ofUnits(s, Math.max(a.scale, b.scale));
  }
  return Amount.ofDecimal(new Decimal(Exact.add(a.toDecimal(), b.toDecimal())));
}

export function sub(a: Amount, b: Amount): Amount {
  if (b.units === 0) return a;
  if (a.units === 0) return b.neg();
  if (!a.isBig && !b.isBig) {
    const d = alignedUnits(a, b) - alignedUnits(b, a);
    if (Number.isSafeInteger(d)) return Amount.ofUnits(d, Math.max(a.scale, b.scale));
  }
  return Amount.ofDecimal(new Decimal(Exact.sub(a.toDecimal(), b.toDecimal())));
}

export function mul(a: Amount, b: Amount): Amount {
  if (a.units === 0 || b.units === 0) return Amount.ZERO;
  if (!a.isBig && !b.isBig) {
    const p = a.units * b.units;
    const scale = a.scale + b.scale;
    if (Number.isSafeInteger(p) && scale <= 22) return scale > 8 ? trimmed(p, scale) : new Amount(p, scale);
  }
  return Amount.ofDecimal(new Decimal(Exact.mul(a.toDecimal(), b.toDecimal())));
}

/**
 * a × b ÷ c: exact when the quotient terminates within the integer form, else decimal.js's 34 significant digits
 * (the one rounded value of a position: a partial close's share of the cost basis).
 */
export function mulDiv(a: Amount, b: Amount, c: Amount): Amount {
  const p = mul(a, b);
  if (!p.isBig && !c.isBig && c.units !== 0) {
    // p / c = (p.units / c.units) × 10^(c.scale − p.scale): exact when c.units divides p.units at some scale ≤ 22
    let units = p.units;
    let scale = p.scale - c.scale;
    while (scale < 0) {
      units *= 10;
      scale++;
    }
    for (; scale <= 22 && Number.isSafeInteger(units); scale++, units *= 10) {
      if (units % c.units === 0) return Amount.ofUnits(units / c.units, scale);
    }
  }
  return Amount.ofDecimal(Decimal.div(p.toDecimal(), c.toDecimal()));
}
