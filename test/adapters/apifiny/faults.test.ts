/**
 * Venue faults through the whole engine: a live session (startLiveSession, mode live, an inline strategy, in-memory
 * database) over the Apifiny adapter against the loopback simulator, with its fault switches.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../../engine/execution/venue-adapter.js';
import { sleep, startEngine, waitFor, type EngineUnderTest } from '../session-kit.js';
import { startApifinyVenue, type ApifinyVenue } from './harness.js';

let venue: ApifinyVenue | undefined;
let engine: EngineUnderTest | undefined;

afterEach(async () => {
  venue?.sim.faults.resumeHeartbeat();
  await venue?.restartVenue(); // no-op unless a test left it stopped
  if (engine) await engine.stop().catch(() => undefined);
  if (venue) await venue.close();
  engine = undefined;
  venue = undefined;
});

async function start(options: Record<string, unknown> = {}): Promise<{ v: ApifinyVenue; e: EngineUnderTest; states: ConnectionState[] }> {
  const v = (venue = await startApifinyVenue());
  const adapter = v.createApifinyAdapter({ options });
  const states: ConnectionState[] = [];
  adapter.state$.subscribe((s) => states.push(s));
  const e = (engine = await startEngine(adapter, v.instrument, v.restingBuy));
  return { v, e, states };
}

describe('the live engine over the apifiny adapter under venue faults', () => {
  it('applies a fill made while the venue was down exactly once after it restarts, and never resends the order', async () => {
    const { v, e, states } = await start();
    e.buyer.arm();
    await waitFor(() => e.order()?.status === 'ACCEPTED', 6_000, 'the resting order accepted');
    const cid = e.buyer.clientOrderId!;

    await v.sim.faults.stop();
    await waitFor(() => states.at(-1) === 'reconnecting', 4_000, 'the adapter reconnecting');
    v.sim.market.moveTo('BTCUSD', 28_900); // crosses the resting buy while the engine cannot hear it
    await sleep(800); // a few failed reconnect attempts
    expect(e.position()).toBe(0);
    await v.sim.faults.restart();

    await waitFor(() => e.order()?.status === 'FILLED', 10_000, 'the order FILLED by reconciliation');
    await sleep(400);
    expect(e.position()).toBe(0.01);
    expect(e.order()).toMatchObject({ status: 'FILLED', filledQty: 0.01 });
    expect(e.buyer.events.filter((x) => x.kind === 'OrderFilled' && x.clientOrderId === cid)).toHaveLength(1);
    expect(v.submitsSeen(cid)).toBe(1);
    expect(v.newOrdersSeen()).toBe(1);
    expect(e.session.node.exec.openOrders()).toEqual([]);
  }, 20_000);

  it('leaves an order whose newOrder answer was lost in flight, and settles it as accepted at the next reconciliation', async () => {
    const { v, e } = await start({ requestTimeoutMs: 500, idleTimeoutMs: 10_000 });
    // the venue acts on the order but its answer is lost, and so is the order stream's push
    v.sim.faults.silenceHeartbeat();
    v.sim.faults.swallowNextResponse('order/newOrder');
    e.buyer.arm();
    await waitFor(() => v.newOrdersSeen() === 1, 4_000, 'the newOrder at the venue');
    const cid = e.buyer.clientOrderId!;
    await sleep(900); // past the request timeout
    expect(e.order()?.status).toBe('SUBMITTED');
    expect(e.buyer.events.filter((x) => x.clientOrderId === cid).map((x) => x.kind)).not.toContain('OrderRejected');

    v.sim.faults.resumeHeartbeat();
    v.sim.faults.dropConnections(); // reconnect → reconciliation
    await waitFor(() => e.order()?.status === 'ACCEPTED', 8_000, 'the order settled as ACCEPTED');
    expect(e.order()!.venueOrderId).toBeDefined();
    expect(v.submitsSeen(cid)).toBe(1);
    expect(v.newOrdersSeen()).toBe(1);
    expect(e.position()).toBe(0);
  }, 20_000);

  it('detects a silent heartbeat with the idle watchdog, reconnects once the venue resumes, and trades again', async () => {
    const { v, e, states } = await start({ idleTimeoutMs: 600 });
    await waitFor(() => states.at(-1) === 'connected', 4_000, 'connected');
    const mark = states.length;
    v.sim.faults.silenceHeartbeat();
    await waitFor(() => states.slice(mark).includes('reconnecting'), 4_000, 'the watchdog to notice the silence');
    v.sim.faults.resumeHeartbeat();
    const resumed = states.length;
    await waitFor(() => states.slice(resumed).includes('connected') || states.at(-1) === 'connected', 6_000, 'connected again');
    await sleep(1_000); // and it stays up: pings are answered again
    expect(states.at(-1)).toBe('connected');
    const after = states.slice(mark);
    expect(after.indexOf('reconnecting')).toBeLessThan(after.lastIndexOf('connected'));
    // reconciliation released the hold: a new order goes through
    e.buyer.arm();
    await waitFor(() => e.order()?.status === 'ACCEPTED', 6_000, 'an order accepted after the reconnect');
    expect(v.newOrdersSeen()).toBe(1);
  }, 20_000);
});
