import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatClientOrderId } from '../../engine/model/ids.js';
import { openDatabase, type Database } from '../../engine/persistence/database.js';
import { createEventWriter, type EventWriter } from '../../engine/persistence/event-writer.js';
import {
  loadFills, loadOrders, loadPositions, loadStrategyState, maxClientOrderCounter,
} from '../../engine/persistence/repositories.js';
import { createRun } from '../../engine/persistence/runs.js';
import type { Order } from '../../engine/model/order.js';
import { PORTFOLIO, STRATEGY, accept, acceptedOrder, cancel, fill, newOrder, submit } from './fixtures.js';

let db: Database;
let runId: number;
let w: EventWriter;
beforeEach(() => {
  db = openDatabase(':memory:');
  runId = createRun(db, { mode: 'backtest', portfolioId: PORTFOLIO, startedAt: 0, config: {} });
  w = createEventWriter(db, { runId, portfolioId: PORTFOLIO, flushIntervalMs: 0, onError: (e) => { throw e; } });
});
afterEach(() => db.close());

describe('loadOrders', () => {
  it('filters by run and by open status and restores the numbers exactly', () => {
    const open = newOrder({ price: 0.1, quantity: 0.3 });
    w.append(submit(open), open);
    w.append(accept(open), open);
    const done = newOrder();
    w.append(submit(done), done);
    w.append(cancel(done), done);
    w.flush();
    const run2 = createRun(db, { mode: 'backtest', portfolioId: PORTFOLIO, startedAt: 1, config: {} });
    const w2 = createEventWriter(db, { runId: run2, portfolioId: PORTFOLIO, flushIntervalMs: 0, onError: (e) => { throw e; } });
    const later = newOrder({ type: 'market', price: undefined });
    w2.append(submit(later), later);
    w2.flush();

    expect(loadOrders(db).map((o) => o.clientOrderId)).toEqual([open.clientOrderId, done.clientOrderId, later.clientOrderId]);
    expect(loadOrders(db, { open: true }).map((o) => o.clientOrderId)).toEqual([open.clientOrderId, later.clientOrderId]);
    expect(loadOrders(db, { open: false }).map((o) => o.clientOrderId)).toEqual([done.clientOrderId]);
    expect(loadOrders(db, { runId: run2 })).toEqual([{ ...later }]);
    expect(loadOrders(db, { runId: run2 })[0]).not.toHaveProperty('price');
    const [restored] = loadOrders(db, { runId, open: true });
    expect(restored).toEqual({ ...open });
    expect(restored?.price).toBe(0.1);
  });
});

describe('contingent orders as stored', () => {
  it("keep a trailing stop's latest trigger across commits, and their parent and OCO group, so a restart links and arms them as they were", () => {
    const parent = newOrder();
    w.append(submit(parent), parent);
    const stop: Order = newOrder({
      side: 'sell', type: 'market', price: undefined, status: 'EMULATED', parentId: parent.clientOrderId, ocoGroup: 'S-1-7',
      trigger: { kind: 'stop', price: 99.5, on: 'bid_ask', trailing: 0.5 },
    });
    const base = { clientOrderId: stop.clientOrderId, strategyId: STRATEGY, instrumentId: stop.instrumentId, tsInit: 1_000 };
    w.append({ kind: 'OrderEmulated', ...base, tsEvent: 1_000, triggerPrice: 99.5, triggerType: 'bid_ask', trailing: 0.5 }, stop);
    w.flush();
    // the price rose: the trigger moved up, in a later commit (an upsert of an order already stored)
    stop.trigger = { kind: 'stop', price: 100.25, on: 'bid_ask', trailing: 0.5 };
    w.append({ kind: 'OrderUpdated', ...base, tsEvent: 2_000, quantity: stop.quantity, triggerPrice: 100.25 }, stop);
    w.flush();
    const [restored] = loadOrders(db, { open: true }).filter((o) => o.clientOrderId === stop.clientOrderId);
    expect(restored).toMatchObject({ status: 'EMULATED', parentId: parent.clientOrderId, ocoGroup: 'S-1-7', trigger: { kind: 'stop', price: 100.25, on: 'bid_ask', trailing: 0.5 } });
  });
});

describe('loadFills and loadPositions', () => {
  it('return fills in order as exact decimal text and positions as exact decimals', () => {
    const o = acceptedOrder('buy', 0.3, 0.1);
    w.append(fill(o, { tradeId: 'a', qty: 0.1, price: 0.1, fee: 0.0001, ts: 5 }), o);
    w.append(fill(o, { tradeId: 'b', qty: 0.2, price: 0.2, fee: 0.0002, ts: 6, liquidity: 'maker' }), o);
    w.flush();
    const fills = loadFills(db, PORTFOLIO);
    expect(fills.map((f) => [f.tradeId, f.lastQty, f.lastPrice, f.fee, f.liquidity])).toEqual([
      ['a', '0.1', '0.1', '0.0001', 'taker'],
      ['b', '0.2', '0.2', '0.0002', 'maker'],
    ]);
    expect(fills[0]!.id).toBeLessThan(fills[1]!.id);
    expect(loadFills(db, 'other')).toEqual([]);

    const pos = loadPositions(db, PORTFOLIO).get(o.instrumentId)!;
    expect(pos.quantity.toString()).toBe('0.3');
    expect(pos.costBasis.toString()).toBe('0.05');
    expect(pos.fees.toString()).toBe('0.0003');
    expect(pos.tsLast).toBe(6);
    expect(loadPositions(db, 'other').size).toBe(0);
  });
});

describe('strategy state', () => {
  it('round-trips values and overwrites them per key, in order with the events', () => {
    w.saveState('run', STRATEGY, 'fast', { ema: 100.25, warm: true });
    w.saveState('run', STRATEGY, 'slow', [1, 2, 3]);
    w.saveState('run', STRATEGY, 'fast', { ema: 101.5, warm: true });
    w.saveState('global', STRATEGY, 'fast', 'other scope');
    w.saveState('run', 'another', 'fast', 0);
    w.flush();
    expect(loadStrategyState(db, 'run', STRATEGY)).toEqual({ fast: { ema: 101.5, warm: true }, slow: [1, 2, 3] });
    expect(loadStrategyState(db, 'global', STRATEGY)).toEqual({ fast: 'other scope' });
    expect(loadStrategyState(db, 'run', 'nobody')).toEqual({});
  });

  it('captures a value when it is saved, not when it is committed', () => {
    const value = { n: 1 };
    w.saveState('run', STRATEGY, 'k', value);
    value.n = 2;
    w.flush();
    expect(loadStrategyState(db, 'run', STRATEGY)).toEqual({ k: { n: 1 } });
  });

  it('deletes a key saved as undefined', () => {
    w.saveState('run', STRATEGY, 'k', 1);
    w.saveState('run', STRATEGY, 'j', 2);
    w.flush();
    w.saveState('run', STRATEGY, 'k', undefined);
    w.flush();
    expect(loadStrategyState(db, 'run', STRATEGY)).toEqual({ j: 2 });
  });
});

describe('maxClientOrderCounter', () => {
  it('is 0 when the strategy has no orders', () => {
    expect(maxClientOrderCounter(db, STRATEGY)).toBe(0);
  });

  it('resumes past the highest counter of the strategy across runs, skipping ids that are not ours', () => {
    const ids = [formatClientOrderId(STRATEGY, 1, 7), formatClientOrderId(STRATEGY, 2, 12), formatClientOrderId(STRATEGY, 3, 3), 'manual-ticket'];
    for (const clientOrderId of ids) {
      const o = newOrder({ clientOrderId });
      w.append(submit(o), o);
    }
    const other = newOrder({ clientOrderId: formatClientOrderId('ema', 1, 99), strategyId: 'ema' });
    w.append(submit(other), other);
    w.flush();
    expect(maxClientOrderCounter(db, STRATEGY)).toBe(12);
    expect(maxClientOrderCounter(db, 'ema')).toBe(99);
    expect(formatClientOrderId(STRATEGY, 4, maxClientOrderCounter(db, STRATEGY) + 1)).toBe('ema-cross-4-13');
  });
});
