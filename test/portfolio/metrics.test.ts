import { describe, expect, it } from 'vitest';
import { performanceMetrics } from '../../engine/portfolio/metrics.js';

const curve = (...equity: number[]) => equity.map((e, i) => ({ ts: i * 60_000, equity: e }));

describe('performance metrics', () => {
  it('measures the largest fall from a running peak', () => {
    const m = performanceMetrics(curve(0, 10, 4, 12, 2, 8), { intervalMs: 60_000 });
    expect(m.maxDrawdown).toBe(10);
    expect(m.maxDrawdownPct).toBeUndefined();
    expect(m.finalEquity).toBe(8);
  });

  it('gives drawdown as a fraction of the peak when capital is set', () => {
    const m = performanceMetrics(curve(1000, 1100, 990, 1050), { intervalMs: 60_000, capital: 1000 });
    expect(m.maxDrawdown).toBe(110);
    expect(m.maxDrawdownPct).toBeCloseTo(0.1, 12);
  });

  it('annualises Sharpe from per-interval changes with a 365-day year', () => {
    // changes 1, 3, 1, 3: mean 2, sample sd 1.1547; daily samples → √365
    const m = performanceMetrics(curve(0, 1, 4, 5, 8).map((s, i) => ({ ...s, ts: i * 86_400_000 })), { intervalMs: 86_400_000 });
    expect(m.sharpe).toBeCloseTo((2 / Math.sqrt(4 / 3)) * Math.sqrt(365), 9);
  });

  it('leaves Sharpe undefined without variation or with too few samples', () => {
    expect(performanceMetrics(curve(0, 1, 2, 3), { intervalMs: 60_000 }).sharpe).toBeUndefined();
    expect(performanceMetrics(curve(0, 1), { intervalMs: 60_000 }).sharpe).toBeUndefined();
    expect(performanceMetrics([], { intervalMs: 60_000 })).toMatchObject({ maxDrawdown: 0, finalEquity: 0 });
  });
});
