/**
 * Live recovery against the Apifiny simulator over loopback sockets, with the real adapter and the real live session:
 * each fault is settled by asking the venue, without a reconnect (the adapter's sockets stay up throughout), or, for an
 * outage, by the reconciliation after it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../engine/config/config.js';
import type { ConnectionState } from '../../engine/execution/venue-adapter.js';
import { startLiveSession, type LiveSession } from '../../engine/kernel/live-session.js';
import { silentLogger } from '../../engine/log/logger.js';
import { loadFills, openDatabase } from '../../engine/persistence/index.js';
import { defineStrategy } from '../../engine/strategy/define-strategy.js';
import type { ApifinySimulator } from '../venues/apifiny/sim-server.js';
import { eventually, startTestSimulator } from '../venues/apifiny/test-client.js';
import { INSTRUMENT, makeAdapter } from '../adapters/apifiny/helpers.js';

const MID = 30_000;

interface Rig {
  sim: ApifinySimulator;
  db: ReturnType<typeof openDatabase>;
  live: LiveSession;
  states: ConnectionState[];
  buy(price: number, opts?: { timeInForce?: 'GTC' | 'IOC' }): string;
  cancel(id: string): void;
}

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.live.stop(200).catch(() => undefined);
  await rig?.sim.close();
  rig = undefined;
});

async function start(live: Record<string, unknown> = {}, beforeStart?: (sim: ApifinySimulator) => void, orderEntry: 'rest' | 'fix' = 'rest'): Promise<Rig> {
  const sim = await startTestSimulator(orderEntry === 'fix' ? { fixPort: 0 } : {});
  sim.market.moveTo('BTCUSD', MID);
  beforeStart?.(sim);
  let ctx: { buy: (...a: any[]) => string; cancel: (id: string) => void } | undefined;
  const strategy = defineStrategy({ name: 'hand', onStart: (c) => void (ctx = c) });
  const fix = orderEntry === 'fix' ? { orderEntry: 'fix', fixUrl: `tcp://${sim.host}:${sim.fixPort}`, fixReconnectMs: 100 } : {};
  const adapter = makeAdapter(sim, { options: { requestTimeoutMs: 300, idleTimeoutMs: 60_000, ...fix } });
  const states: ConnectionState[] = [];
  adapter.state$.subscribe((s) => states.push(s));
  const config = resolveConfig({
    mode: 'live', portfolio: 'desk', strategies: [{ use: 'hand' }], storage: { path: ':memory:', flushIntervalMs: 1 },
    risk: { priceBandPct: 10 },
    live: { retryInitialMs: 50, inFlightTimeoutMs: 400, inFlightCheckIntervalMs: 50, neverReceivedAfterMs: 2_000, reconcileMarginMs: 1_000, ...live },
  });
  const db = openDatabase(':memory:');
  const session = await startLiveSession({ config, definitions: new Map([['hand', strategy]]), adapters: [adapter], instruments: [], db, log: silentLogger() });
  await session.firstSync;
  await eventually(() => session.node.market.lastMid(INSTRUMENT));
  rig = {
    sim, db, live: session, states,
    buy: (price, opts = {}) => ctx!.buy(INSTRUMENT, 0.01, { price, timeInForce: opts.timeInForce ?? 'GTC' }),
    cancel: (id) => ctx!.cancel(id),
  };
  return rig;
}

/** Once connected, the adapter's connection never dropped. */
const connectedThroughout = (r: Rig): boolean => r.states.slice(r.states.indexOf('connected')).every((s) => s === 'connected');

describe('live recovery against the Apifiny simulator', () => {
  it('settles an IOC whose submit answer was lost while the order stream was silent: filled, its fill applied once, no reconnect', async () => {
    const r = await start();
    r.sim.faults.silenceHeartbeat();
    r.sim.faults.swallowNextResponse('newOrder');
    const id = r.buy(MID + 200, { timeInForce: 'IOC' });
    await eventually(() => (r.live.node.exec.order(id)?.status === 'FILLED' ? true : undefined), 5_000);
    expect(r.live.node.portfolio.quantity(INSTRUMENT)).toBe(0.01);
    expect(r.live.venues()[0]!.fillsRecovered).toBe(1);
    expect(connectedThroughout(r), r.states.join()).toBe(true);
    r.sim.faults.resumeHeartbeat();
  });

  it('settles a cancel whose answer was lost while the stream was silent: canceled as the venue says, no reconnect', async () => {
    const r = await start();
    const id = r.buy(MID - 500);
    await eventually(() => (r.live.node.exec.order(id)?.status === 'ACCEPTED' ? true : undefined));
    r.sim.faults.silenceHeartbeat();
    r.sim.faults.swallowNextResponse('cancelOrder');
    r.cancel(id);
    await eventually(() => (r.live.node.exec.order(id)?.status === 'CANCELED' ? true : undefined), 5_000);
    expect(connectedThroughout(r)).toBe(true);
    r.sim.faults.resumeHeartbeat();
  });

  it('retries a reconciliation query the venue failed (HTTP 502) and then trades, without a reconnect', async () => {
    const r = await start({}, (sim) => sim.faults.failNext('listOpenOrder', 502));
    expect(r.live.venues()[0]).toMatchObject({ state: 'synced', failedReconciliations: 1 });
    const id = r.buy(MID - 500);
    await eventually(() => (r.live.node.exec.order(id)?.status === 'ACCEPTED' ? true : undefined));
    expect(connectedThroughout(r)).toBe(true);
  });

  it('applies a fill made during an outage longer than the reconciliation margin, once, after the venue is back', async () => {
    const r = await start();
    const id = r.buy(MID - 500);
    await eventually(() => (r.live.node.exec.order(id)?.status === 'ACCEPTED' ? true : undefined));
    await r.sim.faults.stop();
    await eventually(() => (r.live.venues()[0]!.state === 'blind' ? true : undefined));
    r.sim.market.moveTo('BTCUSD', MID - 600); // the resting buy fills while the engine cannot hear it
    const other = r.buy(MID - 500);
    expect(r.live.node.exec.order(other)?.status).toBe('DENIED'); // held while blind
    await new Promise((res) => setTimeout(res, 1_500)); // longer than the 1 s margin
    await r.sim.faults.restart();
    await eventually(() => (r.live.node.exec.order(id)?.status === 'FILLED' ? true : undefined), 20_000);
    expect(r.live.node.portfolio.quantity(INSTRUMENT)).toBe(0.01);
    r.live.node.writer.flush();
    expect(loadFills(r.db, 'desk').map((f) => f.clientOrderId)).toEqual([id]);
    expect(r.live.venues()[0]!.reconciliations).toBeGreaterThanOrEqual(2);
  }, 30_000);
});

describe('live recovery with orders entered over FIX (issue 16)', () => {
  const newOrders = (r: Rig, id: string): number => {
    const orderId = r.live.node.exec.order(id)?.venueOrderId;
    return orderId === undefined ? -1 : r.sim.fixSeen!.get(`D:${orderId}`) ?? 0;
  };

  it('settles an IOC the venue acted on while the FIX connection dropped unanswered and the stream was silent: filled once, never resent', async () => {
    const r = await start({}, undefined, 'fix');
    r.sim.faults.silenceHeartbeat();
    r.sim.fixFaults!.dropAfterActing();
    const id = r.buy(MID + 200, { timeInForce: 'IOC' });
    await eventually(() => (r.live.node.exec.order(id)?.status === 'FILLED' ? true : undefined), 8_000);
    r.sim.faults.resumeHeartbeat();
    expect(r.live.node.portfolio.quantity(INSTRUMENT)).toBe(0.01);
    expect(newOrders(r, id)).toBe(1);
    expect(r.states).toContain('reconnecting'); // FIX was lost, and the kernel reconciled after it
    r.live.node.writer.flush();
    expect(loadFills(r.db, 'desk').map((f) => f.clientOrderId)).toEqual([id]);
  });

  it('settles a cancel the venue acted on while the FIX connection dropped unanswered: canceled as the venue says', async () => {
    const r = await start({}, undefined, 'fix');
    const id = r.buy(MID - 500);
    await eventually(() => (r.live.node.exec.order(id)?.status === 'ACCEPTED' ? true : undefined));
    r.sim.faults.silenceHeartbeat();
    r.sim.fixFaults!.dropAfterActing();
    r.cancel(id);
    await eventually(() => (r.live.node.exec.order(id)?.status === 'CANCELED' ? true : undefined), 8_000);
    r.sim.faults.resumeHeartbeat();
    expect(newOrders(r, id)).toBe(1);
  });

  it('applies a fill made during an outage longer than the reconciliation margin, once, after the venue and FIX are back', async () => {
    const r = await start({}, undefined, 'fix');
    const id = r.buy(MID - 500);
    await eventually(() => (r.live.node.exec.order(id)?.status === 'ACCEPTED' ? true : undefined));
    await r.sim.faults.stop();
    await eventually(() => (r.live.venues()[0]!.state === 'blind' ? true : undefined));
    r.sim.market.moveTo('BTCUSD', MID - 600);
    await new Promise((res) => setTimeout(res, 1_500));
    await r.sim.faults.restart();
    await eventually(() => (r.live.node.exec.order(id)?.status === 'FILLED' ? true : undefined), 20_000);
    expect(r.live.node.portfolio.quantity(INSTRUMENT)).toBe(0.01);
    r.live.node.writer.flush();
    expect(loadFills(r.db, 'desk').map((f) => f.clientOrderId)).toEqual([id]);
    // and once the venue is reconciled again (until then new orders are denied NOT_RECONCILED, as they should be: the
    // fill above can be applied by the user stream before the reconciliation ends), it trades over FIX again
    await eventually(() => (r.live.venues()[0]!.state === 'synced' ? true : undefined), 10_000);
    const after = r.buy(MID - 1_000); // resting below the market, now at MID - 600
    await eventually(() => (r.live.node.exec.order(after)?.status === 'ACCEPTED' ? true : undefined), 5_000)
      .catch((e: Error) => Promise.reject(new Error(`${e.message}: the order is ${r.live.node.exec.order(after)?.status}, the venue ${r.live.venues()[0]!.state}`)));
    expect(newOrders(r, after)).toBe(1);
  }, 30_000);
});
