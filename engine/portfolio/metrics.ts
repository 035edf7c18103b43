/**
 * Performance figures from an equity curve (samples every report.equityIntervalMs of engine time). Equity here is PnL
 * (realized − fees + unrealized) plus the starting capital when one is configured.
 *
 * - max drawdown: the largest fall from a running peak, in money (exact difference of the two samples' decimals, so no
 *   float residue), and as a fraction of that peak (`maxDrawdownFraction`, 0.1 = 10 %) when capital > 0.
 * - returns are resampled to a stated period, daily by default (as freqtrade and pyfolio do): the equity at the end of
 *   each UTC day (the last sample of the day), return = day over day. The first value is the curve's first sample (the
 *   capital at the start); a period without samples (a weekend of stock data) gives no return. `returnsPeriod: 'hour'`
 *   does the same per UTC hour.
 * - annualised with a 365-day year (the sample data trade around the clock; 24/7 crypto too): √365 for daily returns,
 *   √8760 for hourly ones. Risk-free rate 0.
 * - Sharpe: mean / sample standard deviation (n − 1) of the returns × √(periods per year).
 * - Sortino: mean / downside deviation × √(periods per year); downside deviation = √(Σ min(r, 0)² / n) (empyrical's).
 * - CAGR: (last / first)^(periods per year / number of returns) − 1, first = the capital at the start.
 * - Calmar: CAGR / maxDrawdownFraction.
 * With a capital, returns are relative (equity_t / equity_{t−1} − 1). Without one the curve is PnL alone (it can be 0 or
 * negative), so Sharpe and Sortino are those of the PnL changes per period (money, not %), and CAGR and Calmar are not
 * computed. Each figure is undefined — with a one-line note saying why — below MIN_RETURNS returns, or without variation.
 */
import { D } from '../model/decimal.js';

export interface EquitySample {
  readonly ts: number;
  readonly equity: number;
}

export type ReturnsPeriod = 'day' | 'hour';

export const PERIOD_MS: Readonly<Record<ReturnsPeriod, number>> = { day: 86_400_000, hour: 3_600_000 };
/** A 365-day year, around the clock. */
export const PERIODS_PER_YEAR: Readonly<Record<ReturnsPeriod, number>> = { day: 365, hour: 365 * 24 };
/** Fewer returns than this and Sharpe, Sortino, CAGR and Calmar are not shown (30 days by default). */
export const MIN_RETURNS = 30;

const ADJECTIVE: Readonly<Record<ReturnsPeriod, string>> = { day: 'daily', hour: 'hourly' };

export interface PerformanceMetrics {
  /** Money, ≥ 0. */
  readonly maxDrawdown: number;
  /** Of the peak, 0.1 = 10 %; undefined without a capital. */
  readonly maxDrawdownFraction: number | undefined;
  readonly returnsPeriod: ReturnsPeriod;
  /** How many period returns the figures below come from. */
  readonly returnCount: number;
  readonly sharpe: number | undefined;
  readonly sortino: number | undefined;
  /** A fraction per year (0.12 = 12 %/year). */
  readonly cagr: number | undefined;
  readonly calmar: number | undefined;
  /** Why a figure is undefined, one line each: "Sharpe: too few daily returns (3; needs 30)". */
  readonly notes: readonly string[];
  readonly finalEquity: number;
}

/** The equity at the end of each period (the first sample first), oldest first. */
export function periodEquity(samples: readonly EquitySample[], periodMs: number): number[] {
  if (samples.length === 0) return [];
  const out = [samples[0]!.equity];
  for (let i = 1; i < samples.length; i++) {
    const next = samples[i + 1];
    if (next === undefined || Math.floor(next.ts / periodMs) !== Math.floor(samples[i]!.ts / periodMs)) out.push(samples[i]!.equity);
  }
  // the first sample closes its own period too when it is the only one in it: then it is already the first value
  return out;
}

const exactDiff = (a: number, b: number): number => D(a).minus(D(b)).toNumber();

export function performanceMetrics(
  samples: readonly EquitySample[],
  opts: { capital?: number; returnsPeriod?: ReturnsPeriod; intervalMs?: number },
): PerformanceMetrics {
  const capital = opts.capital ?? 0;
  const period = opts.returnsPeriod ?? 'day';
  let peak = -Infinity;
  let peakAtMax = 0;
  let lowAtMax = 0;
  let maxDd = 0;
  let maxDrawdownFraction: number | undefined = capital > 0 ? 0 : undefined;
  for (const s of samples) {
    if (s.equity > peak) peak = s.equity;
    const dd = peak - s.equity;
    if (dd > maxDd) [maxDd, peakAtMax, lowAtMax] = [dd, peak, s.equity];
    if (maxDrawdownFraction !== undefined && peak > 0) maxDrawdownFraction = Math.max(maxDrawdownFraction, dd / peak);
  }
  const maxDrawdown = maxDd > 0 ? exactDiff(peakAtMax, lowAtMax) : 0;

  const values = periodEquity(samples, PERIOD_MS[period]);
  const relative = capital > 0;
  const returns: number[] = [];
  for (let i = 1; i < values.length; i++) {
    const prev = values[i - 1]!;
    const cur = values[i]!;
    if (!relative) returns.push(exactDiff(cur, prev));
    else if (prev > 0) returns.push(cur / prev - 1);
  }
  const n = returns.length;
  const perYear = PERIODS_PER_YEAR[period];
  const notes: string[] = [];
  const few = n < MIN_RETURNS ? `too few ${ADJECTIVE[period]} returns (${n}; needs ${MIN_RETURNS})` : undefined;
  let sharpe: number | undefined;
  let sortino: number | undefined;
  let cagr: number | undefined;
  let calmar: number | undefined;
  if (few !== undefined) {
    notes.push(`Sharpe: ${few}`, `Sortino: ${few}`);
  } else {
    const mean = returns.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (n - 1));
    const downside = Math.sqrt(returns.reduce((a, r) => a + Math.min(r, 0) ** 2, 0) / n);
    if (sd > 0) sharpe = (mean / sd) * Math.sqrt(perYear);
    else notes.push('Sharpe: the returns do not vary');
    if (downside > 0) sortino = (mean / downside) * Math.sqrt(perYear);
    else notes.push('Sortino: no negative return');
  }
  if (!relative) {
    notes.push('CAGR: no backtest.capital (equity is PnL only)', 'Calmar: no backtest.capital (equity is PnL only)');
  } else if (few !== undefined) {
    notes.push(`CAGR: ${few}`, `Calmar: ${few}`);
  } else {
    const first = values[0]!;
    const last = values.at(-1)!;
    if (first > 0 && last > 0) cagr = (last / first) ** (perYear / n) - 1;
    else notes.push('CAGR: the equity is not positive');
    if (cagr !== undefined && maxDrawdownFraction !== undefined && maxDrawdownFraction > 0) calmar = cagr / maxDrawdownFraction;
    else if (cagr !== undefined) notes.push('Calmar: no drawdown');
    else notes.push('Calmar: no CAGR');
  }
  return {
    maxDrawdown, maxDrawdownFraction, returnsPeriod: period, returnCount: n, sharpe, sortino, cagr, calmar, notes,
    finalEquity: samples.at(-1)?.equity ?? capital,
  };
}
