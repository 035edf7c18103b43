/**
 * `engine backtest` on three days of EUR/USD quotes (backtest.capital 100,000 in engine.config.ts): its Sharpe was
 * annualised per minute of equity samples (it read −9.37 here, −263 for other strategies); now the returns are daily,
 * three of them, too few: no Sharpe, Sortino, CAGR or Calmar, and the summary says why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runEngine } from './engine-process.js';

const dir = mkdtempSync(join(tmpdir(), 'engine-figures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('engine backtest summary figures', () => {
  it('three days of quotes: "too few daily returns" instead of a Sharpe, and the PnL without float residue', async () => {
    const db = join(dir, 'q.db');
    const run = await runEngine(['backtest', '--strategy', 'quoter', '--data', 'data/sample/eurusd-fxcm-quotes.tkr', '--db', db, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const s = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(s.returnsPeriod).toBe('day');
    expect(s.returnCount).toBe(3);
    expect(s.sharpe).toBeUndefined();
    expect(s.cagr).toBeUndefined();
    expect(s.metricNotes).toContain('Sharpe: too few daily returns (3; needs 30)');
    expect(s.maxDrawdownPct).toBeUndefined();
    expect(s.maxDrawdownFraction).toBeCloseTo(0.00256, 5);
    // the largest fall, 256.2, was printed 256.1999999999971 (a float difference of two equity samples)
    expect(s.maxDrawdown).toBe(256.2);
    expect(s.exact).toEqual({ realizedPnl: String(s.realizedPnl), unrealizedPnl: '0', fees: '0', netPnl: String(s.netPnl) });

    const report = await runEngine(['report', 'latest', '--db', db]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain('daily returns 3 (365-day year)  sharpe —  sortino —  cagr —  calmar —');
    expect(report.stdout).toContain('Sharpe, Sortino, CAGR, Calmar: too few daily returns (3; needs 30)');
    expect(report.stdout).toContain('max drawdown 256.2000 (0.26 % of the peak)');
  }, 60_000);
});
