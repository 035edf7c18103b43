/**
 * Timestamps of imported rows → epoch milliseconds: units (ms, s, us, ns, ISO 8601) and Lean's "time since midnight
 * of the file's day" in UTC or New York time. US daylight saving time is computed here (no tz library): from 2007 on,
 * 2 am on the 2nd Sunday of March to 2 am on the 1st Sunday of November (1987–2006: 1st Sunday of April to the last
 * Sunday of October). Wall-clock times in the skipped hour move forward (02:30 → 03:30 EDT) and the repeated hour is
 * read as daylight time, as Lean (NodaTime, lenient) does.
 */
import { shiftDecimal } from './exact.js';
import type { ImportTimeZone, TsUnit } from './types.js';

const HOUR = 3_600_000;
const UNIT_POW10: Record<Exclude<TsUnit, 'iso'>, number> = { s: 3, ms: 0, us: -3, ns: -6 };

/** A number cell in `unit` → milliseconds (exact decimal shift); NaN when not a number. */
export function unitToMs(cell: string, unit: Exclude<TsUnit, 'iso'>): number {
  return shiftDecimal(cell, UNIT_POW10[unit]);
}

/** Converts wall-clock times of one local day to UTC epoch ms. */
export interface LocalDay {
  /** Epoch ms of the day's 00:00 read as UTC. */
  readonly utcMidnight: number;
  /** UTC − local before the switch, in ms (EST: 5 h). */
  readonly offsetBefore: number;
  readonly offsetAfter: number;
  /** Wall-clock ms since midnight from which offsetAfter applies (Infinity on days without a switch). */
  readonly switchAt: number;
}

/** 'YYYY-MM-DD' or 'YYYYMMDD' → [y, m (1-12), d], or undefined. */
export function parseDay(date: string): [number, number, number] | undefined {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(date);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d ? [y, mo, d] : undefined;
}

export function localDay(y: number, m: number, d: number, tz: ImportTimeZone): LocalDay {
  const utcMidnight = Date.UTC(y, m - 1, d);
  if (tz === 'UTC') return { utcMidnight, offsetBefore: 0, offsetAfter: 0, switchAt: Infinity };
  const [start, end] = usDstDays(y);
  const EST = 5 * HOUR;
  const EDT = 4 * HOUR;
  if (utcMidnight === start) return { utcMidnight, offsetBefore: EST, offsetAfter: EDT, switchAt: 3 * HOUR };
  if (utcMidnight === end) return { utcMidnight, offsetBefore: EDT, offsetAfter: EST, switchAt: 2 * HOUR };
  const off = utcMidnight > start && utcMidnight < end ? EDT : EST;
  return { utcMidnight, offsetBefore: off, offsetAfter: off, switchAt: Infinity };
}

/** Wall-clock ms since the day's midnight → UTC epoch ms. */
export function atLocal(day: LocalDay, msOfDay: number): number {
  return day.utcMidnight + msOfDay + (msOfDay < day.switchAt ? day.offsetBefore : day.offsetAfter);
}

/** The days (as UTC midnights) on which US daylight saving time starts and ends in year y. */
export function usDstDays(y: number): [number, number] {
  if (y >= 2007) return [nthSunday(y, 3, 2), nthSunday(y, 11, 1)];
  const oct31 = Date.UTC(y, 9, 31);
  return [nthSunday(y, 4, 1), oct31 - new Date(oct31).getUTCDay() * 86_400_000];
}

function nthSunday(y: number, month: number, n: number): number {
  const first = Date.UTC(y, month - 1, 1);
  const dow = new Date(first).getUTCDay();
  return first + (((7 - dow) % 7) + 7 * (n - 1)) * 86_400_000;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * ISO 8601 → epoch ms. A time without a zone designator is wall-clock time in `tz`. Fractions below a millisecond
 * are kept as a fractional part. NaN when the text is not an ISO date-time.
 */
export function isoToMs(text: string, tz: ImportTimeZone): number {
  const m = ISO.exec(text.trim());
  if (!m) return NaN;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  if (!parseDay(`${m[1]}-${m[2]}-${m[3]}`) || h > 23 || mi > 59 || s > 59) return NaN;
  const frac = m[7] ? shiftDecimal(`0.${m[7]}`, 3) : 0;
  const msOfDay = ((h * 60 + mi) * 60 + s) * 1000 + frac;
  const zone = m[8];
  if (zone === undefined) return atLocal(localDay(y, mo, d, tz), msOfDay);
  const base = Date.UTC(y, mo - 1, d) + msOfDay;
  if (zone === 'Z' || zone === 'z') return base;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
  return base - sign * offMin * 60_000;
}
