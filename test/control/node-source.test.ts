import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../engine/config/config.js';
import { createNodeSource, type NodeSource } from '../../engine/control/node-source.js';
import type { AuditEntry, StreamMessage } from '../../engine/control/source.js';
import { startLiveSession, type LiveSession } from '../../engine/kernel/live-session.js';
import { silentLogger } from '../../engine/log/logger.js';
import type { OrderEvent } from '../../engine/model/events.js';
import { loadFills, openDatabase } from '../../engine/persistence/index.js';
import { defineStrategy } from '../../engine/strategy/define-strategy.js';
import { BTC, createFakeVenue } from '../kernel/fake-venue.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}

let live: LiveSession | undefined;
let source: NodeSource | undefined;
afterEach(async () => {
  source?.close();
  await live?.stop(50);
  live = source = undefined;
});

/** A paper session (fills from the simulated venue) with two strategies the test drives, and its control source. */
async function start() {
  const v = createFakeVenue();
  const ctxs = new Map<string, { buy: (id: string, q: number, o: Record<string, unknown>) => string; sell: (id: string, q: number, o: Record<string, unknown>) => string }>();
  const events: OrderEvent[] = [];
  const driven = (name: string) => defineStrategy({ name, onStart: (c) => void ctxs.set(name, c), onOrderEvent: (_c, e) => void events.push(e) });
  const db = openDatabase(':memory:');
  const config = resolveConfig({
    mode: 'paper', portfolio: 'desk', strategies: [{ use: 'alpha' }, { use: 'beta' }], storage: { path: ':memory:', flushIntervalMs: 1 },
    risk: { tradingState: 'ACTIVE' },
  });
  live = await startLiveSession({
    config, definitions: new Map([['alpha', driven('alpha')], ['beta', driven('beta')]]), adapters: [v.adapter], instruments: [BTC], db, log: silentLogger(),
  });
  const audits: AuditEntry[] = [];
  source = createNodeSource({
    node: live.node, venues: live.venues, venueIds: ['FAKE'], storedFills: loadFills(db, 'desk'), equity: () => [],
    auditStore: { append: (e) => void audits.push(e) }, lastOperatorCounter: 0, startedAt: live.node.clock.now(),
  });
  const stream: StreamMessage[] = [];
  const take = (m: StreamMessage): void => void (m.type === 'batch' ? m.messages.forEach(take) : stream.push(m));
  source.stream$.subscribe(take);
  await until(() => ctxs.size === 2);
  v.quote(100);
  await sleep(10);
  return { v, db, s: source, node: live.node, ctx: (id: string) => ctxs.get(id)!, events, audits, stream };
}

describe('the control plane\'s view of a paper session', () => {
  it('shows positions per instrument and per strategy, open orders, recent fills, and streams the order events in order', async () => {
    const r = await start();
    r.ctx('alpha').buy(BTC.id, 2, { price: 101 }); // marketable: fills at the ask
    r.ctx('beta').sell(BTC.id, 0.5, { price: 100 });
    const resting = r.ctx('beta').buy(BTC.id, 1, { price: 90 });
    r.v.quote(100);
    await until(() => r.s.recentFills(10).length === 2);
    await sleep(80);
    expect(r.s.positions()).toEqual(expect.arrayContaining([
      expect.objectContaining({ instrumentId: BTC.id, quantity: '1.5', side: 'long' }),
      expect.objectContaining({ instrumentId: BTC.id, strategyId: 'alpha', quantity: '2' }),
      expect.objectContaining({ instrumentId: BTC.id, strategyId: 'beta', quantity: '-0.5', side: 'short' }),
    ]));
    expect(r.s.openOrders().map((o) => [o.clientOrderId, o.status, o.inFlight])).toEqual([[resting, 'ACCEPTED', false]]);
    const kinds = r.stream.filter((m) => m.type === 'order').map((m) => String((m as { event: Record<string, unknown> }).event.kind));
    expect(kinds.filter((k) => k === 'OrderFilled')).toHaveLength(2);
    expect(kinds.indexOf('OrderSubmitted')).toBeLessThan(kinds.indexOf('OrderFilled'));
    expect(r.s.session()).toMatchObject({ mode: 'paper', portfolio: 'desk-paper', tradingState: 'ACTIVE' });
    expect(r.s.venues()).toEqual([expect.objectContaining({ venue: 'FAKE', sync: 'simulated', holdReason: null })]);
    expect(r.s.strategies().map((x) => [x.id, x.status, x.openOrders])).toEqual([['alpha', 'running', 0], ['beta', 'running', 1]]);
    expect(r.s.stats()).toMatchObject({ fills: 2, orders: 3 });
  });

  it('halts trading: the next submit is denied TRADING_HALTED, and the change is on the stream', async () => {
    const r = await start();
    expect(r.s.setTradingState('HALTED', 'operator test')).toMatchObject({ ok: true, message: 'trading state ACTIVE → HALTED' });
    r.ctx('alpha').buy(BTC.id, 1, { price: 95 });
    expect(r.events.at(-1)).toMatchObject({ kind: 'OrderDenied', code: 'TRADING_HALTED' });
    await sleep(80); // the stream gets what happened after the engine's current work, in order, at most every 50 ms
    expect(r.stream).toContainEqual({ type: 'state', tradingState: 'HALTED', reason: 'operator test' });
  });

  it('cancels all open orders of one strategy, or one order, and says when there is nothing to cancel', async () => {
    const r = await start();
    const a = r.ctx('alpha').buy(BTC.id, 1, { price: 90 });
    const b = r.ctx('beta').buy(BTC.id, 1, { price: 91 });
    await until(() => r.s.openOrders().length === 2 && r.s.openOrders().every((o) => o.status === 'ACCEPTED'));
    expect(r.s.cancelAll({ strategyId: 'beta' })).toMatchObject({ ok: true, orders: [b] });
    await until(() => r.node.exec.order(b)?.status === 'CANCELED');
    expect(r.node.exec.order(a)?.status).toBe('ACCEPTED');
    expect(r.s.cancel(a)).toMatchObject({ ok: true, orders: [a] });
    await until(() => r.node.exec.order(a)?.status === 'CANCELED');
    expect(r.s.cancel(a)).toMatchObject({ ok: false, message: `${a} is CANCELED: nothing to cancel` });
    expect(r.s.cancelAll({})).toMatchObject({ ok: true, message: 'no open order matched' });
  });

  it('stops one strategy (its orders are canceled) and refuses an unknown one with the known ids', async () => {
    const r = await start();
    const a = r.ctx('alpha').buy(BTC.id, 1, { price: 90 });
    await until(() => r.node.exec.order(a)?.status === 'ACCEPTED');
    expect(r.s.stopStrategy('alpha', 'test')).toMatchObject({ ok: true });
    await until(() => r.node.exec.order(a)?.status === 'CANCELED');
    expect(r.s.strategies().find((x) => x.id === 'alpha')?.status).toBe('stopped');
    expect(r.s.stopStrategy('gamma', 'test')).toEqual({ ok: false, message: 'no strategy gamma (strategies: alpha, beta)' });
  });

  it('flattens a position with a market order through the risk layer, and is denied like any order when halted', async () => {
    const r = await start();
    r.ctx('alpha').buy(BTC.id, 2, { price: 101 });
    await until(() => r.node.portfolio.quantity(BTC.id) === 2);
    r.s.setTradingState('HALTED', 'test');
    expect(r.s.flatten(BTC.id)).toMatchObject({ ok: false, message: expect.stringMatching(/denied by the risk layer/) });
    r.s.setTradingState('REDUCING', 'test');
    const done = r.s.flatten(BTC.id);
    expect(done).toMatchObject({ ok: true, orders: ['operator-1-2'] });
    r.v.quote(100);
    await until(() => r.node.portfolio.quantity(BTC.id) === 0);
    expect(r.s.positions()).toEqual(expect.arrayContaining([expect.objectContaining({ strategyId: 'operator', quantity: '-2' })]));
  });

  it('keeps warnings and errors of the log for the stream, and passes audit entries to the store and the stream', async () => {
    const r = await start();
    r.s.log({ level: 30, time: 1, msg: 'info: not kept' });
    r.s.log({ level: 40, time: 2, msg: 'venue slow', venue: 'FAKE' });
    expect(r.s.recentLogs(10)).toEqual([{ type: 'log', level: 'warn', time: 2, msg: 'venue slow', fields: { venue: 'FAKE' } }]);
    const entry: AuditEntry = { ts: 5, actor: 'token@127.0.0.1', action: 'trading-state', params: { state: 'HALTED' }, ok: true, message: 'x' };
    r.s.audit(entry);
    expect(r.audits).toEqual([entry]);
    await sleep(80);
    expect(r.stream).toContainEqual({ type: 'audit', entry });
  });
});
