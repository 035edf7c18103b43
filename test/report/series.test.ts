import { describe, expect, it } from 'vitest';
import { performanceMetrics } from '../../engine/portfolio/metrics.js';
import { downsampleMinMax, drawdownSeries, escapeHtml } from '../../engine/report/index.js';

describe('drawdownSeries', () => {
  it('measures each sample from the running peak, its low equal to the max drawdown of performanceMetrics', () => {
    const equity = [100, 120, 90, 130, 125, 60, 140].map((e, i) => ({ ts: i, equity: e }));
    const dd = drawdownSeries(equity, 100);
    expect(dd.map((p) => p.drawdown)).toEqual([0, 0, -30, 0, -5, -70, 0]);
    expect(dd[5]!.drawdownPct).toBeCloseTo(-70 / 130, 12);
    expect(-Math.min(...dd.map((p) => p.drawdown))).toBe(performanceMetrics(equity, { intervalMs: 1 }).maxDrawdown);
  });

  it('has no percentage without a capital, where equity is bare PnL', () => {
    const pnl = [{ ts: 0, equity: 0.01 }, { ts: 1, equity: -300 }];
    expect(drawdownSeries(pnl).map((p) => p.drawdownPct)).toEqual([undefined, undefined]);
    expect(drawdownSeries(pnl, 0).map((p) => p.drawdownPct)).toEqual([undefined, undefined]);
    const equity = [{ ts: 0, equity: 1000 }, { ts: 1, equity: 700 }];
    expect(drawdownSeries(equity, 1000).map((p) => p.drawdownPct)).toEqual([0, -0.3]);
  });
  it('is the exact difference of the decimals: 0.1 below a peak of 0.3 is -0.2, not -0.19999999999999998', () => {
    const equity = [{ ts: 1, equity: 0.3 }, { ts: 2, equity: 0.1 }, { ts: 3, equity: 100000.3 }, { ts: 4, equity: 100000.1 }];
    expect(drawdownSeries(equity).map((p) => p.drawdown)).toEqual([0, -0.2, 0, -0.2]);
  });
});

describe('downsampleMinMax', () => {
  const series = (n: number) => Array.from({ length: n }, (_, i) => ({ i, v: Math.sin(i / 37) * 10 + (i % 7) }));

  it('returns a short series unchanged', () => {
    const s = series(100);
    expect(downsampleMinMax(s, 100, (p) => p.v)).toEqual(s);
  });

  it('keeps first, last, and every bucket extreme, in order, within the limit', () => {
    const s = series(100_003);
    s[54_321]!.v = -1000;
    s[77_777]!.v = 1000;
    const d = downsampleMinMax(s, 2000, (p) => p.v);
    expect(d.length).toBeLessThanOrEqual(2000);
    expect(d.length).toBeGreaterThan(1900);
    expect(d[0]).toBe(s[0]);
    expect(d.at(-1)).toBe(s.at(-1));
    expect(d.every((p, k) => k === 0 || p.i > d[k - 1]!.i)).toBe(true);
    expect(d).toContain(s[54_321]);
    expect(d).toContain(s[77_777]);
  });

  it('refuses a limit too small to keep first, last and one bucket', () => {
    expect(() => downsampleMinMax(series(10), 3, (p) => p.v)).toThrow(/max must be an integer ≥ 4/);
  });
});

describe('escapeHtml', () => {
  it('turns every markup character into an entity', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
