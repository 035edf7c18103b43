/**
 * Performance figures from an equity curve sampled at a fixed engine-time interval. Equity here is PnL (realized −
 * fees + unrealized) plus the starting capital when one is configured.
 * - max drawdown: the largest fall from a running peak, in money (and as a fraction of the peak when capital > 0);
 * - Sharpe: mean / standard deviation of the per-interval equity changes, annualised by √(intervals per year) with a
 *   365-day year (the sample data trade around the clock), risk-free rate 0. Undefined with fewer than 2 changes or
 *   no variation.
 */
export interface EquitySample {
  readonly ts: number;
  readonly equity: number;
}

export interface PerformanceMetrics {
  readonly maxDrawdown: number;
  readonly maxDrawdownPct: number | undefined;
  readonly sharpe: number | undefined;
  readonly finalEquity: number;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

export function performanceMetrics(samples: readonly EquitySample[], opts: { intervalMs: number; capital?: number }): PerformanceMetrics {
  const capital = opts.capital ?? 0;
  let peak = -Infinity;
  let maxDrawdown = 0;
  let maxDrawdownPct: number | undefined = capital > 0 ? 0 : undefined;
  for (const s of samples) {
    if (s.equity > peak) peak = s.equity;
    const dd = peak - s.equity;
    if (dd > maxDrawdown) maxDrawdown = dd;
    if (maxDrawdownPct !== undefined && peak > 0) maxDrawdownPct = Math.max(maxDrawdownPct, dd / peak);
  }
  const changes: number[] = [];
  for (let i = 1; i < samples.length; i++) changes.push(samples[i]!.equity - samples[i - 1]!.equity);
  let sharpe: number | undefined;
  if (changes.length >= 2) {
    const mean = changes.reduce((a, b) => a + b, 0) / changes.length;
    const variance = changes.reduce((a, b) => a + (b - mean) ** 2, 0) / (changes.length - 1);
    const sd = Math.sqrt(variance);
    if (sd > 0) sharpe = (mean / sd) * Math.sqrt(YEAR_MS / opts.intervalMs);
  }
  return { maxDrawdown, maxDrawdownPct, sharpe, finalEquity: samples.at(-1)?.equity ?? capital };
}
