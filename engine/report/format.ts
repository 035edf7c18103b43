/** Number and time formatting for the report: en-US grouping, times always in UTC. */
import { D } from '../model/decimal.js';

/** Grouped with fixed decimals; a value that rounds to zero is shown unsigned ("0.000", never "-0.000"). */
const grouped = (x: number, min: number, max: number): string => {
  const t = x.toLocaleString('en-US', { minimumFractionDigits: min, maximumFractionDigits: max });
  return /^-0(\.0*)?$/.test(t) ? t.slice(1) : t;
};

/** Money with a fixed number of decimals (default 2): -1,234.50. */
export const money = (x: number, digits = 2): string => grouped(x === 0 ? 0 : x, digits, digits);

/** A whole count: 58,143. */
export const count = (x: number): string => grouped(x, 0, 0);

/** A fraction as a percentage: 0.1234 → 12.34 %. */
export const percent = (x: number, digits = 2): string => `${grouped(100 * x, digits, digits)} %`;

/** An exact decimal text with its integer part grouped: "-1234567.891" → "-1,234,567.891" (digits kept as they are). */
export function groupDecimal(text: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(text);
  if (!m) return text;
  return `${m[1]}${m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`;
}

/**
 * An exact decimal — its text, or a number read as its shortest decimal — rounded for display only, half-even (the
 * engine's rounding), to `digits` decimals, integer part grouped: "-2.39995" → "-2.4000" at 4; no float arithmetic, so
 * no residue and no "-0.0000".
 */
export function decimal(x: string | number, digits = 2): string {
  const t = D(x).toFixed(digits);
  return groupDecimal(/^-0(\.0+)?$/.test(t) ? t.slice(1) : t);
}

/** A figure that may be hidden (too few samples): "—" then, else fixed decimals. */
export const figure = (x: number | undefined, digits = 2): string => (x === undefined ? '—' : grouped(x, digits, digits));

/** Which figures are hidden and why, one line per reason: "Sharpe, Sortino: too few daily returns (3; needs 30)". */
export function groupNotes(notes: readonly string[]): string[] {
  const byReason = new Map<string, string[]>();
  for (const n of notes) {
    const i = n.indexOf(': ');
    const [name, reason] = i < 0 ? ['', n] : [n.slice(0, i), n.slice(i + 2)];
    byReason.set(reason, [...(byReason.get(reason) ?? []), name]);
  }
  return [...byReason].map(([reason, names]) => `${names.filter(Boolean).join(', ')}: ${reason}`);
}

/** 2014-05-05 08:00:03.074 (UTC; milliseconds only when there are any). */
export function utc(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
}

/** A span of time for people: 1 d 2 h, 3 h 05 min, 12 min 30 s, 850 ms. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  const [d, h, m, sec] = [Math.floor(s / 86_400), Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60), s % 60];
  const two = (n: number): string => String(n).padStart(2, '0');
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${two(m)} min`;
  if (m > 0) return `${m} min ${two(sec)} s`;
  return `${sec} s`;
}

/** The CSS class for a signed amount: pos / neg / zero. */
export const signClass = (x: number): string => (x > 0 ? 'pos' : x < 0 ? 'neg' : 'zero');
