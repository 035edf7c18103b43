/** Number and time formatting for the report: en-US grouping, times always in UTC. */

const grouped = (x: number, min: number, max: number): string =>
  x.toLocaleString('en-US', { minimumFractionDigits: min, maximumFractionDigits: max });

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
