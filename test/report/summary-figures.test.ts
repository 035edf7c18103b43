/**
 * The summary's figures as printed and reported: stored summaries of older versions still load (maxDrawdownPct was a
 * fraction), PnL prints without float residue, ratios that cannot be computed print "—" with the reason.
 */
import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../engine/cli/format-summary.js';
import type { RunSummary } from '../../engine/kernel/summary.js';
import { parseRunSummary } from '../../engine/report/index.js';
import { keyFigures } from '../../engine/report/key-figures.js';
import { flipFlopRun } from './fixtures.js';

/** runs.summary_json as the version before maxDrawdownFraction stored it (a quoter run on 3 days of quotes). */
const OLD_STORED = {
  runId: 1, mode: 'backtest', portfolioId: 'run-1', from: 1399248003074, to: 1399507199239, ticks: 250329, orders: 94343,
  fills: 3770, denied: 0, deniedByCode: {}, rejected: 10,
  positions: [{ instrumentId: 'EURUSD.FXCM', side: 'long', quantity: 24, avgPrice: 0.25, realizedPnl: -146.5, fees: 0, unrealizedPnl: -2.3999999999999995 }],
  realizedPnl: -146.5, unrealizedPnl: -2.3999999999999995, fees: 0, netPnl: -148.9, trades: 424, capital: 100000,
  maxDrawdown: 256.1999999999971, maxDrawdownPct: 0.0025596502410786606, sharpe: -9.370769269740123, strategyFailures: [],
  anomalies: { duplicateFills: 0, conflictingFills: 0, overfills: 0, invalidTransitions: 0, unknownOrderEvents: 0 },
  positionsVerified: true, openAtEnd: [],
};

const parsed = (x: unknown): RunSummary => {
  const r = parseRunSummary(x);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('run summary figures', () => {
  it('loads a summary stored by an older version: maxDrawdownPct is read as the fraction it was', () => {
    const s = parsed(OLD_STORED);
    expect(s.maxDrawdownFraction).toBe(0.0025596502410786606);
    expect(s.sharpe).toBe(-9.370769269740123);
    expect(s.returnsPeriod).toBeUndefined();
    const text = formatSummary(s, { elapsedMs: 0, db: 'old.db' });
    expect(text).toContain('max drawdown 256.2000 (0.26 % of the peak)');
    expect(text).toContain('sharpe -9.37 (stored by an older version: per equity interval, not comparable)');
    // its float residue is not printed: rounded for display (half-even, 4 decimals)
    expect(text).toContain('pnl: realized -146.5000  unrealized -2.4000  fees 0.0000  net -148.9000');
    expect(text).not.toMatch(/399999/);
    const cards = keyFigures(s, []);
    expect(cards).toContain('Sharpe (old)');
    expect(cards).toContain('0.26 % of the peak');
  });

  it('prints the exact PnL text, and "—" with the reason for ratios of too few daily returns', async () => {
    const { summary } = await flipFlopRun(undefined, { capital: 100_000 });
    expect(summary.exact).toBeDefined();
    expect(summary.exact!.netPnl).toMatch(/^-?\d+(\.\d+)?$/);
    expect(Number(summary.exact!.netPnl)).toBe(summary.netPnl);
    expect(summary.returnsPeriod).toBe('day');
    expect(summary.sharpe).toBeUndefined();
    // stored as JSON and read back, it is the same summary
    const back = parsed(JSON.parse(JSON.stringify(summary)));
    expect(back).toEqual(JSON.parse(JSON.stringify(summary)));
    const text = formatSummary(back, { elapsedMs: 1000, db: 'x.db' });
    expect(text).toContain(`daily returns ${summary.returnCount} (365-day year)  sharpe —  sortino —  cagr —  calmar —`);
    expect(text).toContain(`  Sharpe, Sortino, CAGR, Calmar: too few daily returns (${summary.returnCount}; needs 30)`);
    expect(keyFigures(back, [])).toContain(`too few daily returns (${summary.returnCount}; needs 30)`);
  });

  it('shows the exact decimal of a PnL in the report, not its nearest double', () => {
    const s: RunSummary = {
      ...parsed(OLD_STORED),
      exact: { realizedPnl: '-146.5', unrealizedPnl: '-2.4', fees: '0', netPnl: '-148.9' },
    };
    const cards = keyFigures(s, []);
    expect(cards).toContain('title="-2.4"');
    expect(cards).toContain('>-2.40<');
    expect(cards).not.toMatch(/399999/);
  });
});
