import { D } from '../model/decimal.js';
import type { DrawdownPoint, EquityPoint } from './run-report.js';

/**
 * The drawdown series of an equity curve: at each sample, equity minus the running peak (≤ 0). Its minimum is the
 * negated max drawdown of `performanceMetrics` (portfolio/metrics.ts), computed the same way; as there, a percentage
 * (of the peak) only when a starting capital is configured — without one, equity is bare PnL and a peak of a few
 * cents would give meaningless percentages. The difference is exact (of the samples' decimals), so no float residue
 * (-0.3000000000029104) reaches the page.
 */
export function drawdownSeries(equity: readonly EquityPoint[], capital?: number): DrawdownPoint[] {
  const withPct = capital !== undefined && capital > 0;
  let peak = -Infinity;
  return equity.map((s) => {
    if (s.equity > peak) peak = s.equity;
    const drawdown = s.equity === peak ? 0 : D(s.equity).minus(D(peak)).toNumber();
    return { ts: s.ts, drawdown, drawdownPct: withPct && peak > 0 ? drawdown / peak : undefined };
  });
}
