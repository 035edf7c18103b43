/**
 * The tearsheet's statistics against hand-computed values: two strategies trading one instrument (each with its own
 * trips), tags of the opening orders, win rate, profit factor (∞ and — included), expectancy, averages, durations,
 * exposure, and the daily returns and year × month grid from a small equity curve.
 */
import { describe, expect, it } from 'vitest';
import type { StoredFill } from '../../engine/persistence/rows.js';
import { exposure } from '../../engine/report/exposure.js';
import { tripRows } from '../../engine/report/load-run-report.js';
import { dailyReturns, monthlyGrid } from '../../engine/report/period-returns.js';
import { profitFactorText } from '../../engine/report/tearsheet-tables.js';
import { tradeStats, tradeStatsBy } from '../../engine/report/trade-stats.js';

let id = 0;
const fill = (strategyId: string, clientOrderId: string, side: 'buy' | 'sell', qty: string, price: string, fee: string, tsEvent: number, instrumentId = 'X.V'): StoredFill => ({
  id: ++id, runId: 1, portfolioId: 'p', venue: 'V', venueOrderId: `v-${id}`, tradeId: `t-${id}`, clientOrderId, strategyId, instrumentId,
  side, lastQty: qty, lastPrice: price, fee, feeCurrency: 'USD', liquidity: 'taker', tsEvent,
});

const FILLS: StoredFill[] = [
  fill('A', 'a1', 'buy', '10', '100', '1', 1000), // A long 10 @ 100
  fill('B', 'b1', 'sell', '5', '101', '0', 1500), // B short 5 @ 101 (the account nets to long 5: B keeps its own trip)
  fill('C', 'c1', 'buy', '3', '7', '0', 2000, 'Y.V'), // C long Y, still open at the end
  fill('A', 'a2', 'sell', '10', '103', '1', 3000), // A: +30 − 2 fees = 28, 2,000 ms, on 1,000 notional: 2.8 %
  fill('B', 'b2', 'buy', '5', '102', '0', 4000), // B: −5, 2,500 ms, on 505: −0.990… %
  fill('A', 'a3', 'buy', '2', '50', '0.5', 5000), // A long 2 @ 50 (tag fade)
  fill('A', 'a4', 'sell', '2', '45', '0.5', 7000), // A: −10 − 1 = −11, 2,000 ms, on 100: −11 %
  fill('B', 'b3', 'sell', '1', '10', '0', 8000), // B short 1 @ 10 (tag scalp)
  fill('B', 'b4', 'buy', '1', '10', '0', 9000), // B: 0, 1,000 ms
];
const TAGS = new Map([['a1', 'breakout'], ['a2', 'exit'], ['a3', 'fade'], ['b3', 'scalp']]);

describe('round trips per strategy, with the tag of the opening order', () => {
  const trips = tripRows(FILLS, TAGS, () => 1);

  it('keeps two strategies on one instrument apart, in the order the trips closed', () => {
    expect(trips.map((t) => [t.strategyId, t.side, t.exitTime, t.netPnl, t.tag])).toEqual([
      ['A', 'long', 3000, '28', 'breakout'],
      ['B', 'short', 4000, '-5', undefined],
      ['A', 'long', 7000, '-11', 'fade'],
      ['B', 'short', 9000, '0', 'scalp'],
    ]);
    expect(trips.map((t) => t.return)).toEqual([0.028, -5 / 505, -0.11, 0]);
    expect(trips.map((t) => t.durationMs)).toEqual([2000, 2500, 2000, 1000]);
  });

  it('computes win rate, profit factor, expectancy, averages and extremes from net PnL', () => {
    expect(tradeStats(trips)).toEqual({
      trips: 4, wins: 1, losses: 2, breakeven: 1, winRate: 0.25,
      grossProfit: '28', grossLoss: '-16', profitFactor: 1.75, netPnl: '12', fees: '3',
      expectancy: '3', avgWin: '28', avgLoss: '-8', largestWin: '28', largestLoss: '-11', avgDurationMs: 1875,
    });
  });

  it('splits the statistics per strategy and per tag', () => {
    const byStrategy = Object.fromEntries(tradeStatsBy(trips, (t) => t.strategyId).map((g) => [g.key, g.stats]));
    expect(Object.keys(byStrategy)).toEqual(['A', 'B']);
    expect(byStrategy.A).toMatchObject({ trips: 2, wins: 1, losses: 1, winRate: 0.5, netPnl: '17', fees: '3', expectancy: '8.5' });
    expect(byStrategy.A!.profitFactor).toBeCloseTo(28 / 11, 12);
    // no win but a loss: 0; the breakeven trip counts in the win rate's denominator
    expect(byStrategy.B).toMatchObject({ trips: 2, wins: 0, losses: 1, breakeven: 1, winRate: 0, profitFactor: 0, netPnl: '-5', expectancy: '-2.5' });
    const byTag = Object.fromEntries(tradeStatsBy(trips, (t) => t.tag ?? '(no tag)').map((g) => [g.key, g.stats]));
    expect(Object.keys(byTag)).toEqual(['(no tag)', 'breakout', 'fade', 'scalp']);
    expect(byTag.breakout).toMatchObject({ trips: 1, winRate: 1, profitFactor: 'infinite', netPnl: '28' });
    expect(byTag.fade).toMatchObject({ trips: 1, winRate: 0, profitFactor: 0, netPnl: '-11' });
    expect(byTag.scalp).toMatchObject({ trips: 1, winRate: 0, profitFactor: undefined, netPnl: '0', avgWin: undefined, avgLoss: undefined });
    expect(byTag['(no tag)']).toMatchObject({ trips: 1, netPnl: '-5' });
  });

  it('says ∞ or — plainly when a profit factor has no loss or neither wins nor losses', () => {
    expect(profitFactorText('infinite')).toBe('∞ (no losing trip)');
    expect(profitFactorText(undefined)).toBe('— (no win or loss)');
    expect(profitFactorText(1.75)).toBe('1.75');
    expect(tradeStats([])).toMatchObject({ trips: 0, winRate: undefined, profitFactor: undefined, expectancy: undefined, avgDurationMs: undefined });
  });

  it('keeps money exact: 0.1 + 0.2 of net PnL is 0.3', () => {
    const small = tripRows([
      fill('A', 'x1', 'buy', '1', '1', '0', 1), fill('A', 'x2', 'sell', '1', '1.1', '0', 2),
      fill('A', 'x3', 'buy', '1', '1', '0', 3), fill('A', 'x4', 'sell', '1', '1.2', '0', 4),
    ], new Map(), () => 1);
    expect(tradeStats(small)).toMatchObject({ netPnl: '0.3', expectancy: '0.15', grossProfit: '0.3' });
  });
});

describe('exposure', () => {
  const fills = FILLS.map((f) => ({ strategyId: f.strategyId, instrumentId: f.instrumentId, side: f.side, qty: f.lastQty, tsEvent: f.tsEvent }));

  it('is the share of the run with any position open, per instrument and overall, an open one counting to the end', () => {
    const x = exposure(fills, 0, 10_000);
    // X: A 1,000–3,000 ∪ B 1,500–4,000, A 5,000–7,000, B 8,000–9,000 = 6,000 ms; Y: 2,000 to the end = 8,000 ms
    expect(x.byInstrument).toEqual([{ instrumentId: 'X.V', share: 0.6 }, { instrumentId: 'Y.V', share: 0.8 }]);
    // any: 1,000 → 10,000
    expect(x.overall).toBe(0.9);
    expect(x.openAtEnd).toEqual([{ strategyId: 'C', instrumentId: 'Y.V', quantity: '3' }]);
  });
});

describe('daily returns and the monthly grid', () => {
  const t = (iso: string): number => Date.parse(iso);
  const EQUITY = [
    { ts: t('2024-01-30T00:00:00Z'), equity: 100 }, // the first sample: the base
    { ts: t('2024-01-30T12:00:00Z'), equity: 110 }, // Jan 30: +10 %
    { ts: t('2024-01-31T12:00:00Z'), equity: 99 }, // Jan 31: −10 %
    { ts: t('2024-02-01T08:00:00Z'), equity: 120 }, // not the day's last
    { ts: t('2024-02-01T20:00:00Z'), equity: 108.9 }, // Feb 1: +10 %
    { ts: t('2025-03-05T10:00:00Z'), equity: 130.68 }, // Mar 5 2025: +20 %
  ];

  it('takes the equity at the end of each UTC day, day over day', () => {
    const days = dailyReturns(EQUITY, true);
    expect(days.map((d) => [d.day, d.change])).toEqual([['2024-01-30', '10'], ['2024-01-31', '-11'], ['2024-02-01', '9.9'], ['2025-03-05', '21.78']]);
    const rets = days.map((d) => d.ret!);
    [0.1, -0.1, 0.1, 0.2].forEach((r, i) => expect(rets[i]).toBeCloseTo(r, 12));
    expect(dailyReturns(EQUITY, false).every((d) => d.ret === undefined)).toBe(true);
  });

  it('compounds the days into a year × month grid with a total per year', () => {
    const grid = monthlyGrid(dailyReturns(EQUITY, true), true);
    expect(grid.map((y) => y.year)).toEqual([2024, 2025]);
    const [y2024, y2025] = grid;
    expect(y2024!.months.map((m) => (m === undefined ? null : m.month))).toEqual([1, 2, null, null, null, null, null, null, null, null, null, null]);
    expect(y2024!.months[0]).toMatchObject({ change: '-1', days: 2 });
    expect(y2024!.months[0]!.ret).toBeCloseTo(1.1 * 0.9 - 1, 12); // −1 %
    expect(y2024!.months[1]).toMatchObject({ change: '9.9', days: 1 });
    expect(y2024!.months[1]!.ret).toBeCloseTo(0.1, 12);
    expect(y2024!.total.change).toBe('8.9');
    expect(y2024!.total.ret).toBeCloseTo(0.99 * 1.1 - 1, 12); // 8.9 %
    expect(y2025!.months[2]).toMatchObject({ change: '21.78', days: 1 });
    expect(y2025!.total.ret).toBeCloseTo(0.2, 12);
    // without a capital: changes in money only
    const money = monthlyGrid(dailyReturns(EQUITY, false), false);
    expect(money[0]!.months[0]).toMatchObject({ change: '-1', ret: undefined });
    expect(money[0]!.total).toEqual({ change: '8.9', ret: undefined });
  });
});
