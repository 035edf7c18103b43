import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../engine/persistence/database.js';
import { openDatabase } from '../../engine/persistence/database.js';
import { createEventWriter, type EventWriterOptions } from '../../engine/persistence/event-writer.js';
import { loadEvents, loadFills, loadOrders, loadPositions } from '../../engine/persistence/repositories.js';
import { createRun } from '../../engine/persistence/runs.js';
import { PORTFOLIO, accept, acceptedOrder, cancel, delay, fill, newOrder, submit } from './fixtures.js';

let db: Database;
let runId: number;
beforeEach(() => {
  db = openDatabase(':memory:');
  runId = createRun(db, { mode: 'backtest', portfolioId: PORTFOLIO, startedAt: 0, config: {} });
});
afterEach(() => {
  if (db.open) db.close();
});

const count = (table: string): number => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
const writer = (over: Partial<EventWriterOptions> = {}) =>
  createEventWriter(db, { runId, portfolioId: PORTFOLIO, flushIntervalMs: 0, onError: (e) => { throw e; }, ...over });

describe('the event writer', () => {
  it('writes nothing until maxBatch items are buffered, then commits them in one transaction', () => {
    const w = writer({ maxBatch: 4 });
    const o = newOrder();
    w.append(submit(o), o);
    w.append(accept(o), o);
    w.saveState('run', o.strategyId, 'ema', 1);
    expect(count('events')).toBe(0);
    expect(count('orders')).toBe(0);
    expect(count('strategy_state')).toBe(0);
    expect(w.stats()).toMatchObject({ appended: 3, committed: 0, batches: 0, pending: 3 });
    w.append(cancel(o), o);
    expect(count('events')).toBe(3);
    expect(count('strategy_state')).toBe(1);
    expect(w.stats()).toMatchObject({ appended: 4, committed: 4, batches: 1, pending: 0 });
  });

  it('commits whatever is buffered on flush', () => {
    const w = writer();
    const o = newOrder();
    w.append(submit(o), o);
    expect(count('events')).toBe(0);
    expect(w.flush()).toBe(true);
    expect(count('events')).toBe(1);
    expect(w.stats()).toMatchObject({ committed: 1, batches: 1 });
  });

  it('gives events increasing seq numbers and round-trips them through loadEvents', () => {
    const w = writer();
    const o = acceptedOrder('buy', 0.3, 100.1);
    const events = [submit(o), accept(o), fill(o, { tradeId: 't1', qty: 0.1, price: 100.1, fee: 0.01 }), cancel(o)];
    for (const e of events) w.append(e, o);
    w.flush();
    const stored = loadEvents(db, runId);
    expect(stored.map((s) => s.event)).toEqual(events);
    expect(stored.every((s) => s.runId === runId)).toBe(true);
    const seqs = stored.map((s) => s.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(4);
  });

  it('commits on the interval without an explicit flush', async () => {
    const w = writer({ flushIntervalMs: 5 });
    const o = newOrder();
    w.append(submit(o), o);
    expect(count('events')).toBe(0);
    await delay(60);
    expect(count('events')).toBe(1);
    expect(w.stats()).toMatchObject({ committed: 1, batches: 1, pending: 0 });
    w.close();
  });

  it('stores the order as it was at append time, not as the caller mutated it afterwards', () => {
    const w = writer();
    const o = newOrder({ price: 100.1, quantity: 0.3 });
    w.append(submit(o), o);
    accept(o); // mutated, not appended
    o.quantity = 0.5;
    w.flush();
    const [row] = loadOrders(db);
    expect(row).toMatchObject({ status: 'SUBMITTED', quantity: 0.3, price: 100.1 });
    expect(row?.venueOrderId).toBeUndefined();
  });

  it('keeps the latest state of an order after several events', () => {
    const w = writer();
    const o = newOrder({ side: 'sell', quantity: 0.3, price: 101.7, tag: 'exit', timeInForce: 'GTD', expireAt: 9_000, reduceOnly: true });
    w.append(submit(o), o);
    w.append(accept(o, 'V-77'), o);
    w.append(fill(o, { tradeId: 't1', qty: 0.1, price: 101.7 }), o);
    w.flush();
    expect(loadOrders(db)).toEqual([{ ...o }]);
    expect(loadOrders(db)[0]).toMatchObject({ status: 'PARTIALLY_FILLED', filledQty: 0.1, venueOrderId: 'V-77', expireAt: 9_000 });
  });

  it('applies a fill to the position once and ignores a duplicate with the same venue, order id and trade id', () => {
    const w = writer();
    const o = acceptedOrder('buy', 0.3, 100.1);
    const first = fill(o, { tradeId: 't1', qty: 0.1, price: 100.1, fee: 0.02 });
    w.append(first, o);
    w.append(first, o); // same batch
    w.flush();
    w.append(first, o); // later batch
    w.flush();
    expect(count('events')).toBe(3);
    expect(loadFills(db, PORTFOLIO)).toHaveLength(1);
    const pos = loadPositions(db, PORTFOLIO).get(o.instrumentId)!;
    expect(pos.quantity.toString()).toBe('0.1');
    expect(pos.fees.toString()).toBe('0.02');
    expect(pos.fillCount).toBe(1);
    expect(w.stats().duplicateFills).toBe(2);
  });

  it('reports a conflicting duplicate fill and leaves the position alone', () => {
    const conflicts: string[] = [];
    const w = writer({ onConflictingFill: (m) => conflicts.push(m) });
    const o = acceptedOrder('buy', 0.3, 100.1);
    const f = fill(o, { tradeId: 't1', qty: 0.1, price: 100.1 });
    w.append(f, o);
    w.append({ ...f, lastQty: 0.2 }, o);
    w.flush();
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toContain(`conflicting duplicate fill SIM/${f.venueOrderId}/t1 ignored`);
    expect(conflicts[0]).toContain('qty 0.2 (stored 0.1)');
    expect(loadPositions(db, PORTFOLIO).get(o.instrumentId)!.quantity.toString()).toBe('0.1');
  });

  it('continues from the stored positions when a new writer is created', () => {
    const o = acceptedOrder('buy', 0.3, 100.1);
    const w1 = writer();
    w1.append(fill(o, { tradeId: 't1', qty: 0.1, price: 100.1 }), o);
    w1.close();
    const w2 = writer();
    w2.append(fill(o, { tradeId: 't2', qty: 0.2, price: 100.2 }), o);
    w2.close();
    const pos = loadPositions(db, PORTFOLIO).get(o.instrumentId)!;
    expect(pos.quantity.toString()).toBe('0.3');
    expect(pos.costBasis.toString()).toBe('30.05');
    expect(pos.fillCount).toBe(2);
  });

  it('uses the contract size of the instrument for realized PnL', () => {
    const w = writer({ contractSizeOf: () => 10 });
    const buy = acceptedOrder('buy', 1, 100);
    w.append(fill(buy, { tradeId: 'b1', qty: 1, price: 100 }), buy);
    const sell = acceptedOrder('sell', 1, 100.5);
    w.append(fill(sell, { tradeId: 's1', qty: 1, price: 100.5 }), sell);
    w.flush();
    expect(loadPositions(db, PORTFOLIO).get(buy.instrumentId)!.realizedPnl.toString()).toBe('5');
  });

  it('close flushes, stops the timer and refuses further appends', () => {
    const w = writer({ flushIntervalMs: 1_000 });
    const o = newOrder();
    w.append(submit(o), o);
    expect(w.close()).toBe(true);
    expect(count('events')).toBe(1);
    expect(() => w.append(accept(o), o)).toThrow(/closed/);
  });
});

describe('the event writer when a commit fails', () => {
  it('keeps the items, reports the error and commits them once on retry', () => {
    db.close();
    db = openDatabase(':memory:');
    const errors: Error[] = [];
    // the run does not exist yet: every commit fails on the events.run_id foreign key
    const w = createEventWriter(db, { runId: 1, portfolioId: PORTFOLIO, flushIntervalMs: 0, onError: (e) => errors.push(e) });
    const o = acceptedOrder('buy', 0.3, 100.1);
    w.append(submit(o), o);
    w.append(fill(o, { tradeId: 't1', qty: 0.1, price: 100.1 }), o);
    expect(() => w.flush()).not.toThrow();
    expect(w.flush()).toBe(false);
    expect(errors).toHaveLength(2);
    expect(errors[0]?.message).toMatch(/FOREIGN KEY/);
    expect(count('events')).toBe(0);
    expect(count('positions')).toBe(0);
    expect(w.stats()).toMatchObject({ appended: 2, committed: 0, batches: 0, pending: 2 });

    expect(createRun(db, { mode: 'backtest', portfolioId: PORTFOLIO, startedAt: 0, config: {} })).toBe(1);
    expect(w.flush()).toBe(true);
    expect(loadEvents(db, 1).map((e) => e.event.kind)).toEqual(['OrderSubmitted', 'OrderFilled']);
    const pos = loadPositions(db, PORTFOLIO).get(o.instrumentId)!;
    expect(pos.quantity.toString()).toBe('0.1');
    expect(pos.fillCount).toBe(1);
    expect(w.stats()).toMatchObject({ committed: 2, batches: 1, pending: 0 });
  });

  it('does not throw into append and waits for another batch before retrying', () => {
    const onError = vi.fn();
    const w = createEventWriter(db, { runId: runId + 1, portfolioId: PORTFOLIO, maxBatch: 2, flushIntervalMs: 0, onError });
    const o = newOrder();
    w.append(submit(o), o);
    expect(() => w.append(accept(o), o)).not.toThrow();
    expect(onError).toHaveBeenCalledTimes(1);
    w.append(cancel(o), o);
    expect(onError).toHaveBeenCalledTimes(1);
    w.append(cancel(o), o);
    expect(onError).toHaveBeenCalledTimes(2);
    expect(w.stats().pending).toBe(4);
  });

  it('retries on the timer and commits once the cause is gone', async () => {
    const onError = vi.fn();
    const w = createEventWriter(db, { runId: runId + 1, portfolioId: PORTFOLIO, flushIntervalMs: 2, onError });
    const o = newOrder();
    w.append(submit(o), o);
    await delay(20);
    expect(onError).toHaveBeenCalled();
    expect(count('events')).toBe(0);
    createRun(db, { mode: 'backtest', portfolioId: PORTFOLIO, startedAt: 0, config: {} });
    await vi.waitFor(() => expect(count('events')).toBe(1), { timeout: 2_000, interval: 5 });
    expect(w.stats().pending).toBe(0);
    w.close();
  });

  it('keeps the items when the database connection has gone away', () => {
    const onError = vi.fn();
    const w = createEventWriter(db, { runId, portfolioId: PORTFOLIO, flushIntervalMs: 0, onError });
    const o = newOrder();
    w.append(submit(o), o);
    db.close();
    expect(w.close()).toBe(false);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(w.stats().pending).toBe(1);
  });
});

describe('the event writer when one item can never be stored', () => {
  it('commits the others, keeps the bad one in dead_letters, and is not blocked afterwards', () => {
    const errors: string[] = [];
    const w = writer({ maxBatch: 100, onError: (e) => void errors.push(e.message) });
    const good = acceptedOrder('buy', 1, 100);
    const bad = newOrder({ clientOrderId: 'ema-cross-1-99' });
    const poisoned = { ...submit(bad), instrumentId: undefined as unknown as string };
    w.append(fill(good, { tradeId: 't1', qty: 1, price: 100 }), good);
    w.append(poisoned, { ...bad, instrumentId: undefined as unknown as string });
    w.append(cancel(bad), bad);
    expect(w.flush()).toBe(true);
    expect(count('events')).toBe(2);
    expect(count('fills')).toBe(1);
    expect(loadPositions(db, PORTFOLIO).get(good.instrumentId)!.quantity.toString()).toBe('1');
    const dead = db.prepare('SELECT kind, client_order_id, error FROM dead_letters').all();
    expect(dead).toEqual([{ kind: 'OrderSubmitted', client_order_id: 'ema-cross-1-99', error: expect.stringMatching(/NOT NULL/) }]);
    expect(w.stats()).toMatchObject({ pending: 0, deadLetters: 1 });
    expect(errors).toEqual([expect.stringMatching(/put in dead_letters: OrderSubmitted/)]);
    // later batches go through
    w.append(submit(newOrder({ clientOrderId: 'ema-cross-1-100' })), newOrder({ clientOrderId: 'ema-cross-1-100' }));
    expect(w.flush()).toBe(true);
    expect(count('events')).toBe(3);
  });

  it('keeps every other event, in order, when the bad one sits among many (rows are inserted several per statement)', () => {
    const errors: string[] = [];
    const w = writer({ maxBatch: 1_000, onError: (e) => void errors.push(e.message) });
    const ids: string[] = [];
    for (let i = 1; i <= 40; i++) {
      const o = newOrder({ clientOrderId: `ema-cross-1-${i}` });
      if (i === 23) w.append({ ...submit(o), kind: undefined as unknown as 'OrderSubmitted' }, o);
      else {
        w.append(submit(o), o);
        ids.push(o.clientOrderId);
      }
    }
    expect(w.flush()).toBe(true);
    const stored = loadEvents(db, runId);
    expect(stored.map((e) => e.event.clientOrderId)).toEqual(ids);
    expect(stored.every((e, i) => i === 0 || e.seq > stored[i - 1]!.seq)).toBe(true);
    expect(w.stats()).toMatchObject({ pending: 0, deadLetters: 1, committed: 39 });
    expect(errors).toEqual([expect.stringMatching(/put in dead_letters/)]);
  });
});
