import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../engine/config/config.js';
import { loadInstruments } from '../../engine/config/load.js';
import { readCsvTicks } from '../../engine/data/csv-ticks.js';
import { between } from '../../engine/data/merge.js';
import { runBacktest } from '../../engine/kernel/backtest.js';
import { loadStrategies } from '../../engine/kernel/strategy-loader.js';
import { silentLogger } from '../../engine/log/logger.js';
import { D, ZERO } from '../../engine/model/decimal.js';
import { loadEquity, loadEvents, loadFills, loadOrders, loadPositions, loadStrategyState, openDatabase, verifyPositions } from '../../engine/persistence/index.js';

const DATA = 'data/sample/eurusd-fxcm-20140505.quotes.csv.gz';
const FROM = Date.UTC(2014, 4, 5, 8);
const TO = Date.UTC(2014, 4, 5, 10);

async function backtest(strategies: Array<{ use: string; params?: Record<string, unknown> }>, risk: Record<string, unknown> = {}, db = openDatabase(':memory:')) {
  const config = resolveConfig({ instruments: 'data/instruments.json', strategies, risk, sim: { latencyMs: 2 } });
  const definitions = await loadStrategies(config.strategies.map((s) => s.use));
  const ticks = between(readCsvTicks(DATA, 'EURUSD.FXCM'), FROM, TO);
  const result = runBacktest({ config, definitions, instruments: loadInstruments(config), db, log: silentLogger(), ticks });
  return { ...result, db };
}

describe('backtest of a README-style strategy on real quotes', () => {
  it('trades, and the database holds its orders, fills, events and positions', async () => {
    const { summary, db, node } = await backtest([{ use: 'flip-flop' }]);
    expect(summary.ticks).toBeGreaterThan(1000);
    expect(summary.fills).toBeGreaterThan(10);
    const orders = loadOrders(db, { runId: summary.runId });
    const fills = loadFills(db, summary.portfolioId);
    const events = loadEvents(db, summary.runId);
    expect(orders.length).toBe(summary.orders);
    expect(fills.length).toBe(summary.fills);
    expect(events.filter((e) => e.event.kind === 'OrderFilled').length).toBe(fills.length);
    expect(new Set(events.map((e) => e.event.kind))).toEqual(new Set(['OrderSubmitted', 'OrderAccepted', 'OrderFilled']));
    expect(loadStrategyState(db, summary.portfolioId, 'flip-flop')).toEqual({ fills: fills.length });
    expect(node.host.status('flip-flop')).toBe('stopped');
    // the equity curve: one sample per minute of engine time, the last equal to the run's net PnL
    const equity = loadEquity(db, summary.runId);
    expect(equity.length).toBeGreaterThan(100);
    expect(equity.length).toBeLessThanOrEqual((TO - FROM) / 60_000 + 2);
    expect(equity.at(-1)!.equity).toBeCloseTo(summary.netPnl, 9);
    expect(summary.trades).toBeGreaterThan(0);
    expect(summary.maxDrawdown).toBeGreaterThan(0);
  });

  it('stores positions equal to the sum of the stored fills, exactly', async () => {
    const { summary, db } = await backtest([{ use: 'flip-flop' }]);
    const fills = loadFills(db, summary.portfolioId);
    const net = fills.reduce((q, f) => (f.side === 'buy' ? q.plus(f.lastQty) : q.minus(f.lastQty)), ZERO);
    const fees = fills.reduce((q, f) => q.plus(f.fee), ZERO);
    const stored = loadPositions(db, summary.portfolioId).get('EURUSD.FXCM')!;
    expect(stored.quantity.toString()).toBe(net.toString());
    expect(stored.fees.toString()).toBe(fees.toString());
    expect(D(summary.positions[0]!.quantity).toString()).toBe(net.toString());
    expect(verifyPositions(db, summary.portfolioId)).toEqual({ ok: true, value: undefined });
    expect(summary.positionsVerified).toBe(true);
  });

  it('gives byte-identical events and fills when the same input runs twice', async () => {
    const a = await backtest([{ use: 'flip-flop' }, { use: 'quoter', params: { refreshMs: 30_000 } }]);
    const b = await backtest([{ use: 'flip-flop' }, { use: 'quoter', params: { refreshMs: 30_000 } }]);
    const dump = (r: typeof a) => ({
      events: db(r).prepare('SELECT kind, client_order_id, ts_event, payload FROM events ORDER BY seq').all(),
      fills: db(r).prepare('SELECT venue, venue_order_id, trade_id, client_order_id, side, qty, price, fee, ts_event FROM fills ORDER BY id').all(),
    });
    const db = (r: typeof a) => r.db;
    const [da, dbb] = [JSON.stringify(dump(a)), JSON.stringify(dump(b))];
    expect(a.summary.fills).toBeGreaterThan(10);
    expect(da.length).toBeGreaterThan(10_000);
    expect(da).toBe(dbb);
  });

  it('denies orders over a risk limit, persists the denials, and sends nothing for them', async () => {
    const { summary, db } = await backtest([{ use: 'flip-flop' }], { maxNotional: { 'EURUSD.FXCM': 20_000 } });
    // the first order (10k EUR ≈ 13.9k USD) passes; every flip (20k EUR) exceeds 20k USD of notional
    expect(summary.deniedByCode.NOTIONAL_ABOVE_MAX).toBeGreaterThan(0);
    const denied = loadEvents(db, summary.runId).filter((e) => e.event.kind === 'OrderDenied');
    expect(denied.length).toBe(summary.denied);
    expect(denied[0]!.event).toMatchObject({ code: 'NOTIONAL_ABOVE_MAX' });
    const deniedIds = new Set(denied.map((e) => e.event.clientOrderId));
    const reachedVenue = loadEvents(db, summary.runId).filter((e) => deniedIds.has(e.event.clientOrderId) && e.event.kind !== 'OrderDenied');
    expect(reachedVenue).toEqual([]);
    expect(loadOrders(db, { runId: summary.runId }).filter((o) => o.status === 'DENIED').length).toBe(summary.denied);
  });

  it('stores every fill of every run when several runs share one database', async () => {
    const db = openDatabase(':memory:');
    const first = await backtest([{ use: 'flip-flop' }], {}, db);
    const second = await backtest([{ use: 'flip-flop' }], {}, db);
    expect(second.summary.runId).toBe(first.summary.runId + 1);
    expect(loadFills(db, second.summary.portfolioId).length).toBe(second.summary.fills);
    expect(loadFills(db, first.summary.portfolioId).length).toBe(first.summary.fills);
    expect(second.summary.positionsVerified).toBe(true);
  });

  it('refuses empty data with a clear error', async () => {
    const config = resolveConfig({ instruments: 'data/instruments.json', strategies: [{ use: 'quoter' }] });
    const definitions = await loadStrategies(['quoter']);
    expect(() => runBacktest({ config, definitions, instruments: loadInstruments(config), db: openDatabase(':memory:'), log: silentLogger(), ticks: [] }))
      .toThrow(/no ticks to replay/);
  });
});
