import { describe, expect, it } from 'vitest';
import { D, ZERO } from '../../engine/model/decimal.js';
import { createRun, loadEquity, loadFills, openDatabase } from '../../engine/persistence/index.js';
import { loadRunReport } from '../../engine/report/index.js';
import { flipFlopRun } from './fixtures.js';

describe('loadRunReport', () => {
  it('reads a finished run: row, summary, equity, drawdown, fills and per-instrument figures', async () => {
    const { db, summary } = await flipFlopRun();
    const r = loadRunReport(db, summary.runId);
    if (!r.ok) throw new Error(r.error);
    const report = r.value;
    expect(report.run).toMatchObject({ id: summary.runId, mode: 'backtest', portfolioId: summary.portfolioId, status: 'finished' });
    expect(report.run.finishedAt).toBe(summary.to);
    expect(report.summary).toEqual(JSON.parse(JSON.stringify(summary)));
    expect(report.summaryProblem).toBeUndefined();
    expect(report.strategies).toEqual([{ id: 'flip-flop', use: 'flip-flop' }]);
    expect(report.equity).toEqual(loadEquity(db, summary.runId));
    expect(report.drawdown.length).toBe(report.equity.length);
    expect(Math.min(...report.drawdown.map((p) => p.drawdown))).toBeCloseTo(-summary.maxDrawdown, 9);
    expect(report.drawdown.every((p) => p.drawdown <= 0)).toBe(true);
    expect(report.fills).toEqual(loadFills(db, summary.portfolioId));

    const [eurusd, ...others] = report.instruments;
    expect(others).toEqual([]);
    const fills = report.fills;
    const sum = (side: 'buy' | 'sell') => fills.filter((f) => f.side === side).reduce((q, f) => q.plus(f.lastQty), ZERO).toString();
    expect(eurusd).toMatchObject({
      instrumentId: 'EURUSD.FXCM',
      fills: summary.fills,
      buys: fills.filter((f) => f.side === 'buy').length,
      buyQty: sum('buy'),
      sellQty: sum('sell'),
      realizedPnl: summary.positions[0]!.realizedPnl,
      makerFills: 0,
      takerFills: summary.fills,
      makerShare: 0,
    });
    expect(D(eurusd!.fees).toNumber()).toBe(summary.fees);
    const notional = fills.reduce((n, f) => n.plus(D(f.lastQty).times(f.lastPrice)), ZERO);
    expect(eurusd!.notional).toBe(notional.toString());
  });

  it("picks the newest run for 'latest'", async () => {
    const { db, summary: first } = await flipFlopRun();
    const { summary: second } = await flipFlopRun(db, { to: Date.UTC(2014, 4, 5, 8, 20) });
    const latest = loadRunReport(db, 'latest');
    expect(latest.ok && latest.value.run.id).toBe(second.runId);
    expect(latest.ok && latest.value.fills.length).toBe(second.fills);
    const older = loadRunReport(db, first.runId);
    expect(older.ok && older.value.fills.length).toBe(first.fills);
  });

  it('says which run is missing and in which database', () => {
    const db = openDatabase(':memory:');
    expect(loadRunReport(db, 'latest')).toEqual({ ok: false, error: 'the database :memory: has no runs yet' });
    createRun(db, { mode: 'backtest', startedAt: 0, config: {} });
    expect(loadRunReport(db, 42)).toEqual({ ok: false, error: 'no run 42 in :memory:' });
  });

  it('reports a run that is still running, without a summary', () => {
    const db = openDatabase(':memory:');
    const id = createRun(db, { mode: 'paper', portfolioId: 'main', startedAt: 1000, config: { strategies: [{ use: 'quoter', id: 'q1' }] } });
    const r = loadRunReport(db, id);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.run).toMatchObject({ status: 'running', portfolioId: 'main', finishedAt: undefined });
    expect(r.value.summary).toBeUndefined();
    expect(r.value.summaryProblem).toBeUndefined();
    expect(r.value.strategies).toEqual([{ id: 'q1', use: 'quoter' }]);
    expect([r.value.equity, r.value.fills, r.value.instruments]).toEqual([[], [], []]);
  });

  it('names what is wrong with a stored summary it cannot use', () => {
    const db = openDatabase(':memory:');
    const id = createRun(db, { mode: 'backtest', startedAt: 0, config: {} });
    db.prepare(`UPDATE runs SET status = 'finished', summary_json = ? WHERE id = ?`).run(JSON.stringify({ runId: id, ticks: 'many' }), id);
    const r = loadRunReport(db, id);
    expect(r.ok && r.value.summary).toBeUndefined();
    expect(r.ok && r.value.summaryProblem).toMatch(/no number from/);
  });
});
