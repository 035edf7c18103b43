/**
 * Daily returns and a monthly grid from the equity samples. The days are the ones Sharpe is computed from: the
 * resampling is portfolio/metrics.ts's `periodEquity` (the equity at the end of each UTC day, day over day, the first
 * value being the first sample), run here on the samples' indices so each day keeps its time. With a capital a return
 * is relative (equity / previous − 1); the change in money is always there, exact (difference of the samples'
 * decimals). A month compounds its days ((1 + r₁)(1 + r₂)… − 1 = its last day's equity over the previous month's last
 * one), its change is their exact sum.
 */
import { D, ZERO, type Decimal } from '../model/decimal.js';
import { PERIOD_MS, periodEquity, type EquitySample } from '../portfolio/metrics.js';

export interface DayReturn {
  /** The day, YYYY-MM-DD (UTC). */
  readonly day: string;
  /** Time of the day's last sample. */
  readonly ts: number;
  readonly equity: number;
  /** Equity minus the previous day's, exact. */
  readonly change: string;
  /** Relative, with a capital (and a positive previous equity); else undefined. */
  readonly ret: number | undefined;
}

export interface MonthReturn {
  readonly year: number;
  /** 1–12. */
  readonly month: number;
  readonly change: string;
  readonly ret: number | undefined;
  readonly days: number;
}

export interface YearRow {
  readonly year: number;
  /** Index 0 = January; undefined for a month without a daily return. */
  readonly months: ReadonlyArray<MonthReturn | undefined>;
  /** The year compounded from its months. */
  readonly total: { change: string; ret: number | undefined };
}

const dayOf = (ts: number): string => new Date(ts).toISOString().slice(0, 10);

export function dailyReturns(equity: readonly EquitySample[], relative: boolean): DayReturn[] {
  const indices = periodEquity(equity.map((p, i) => ({ ts: p.ts, equity: i })), PERIOD_MS.day);
  const out: DayReturn[] = [];
  for (let k = 1; k < indices.length; k++) {
    const prev = equity[indices[k - 1]!]!;
    const cur = equity[indices[k]!]!;
    out.push({
      day: dayOf(cur.ts),
      ts: cur.ts,
      equity: cur.equity,
      change: D(cur.equity).minus(D(prev.equity)).toString(),
      ret: relative && prev.equity > 0 ? cur.equity / prev.equity - 1 : undefined,
    });
  }
  return out;
}

interface Acc {
  change: Decimal;
  growth: number | undefined;
  days: number;
}

const compound = (a: Acc, change: string, ret: number | undefined): void => {
  a.change = a.change.plus(change);
  a.growth = a.growth === undefined || ret === undefined ? undefined : a.growth * (1 + ret);
  a.days++;
};

/** Months from the daily returns, as a year × month grid, oldest year first. */
export function monthlyGrid(days: readonly DayReturn[], relative: boolean): YearRow[] {
  const months = new Map<string, Acc & { year: number; month: number }>();
  for (const d of days) {
    const [year, month] = [Number(d.day.slice(0, 4)), Number(d.day.slice(5, 7))];
    const key = d.day.slice(0, 7);
    let m = months.get(key);
    if (!m) months.set(key, (m = { year, month, change: ZERO, growth: relative ? 1 : undefined, days: 0 }));
    compound(m, d.change, d.ret);
  }
  const years = new Map<number, { months: Array<MonthReturn | undefined>; total: Acc }>();
  for (const m of months.values()) {
    let y = years.get(m.year);
    if (!y) years.set(m.year, (y = { months: new Array<MonthReturn | undefined>(12).fill(undefined), total: { change: ZERO, growth: relative ? 1 : undefined, days: 0 } }));
    const ret = m.growth === undefined ? undefined : m.growth - 1;
    y.months[m.month - 1] = { year: m.year, month: m.month, change: m.change.toString(), ret, days: m.days };
    compound(y.total, m.change.toString(), ret);
  }
  return [...years].sort(([a], [b]) => a - b).map(([year, y]) => ({
    year,
    months: y.months,
    total: { change: y.total.change.toString(), ret: y.total.growth === undefined ? undefined : y.total.growth - 1 },
  }));
}
