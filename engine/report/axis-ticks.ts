/** Round tick values for chart axes: numbers on a 1-2-5 ladder, times on calendar-like steps (UTC). */

export interface ValueAxis {
  readonly lo: number;
  readonly hi: number;
  readonly ticks: readonly number[];
  readonly step: number;
}

/** Extends [min, max] to round bounds and returns about `target` ticks between them. */
export function valueAxis(min: number, max: number, target = 5): ValueAxis {
  if (!(max > min)) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.01 : 1;
    return valueAxis(min - pad, max + pad, target);
  }
  const raw = (max - min) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag);
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step * 1e-6; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return { lo, hi, ticks, step };
}

/** Digits after the point that make ticks of this step distinct. */
export const decimalsForStep = (step: number): number => Math.max(0, Math.min(8, -Math.floor(Math.log10(step) + 1e-9)));

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TIME_STEPS = [
  SECOND, 5 * SECOND, 15 * SECOND, 30 * SECOND, MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR,
  6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY, 365 * DAY,
];

export interface TimeAxis {
  readonly ticks: readonly number[];
  readonly label: (ts: number) => string;
  /** The date the labels omit when the whole span is within one UTC day, else undefined. */
  readonly day: string | undefined;
}

/** Ticks at multiples of a round UTC step inside [t0, t1], labelled HH:MM(:SS) or MM-DD (HH:MM). */
export function timeAxis(t0: number, t1: number, target = 8): TimeAxis {
  const span = Math.max(t1 - t0, 1);
  const step = TIME_STEPS.find((s) => span / s <= target) ?? TIME_STEPS[TIME_STEPS.length - 1]!;
  const ticks: number[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) ticks.push(t);
  const iso = (t: number): string => new Date(t).toISOString();
  const sameDay = iso(t0).slice(0, 10) === iso(t1).slice(0, 10);
  const label = (t: number): string => {
    const s = iso(t);
    if (step >= DAY) return s.slice(0, 10);
    const time = step < MINUTE ? s.slice(11, 19) : s.slice(11, 16);
    return sameDay ? time : `${s.slice(5, 10)} ${time}`;
  };
  return { ticks, label, day: sameDay ? iso(t0).slice(0, 10) : undefined };
}
