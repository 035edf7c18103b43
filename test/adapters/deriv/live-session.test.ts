/**
 * The whole engine in live mode on the Deriv simulator with the demo strategy: a contract's life through risk,
 * execution, portfolio and SQLite — a buy fill, a sell fill, a flat position whose realized PnL is exactly the
 * venue's sale minus the stake, and a stake over maxNotional denied before it reaches the venue.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../engine/config/config.js';
import { startLiveSession, type LiveSession } from '../../../engine/kernel/live-session.js';
import { silentLogger } from '../../../engine/log/logger.js';
import { openDatabase } from '../../../engine/persistence/index.js';
import demo from '../../../strategies/deriv-contracts.js';
import { startDerivSimulator, type DerivSimulator } from '../../venues/deriv/sim-server.js';
import { waitFor } from '../session-kit.js';
import { CALL, makeDerivAdapter } from './helpers.js';

describe('engine live on the Deriv simulator', () => {
  let sim: DerivSimulator;
  let session: LiveSession | undefined;
  let db: ReturnType<typeof openDatabase>;
  beforeEach(async () => {
    sim = await startDerivSimulator({ port: 0, marketIntervalMs: 50 });
    db = openDatabase(':memory:');
  });
  afterEach(async () => {
    await session?.stop(200).catch(() => undefined);
    session = undefined;
    db.close();
    await sim.close();
  });

  const start = async (params: Record<string, unknown>, adapterOptions: Record<string, unknown> = { duration: 50 }) => {
    const config = resolveConfig({
      mode: 'live',
      portfolio: 'deriv-test',
      strategies: [{ use: 'deriv-contracts', id: 'dc', params }],
      risk: { maxNotional: { [CALL]: 6 }, rateLimits: { perVenue: { DERIV: '20/1s' } } },
      storage: { path: ':memory:', flushIntervalMs: 1 },
    });
    const adapter = makeDerivAdapter(sim, { options: adapterOptions });
    session = await startLiveSession({ config, definitions: new Map([['deriv-contracts', demo]]), adapters: [adapter], instruments: [], db, log: silentLogger() });
    return session;
  };

  it('buys a contract and sells it before expiry; position, PnL and the database follow the venue exactly', async () => {
    const s = await start({ instrument: CALL, payout: 10, maxPrice: 0.55, holdMs: 300, everyMs: 100 });
    const soldBefore = () => [...sim.core.contracts.values()].filter((c) => c.status === 'sold');
    await waitFor(() => soldBefore().length >= 1, 6_000, 'a contract sold by the strategy');
    const c = soldBefore()[0]!;
    await waitFor(() => s.node.portfolio.view(CALL).realizedPnl !== 0 || s.node.portfolio.view(CALL).quantity === 0, 2_000, 'position closed');
    await s.stop(200);
    session = undefined;
    const pos = s.node.portfolio.view(CALL);
    const closed = [...sim.core.contracts.values()].filter((x) => x.status !== 'open');
    const expected = closed.reduce((sum, x) => sum + (x.sellCents! - x.buyCents), 0) / 100;
    expect(pos.realizedPnl).toBeCloseTo(expected, 10);
    expect(pos.realizedPnl.toFixed(2)).toBe(expected.toFixed(2));
    const fills = db.prepare('SELECT side, venue_order_id FROM fills').all() as { side: string; venue_order_id: string }[];
    expect(fills.filter((f) => f.venue_order_id === String(c.contractId)).map((f) => f.side).sort()).toEqual(['buy', 'sell']);
  });

  it('closes a contract the strategy never sells at its expiry: the position is flat and PnL the settlement minus the stake', async () => {
    // holdMs: never sells; 3-tick contracts on a 50 ms market: each expires, is settled and closed, and the strategy,
    // flat again, buys the next
    const s = await start({ instrument: CALL, payout: 10, maxPrice: 0.55, holdMs: 1e9, everyMs: 100 }, { duration: 3 });
    const settled = () => [...sim.core.contracts.values()].filter((c) => c.status === 'won' || c.status === 'lost');
    await waitFor(() => settled().length >= 2, 10_000, 'two contracts settled at expiry');
    expect(sim.requests.filter((r) => r.method === 'sell')).toHaveLength(0);
    const closedIds = settled().map((c) => String(c.contractId));
    await waitFor(() => {
      const n = (db.prepare(`SELECT count(*) AS n FROM fills WHERE side = 'sell' AND venue_order_id IN (${closedIds.map(() => '?').join(',')})`).get(...closedIds) as { n: number }).n;
      return n === closedIds.length;
    }, 4_000, 'a sell fill stored for every settled contract');
    await s.stop(200);
    session = undefined;
    const closed = [...sim.core.contracts.values()].filter((c) => c.status !== 'open');
    const open = [...sim.core.contracts.values()].filter((c) => c.status === 'open');
    const pos = s.node.portfolio.view(CALL);
    expect(pos.quantity).toBe(open.length * 10);
    const expected = closed.reduce((sum, c) => sum + (c.sellCents! - c.buyCents), 0) / 100;
    expect(pos.realizedPnl.toFixed(2)).toBe(expected.toFixed(2));
    // each close is an order of the strategy, adopted with its fill
    const orders = db.prepare(`SELECT client_order_id, side, status FROM orders WHERE client_order_id LIKE 'dc-0-%'`).all() as { client_order_id: string; side: string; status: string }[];
    expect(orders.map((o) => o.client_order_id).sort()).toEqual(closed.map((c) => `dc-0-${c.contractId}`).sort());
    expect(orders.every((o) => o.side === 'sell' && o.status === 'FILLED')).toBe(true);
  });

  it('denies a contract whose stake exceeds maxNotional before it reaches the venue', async () => {
    const s = await start({ instrument: CALL, payout: 20, maxPrice: 0.55, holdMs: 300, everyMs: 100 });
    await waitFor(() => (db.prepare("SELECT count(*) AS n FROM orders WHERE status = 'DENIED'").get() as { n: number }).n > 0, 4_000, 'a denied order');
    expect(sim.requests.filter((r) => r.method === 'buy' || r.method === 'proposal' && r.req.subscribe !== 1)).toHaveLength(0);
    expect(s.node.portfolio.view(CALL).quantity).toBe(0);
  });
});
