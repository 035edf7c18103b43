import { describe, expect, it } from 'vitest';
import { MIN_RETURNS, performanceMetrics, periodEquity } from '../../engine/portfolio/metrics.js';

const curve = (...equity: number[]) => equity.map((e, i) => ({ ts: i * 60_000, equity: e }));
const DAY = 86_400_000;
/** 2024-01-01T21:00Z: a daily bar's close. */
const T0 = Date.UTC(2024, 0, 1, 21);

/** Equity from 1000, returns +2 %, −1 %, +2 %, … (30 of them), one sample per daily bar. */
function dailyBars(): { ts: number; equity: number }[] {
  const out = [{ ts: T0, equity: 1000 }];
  for (let i = 0; i < 30; i++) out.push({ ts: T0 + (i + 1) * DAY, equity: out.at(-1)!.equity * (i % 2 === 0 ? 1.02 : 0.99) });
  return out;
}

describe('performance metrics', () => {
  it('measures the largest fall from a running peak', () => {
    const m = performanceMetrics(curve(0, 10, 4, 12, 2, 8), {});
    expect(m.maxDrawdown).toBe(10);
    expect(m.maxDrawdownFraction).toBeUndefined();
    expect(m.finalEquity).toBe(8);
  });

  it('gives drawdown as a fraction of the peak when capital is set', () => {
    const m = performanceMetrics(curve(1000, 1100, 990, 1050), { capital: 1000 });
    expect(m.maxDrawdown).toBe(110);
    expect(m.maxDrawdownFraction).toBeCloseTo(0.1, 12);
  });

  it('gives the max drawdown as the exact difference of two samples, without float residue', () => {
    // 1256.3 − 1000.1 in doubles is 256.19999999999993
    expect(performanceMetrics(curve(1000, 1256.3, 1000.1), { capital: 1000 }).maxDrawdown).toBe(256.2);
  });

  it('daily bars: Sharpe, Sortino, CAGR and Calmar of the daily returns, computed by hand', () => {
    const m = performanceMetrics(dailyBars(), { intervalMs: 60_000, capital: 1000 });
    expect(m.returnsPeriod).toBe('day');
    expect(m.returnCount).toBe(30);
    // returns 0.02 and −0.01, 15 each: mean 0.005, sample sd 0.015·√(30/29), downside deviation √(15·0.0001/30)
    expect(m.sharpe).toBeCloseTo((0.005 / (0.015 * Math.sqrt(30 / 29))) * Math.sqrt(365), 9); // 6.2826
    expect(m.sortino).toBeCloseTo((0.005 / Math.sqrt(0.00005)) * Math.sqrt(365), 9);
    // 30 days grew 1000 to 1000·1.0098^15: CAGR = 1.0098^(15·365/30) − 1; each −1 % day is a 1 % drawdown
    const cagr = 1.0098 ** 182.5 - 1;
    expect(m.cagr).toBeCloseTo(cagr, 9);
    expect(m.maxDrawdownFraction).toBeCloseTo(0.01, 12);
    expect(m.calmar).toBeCloseTo(cagr / 0.01, 6);
    expect(m.notes).toEqual([]);
  });

  it('takes the equity at the end of each UTC day, whatever the samples in between', () => {
    const bars = dailyBars();
    const minutes = [bars[0]!];
    for (let i = 1; i < bars.length; i++) {
      // intraday the equity swings; the day ends at the bar's value (the last sample of the UTC day)
      for (let h = 1; h <= 20; h++) minutes.push({ ts: bars[i]!.ts - (21 - h) * 3_600_000, equity: bars[i]!.equity * (1 + (h % 3) / 100) });
      minutes.push(bars[i]!);
    }
    const a = performanceMetrics(minutes, { capital: 1000 });
    const b = performanceMetrics(bars, { capital: 1000 });
    expect(a.returnCount).toBe(30);
    expect(a.sharpe).toBeCloseTo(b.sharpe!, 9);
    expect(a.cagr).toBeCloseTo(b.cagr!, 9);
  });

  it('three days of minute samples: no Sharpe but a note saying too few daily returns', () => {
    const samples = [];
    let e = 100_000;
    for (let t = 0; t < 3 * 1440; t++) {
      e += ((t * 7919) % 13) - 6.2; // a wobble that drifts down, as the quote run did (it read −263 before)
      samples.push({ ts: Date.UTC(2014, 4, 5) + t * 60_000, equity: e });
    }
    const m = performanceMetrics(samples, { intervalMs: 60_000, capital: 100_000 });
    expect(m.returnCount).toBe(3);
    expect(m.sharpe).toBeUndefined();
    expect(m.sortino).toBeUndefined();
    expect(m.cagr).toBeUndefined();
    expect(m.calmar).toBeUndefined();
    expect(m.notes).toContain(`Sharpe: too few daily returns (3; needs ${MIN_RETURNS})`);
    // hourly returns are enough: 72 of them, annualised by √(365·24)
    const h = performanceMetrics(samples, { capital: 100_000, returnsPeriod: 'hour' });
    expect(h.returnCount).toBe(72);
    const v = periodEquity(samples, 3_600_000);
    const r = v.slice(1).map((x, i) => x / v[i]! - 1);
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const sd = Math.sqrt(r.reduce((a, x) => a + (x - mean) ** 2, 0) / (r.length - 1));
    expect(h.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(8760), 9);
  });

  it('without a capital: Sharpe of the daily PnL changes, no CAGR or Calmar, and says why', () => {
    const pnl = dailyBars().map((s, i) => ({ ts: s.ts, equity: i % 2 === 0 ? 0 : 10 + i }));
    const m = performanceMetrics(pnl, {});
    expect(m.sharpe).toBeDefined();
    expect(m.cagr).toBeUndefined();
    expect(m.calmar).toBeUndefined();
    expect(m.notes).toContain('CAGR: no backtest.capital (equity is PnL only)');
  });

  it('leaves the ratios undefined without variation or samples', () => {
    const flat = dailyBars().map((s) => ({ ...s, equity: 1000 }));
    const m = performanceMetrics(flat, { capital: 1000 });
    expect(m.sharpe).toBeUndefined();
    expect(m.notes).toContain('Sharpe: the returns do not vary');
    expect(performanceMetrics(curve(0, 1), {}).sharpe).toBeUndefined();
    expect(performanceMetrics([], {})).toMatchObject({ maxDrawdown: 0, finalEquity: 0, returnCount: 0 });
  });
});
