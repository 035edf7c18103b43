import { describe, expect, it } from 'vitest';
import { checkInFlight, reconcileVenue } from '../../engine/kernel/reconcile-venue.js';
import { silentLogger } from '../../engine/log/logger.js';
import type { FillReport, OrderStatusReport } from '../../engine/model/reports.js';
import { createExecFixture, ID, STRATEGY, VENUE } from './fixtures.js';

type Venue = {
  open: OrderStatusReport[]; completed: OrderStatusReport[]; fills: FillReport[]; status: Map<string, OrderStatusReport | undefined>;
  down?: boolean; asked: string[];
};

function rig() {
  const fx = createExecFixture();
  const venue: Venue = { open: [], completed: [], fills: [], status: new Map(), asked: [] };
  const client = Object.assign(fx.client, {
    openOrders: async () => {
      if (venue.down) throw new Error('venue unreachable');
      return venue.open;
    },
    fills: async () => venue.fills,
    orders: async () => venue.completed,
    orderStatus: async (id: string) => {
      venue.asked.push(id);
      return venue.status.get(id);
    },
  });
  const run = () => reconcileVenue({
    exec: fx.exec, client, ourStrategies: new Set([STRATEGY]), clock: fx.clock, log: silentLogger(), since: 0, dispatch: (w) => w(), resendCancelAfterMs: 3_000,
  });
  return { fx, venue, run, client };
}

const report = (clientOrderId: string, over: Partial<OrderStatusReport> = {}): OrderStatusReport => ({
  venue: VENUE, instrumentId: ID, clientOrderId, venueOrderId: `V-${clientOrderId}`, side: 'buy', type: 'limit', timeInForce: 'GTC',
  status: 'ACCEPTED', quantity: 1, filledQty: 0, price: 100, tsLast: 1_000, ...over,
});
const fillReport = (clientOrderId: string, tradeId: string, qty: number): FillReport => ({
  venue: VENUE, instrumentId: ID, clientOrderId, venueOrderId: `V-${clientOrderId}`, tradeId, side: 'buy', lastQty: qty,
  lastPrice: 100, fee: 0, feeCurrency: 'USD', liquidity: 'maker', tsEvent: 1_000,
});

describe('reconciliation with the venue', () => {
  it('applies fills made while disconnected exactly once, however often it runs', async () => {
    const { fx, venue, run } = rig();
    const id = fx.openOrder({ quantity: 1 });
    venue.open = [report(id, { status: 'PARTIALLY_FILLED', filledQty: 0.4 })];
    venue.fills = [fillReport(id, 't1', 0.4)];
    await run();
    await run();
    expect(fx.exec.order(id)).toMatchObject({ status: 'PARTIALLY_FILLED', filledQty: 0.4 });
    expect(fx.portfolio.position(ID).quantity.toString()).toBe('0.4');
    expect(fx.exec.stats.fills).toBe(1);
    expect(fx.exec.stats.duplicateFills).toBe(0); // the second pass re-reads it: not a duplicate from the venue
  });

  it('still reports a fill the venue re-reports with other contents as conflicting, and keeps the first', async () => {
    const { fx, venue, run } = rig();
    const id = fx.openOrder({ quantity: 1 });
    fx.exec.onVenueEvent(fx.filled(id, { tradeId: 't1', qty: 0.4 }));
    venue.open = [report(id, { status: 'PARTIALLY_FILLED', filledQty: 0.4 })];
    venue.fills = [fillReport(id, 't1', 0.5)];
    await run();
    expect(fx.exec.stats.conflictingFills).toBe(1);
    expect(fx.portfolio.position(ID).quantity.toString()).toBe('0.4');
  });

  it('settles an order in flight that the venue lists as open: accepted, never sent again', async () => {
    const { fx, venue, run } = rig();
    const cmd = fx.submitCommand();
    fx.exec.submit(cmd);
    venue.open = [report(cmd.clientOrderId)];
    await run();
    expect(fx.exec.order(cmd.clientOrderId)).toMatchObject({ status: 'ACCEPTED', venueOrderId: `V-${cmd.clientOrderId}` });
    expect(fx.client.calls.filter((c) => c.kind === 'submit')).toHaveLength(1);
  });

  it('asks the venue about an open order it did not list, and closes it as the venue says', async () => {
    const { fx, venue, run } = rig();
    const id = fx.openOrder();
    venue.status.set(id, report(id, { status: 'CANCELED' }));
    await run();
    expect(venue.asked).toEqual([id]);
    expect(fx.exec.order(id)?.status).toBe('CANCELED');
  });

  it('takes an in-flight order the venue never received as not placed, but only after the grace period', async () => {
    const { fx, venue, run } = rig();
    const cmd = fx.submitCommand();
    fx.exec.submit(cmd);
    venue.status.set(cmd.clientOrderId, undefined);
    await run();
    expect(fx.exec.order(cmd.clientOrderId)?.status).toBe('SUBMITTED');
    fx.clock.advanceTo(fx.clock.now() + 10_000);
    await run();
    expect(fx.exec.order(cmd.clientOrderId)?.status).toBe('REJECTED');
  });

  it('adopts an order this engine placed before a crash, with its fills, and leaves other clients\' orders alone', async () => {
    const { fx, venue, run } = rig();
    const lost = `${STRATEGY}-7-3`;
    venue.open = [report(lost, { status: 'PARTIALLY_FILLED', filledQty: 0.5 }), report('manual-order-42')];
    venue.fills = [fillReport(lost, 't9', 0.5)];
    const outcome = await run();
    expect(fx.exec.order(lost)).toMatchObject({ status: 'PARTIALLY_FILLED', filledQty: 0.5, strategyId: STRATEGY });
    expect(fx.kinds(lost)).toEqual(['OrderAdopted', 'OrderFilled']); // not announced as a new submission
    expect(fx.exec.order('manual-order-42')).toBeUndefined();
    expect(outcome.plan.foreign.map((r) => r.clientOrderId)).toEqual(['manual-order-42']);
    expect(fx.portfolio.position(ID).quantity.toString()).toBe('0.5');
  });

  it('adopts an IOC sent just before a crash and canceled unfilled: found only among the venue\'s completed orders', async () => {
    const { fx, venue, run } = rig();
    const lost = `${STRATEGY}-7-4`;
    venue.completed = [report(lost, { status: 'CANCELED', timeInForce: 'IOC' })];
    const outcome = await run();
    expect(fx.exec.order(lost)).toMatchObject({ status: 'CANCELED', filledQty: 0 });
    expect(fx.kinds(lost)).toEqual(['OrderAdopted', 'OrderCanceled']);
    expect(outcome.plan.adopt).toHaveLength(1);
  });

  it('adopts a filled order the venue lists nowhere but in its fills, asking for it once, and applies each fill once', async () => {
    const { fx, venue, run } = rig();
    const lost = `${STRATEGY}-7-5`;
    venue.fills = [fillReport(lost, 'a', 0.25), fillReport(lost, 'b', 0.75)];
    venue.status.set(lost, report(lost, { status: 'FILLED', filledQty: 1 }));
    await run();
    await run();
    expect(venue.asked).toEqual([lost]); // the second pass knows it
    expect(fx.exec.order(lost)).toMatchObject({ status: 'FILLED', filledQty: 1 });
    expect(fx.portfolio.position(ID).quantity.toString()).toBe('1');
  });

  it('rebuilds an order from its fills when the venue cannot tell the order itself: no fill is lost', async () => {
    const { fx, venue, run } = rig();
    const lost = `${STRATEGY}-7-6`;
    venue.fills = [fillReport(lost, 'a', 0.3), fillReport(lost, 'b', 0.4)];
    await run();
    expect(fx.exec.order(lost)).toMatchObject({ status: 'FILLED', filledQty: 0.7, quantity: 0.7 });
    expect(fx.portfolio.position(ID).quantity.toString()).toBe('0.7');
  });

  it('applies the fills of a known order whose strategy is no longer configured', async () => {
    const { fx, venue, run } = rig();
    const id = fx.openOrder({ clientOrderId: 'retired-1-1', strategyId: 'retired' });
    venue.open = [report(id, { status: 'PARTIALLY_FILLED', filledQty: 0.2 })];
    venue.fills = [fillReport(id, 't1', 0.2)];
    await run();
    expect(fx.exec.order(id)?.filledQty).toBe(0.2);
  });

  it('does not close an order the venue calls filled before it has listed the fills: no fill is lost to a lagging list', async () => {
    const { fx, venue, run } = rig();
    const id = fx.openOrder({ quantity: 1 });
    venue.status.set(id, report(id, { status: 'FILLED', filledQty: 1 }));
    const first = await run();
    expect(fx.exec.order(id)?.status).toBe('ACCEPTED');
    expect(first.plan.unresolved.map((u) => u.clientOrderId)).toEqual([id]);
    venue.fills = [fillReport(id, 't1', 1)];
    await run();
    expect(fx.exec.order(id)).toMatchObject({ status: 'FILLED', filledQty: 1 });
  });

  it('accepts an order in flight before applying its fills, so nothing is an invalid transition', async () => {
    const { fx, venue, run } = rig();
    const cmd = fx.submitCommand();
    fx.exec.submit(cmd);
    venue.status.set(cmd.clientOrderId, report(cmd.clientOrderId, { status: 'FILLED', filledQty: 1 }));
    venue.fills = [fillReport(cmd.clientOrderId, 't1', 1)];
    await run();
    expect(fx.kinds(cmd.clientOrderId)).toEqual(['OrderSubmitted', 'OrderAccepted', 'OrderFilled']);
    expect(fx.exec.stats.invalidTransitions).toBe(0);
  });

  it('sends a lost cancel again when the venue still lists the order open, once the cancel is old enough', async () => {
    const { fx, venue, run } = rig();
    const id = fx.openOrder();
    fx.exec.cancel(fx.cancelCommand(id));
    venue.open = [report(id)];
    await run();
    expect(fx.client.calls.filter((c) => c.kind === 'cancel')).toHaveLength(1); // just sent: not yet
    fx.clock.advanceTo(fx.clock.now() + 5_000);
    const outcome = await run();
    expect(outcome.cancelsResent).toBe(1);
    expect(fx.client.calls.filter((c) => c.kind === 'cancel')).toHaveLength(2);
    expect(fx.exec.order(id)?.status).toBe('PENDING_CANCEL');
  });

  it('applies nothing of a pass whose query failed', async () => {
    const { fx, venue, run } = rig();
    const id = fx.openOrder();
    venue.fills = [fillReport(id, 't1', 1)];
    venue.down = true;
    await expect(run()).rejects.toThrow(/venue unreachable/);
    expect(fx.exec.order(id)?.filledQty).toBe(0);
  });
});

describe('the in-flight check of orders whose outcome is unknown', () => {
  const check = (r: ReturnType<typeof rig>, ids: string[]) => checkInFlight({
    exec: r.fx.exec, client: r.client, ourStrategies: new Set([STRATEGY]), clock: r.fx.clock, log: silentLogger(), since: 0,
    dispatch: (w) => w(), orders: ids.map((id) => r.fx.exec.order(id)!), marginMs: 1_000, resendCancelAfterMs: 1_000,
  });

  it('settles an order whose submit answer was lost: the venue has it, so it is accepted, and never sent again', async () => {
    const r = rig();
    const cmd = r.fx.submitCommand();
    r.fx.exec.submit(cmd);
    r.venue.status.set(cmd.clientOrderId, report(cmd.clientOrderId));
    await check(r, [cmd.clientOrderId]);
    expect(r.fx.exec.order(cmd.clientOrderId)?.status).toBe('ACCEPTED');
    expect(r.fx.client.calls.filter((c) => c.kind === 'submit')).toHaveLength(1);
  });

  it('asks for the fills of an order the venue says filled more than the engine knows, and applies them once', async () => {
    const r = rig();
    const cmd = r.fx.submitCommand();
    r.fx.exec.submit(cmd);
    r.venue.status.set(cmd.clientOrderId, report(cmd.clientOrderId, { status: 'FILLED', filledQty: 1 }));
    r.venue.fills = [fillReport(cmd.clientOrderId, 't1', 1), fillReport('someone-else', 'x', 5)];
    await check(r, [cmd.clientOrderId]);
    await check(r, [cmd.clientOrderId]);
    expect(r.fx.exec.order(cmd.clientOrderId)).toMatchObject({ status: 'FILLED', filledQty: 1 });
    expect(r.fx.portfolio.position(ID).quantity.toString()).toBe('1');
  });

  it('cancels again an order whose cancel answer was lost: it is still open at the venue', async () => {
    const r = rig();
    const id = r.fx.openOrder();
    r.fx.exec.cancel(r.fx.cancelCommand(id));
    r.fx.clock.advanceTo(r.fx.clock.now() + 2_000);
    r.venue.status.set(id, report(id));
    const outcome = await check(r, [id]);
    expect(outcome.cancelsResent).toBe(1);
    expect(r.fx.client.calls.filter((c) => c.kind === 'cancel')).toHaveLength(2);
  });

  it('settles a modify whose answer was lost: the order is as the venue has it', async () => {
    const r = rig();
    const id = r.fx.openOrder({ price: 100 });
    r.fx.exec.modify(r.fx.modifyCommand(id, { price: 99 }));
    expect(r.fx.exec.order(id)?.status).toBe('PENDING_UPDATE');
    r.venue.status.set(id, report(id, { price: 99 }));
    await check(r, [id]);
    expect(r.fx.exec.order(id)).toMatchObject({ status: 'ACCEPTED', price: 99 });
  });

  it('closes an order whose cancel answer was lost once the venue says it is canceled', async () => {
    const r = rig();
    const id = r.fx.openOrder();
    r.fx.exec.cancel(r.fx.cancelCommand(id));
    r.venue.status.set(id, report(id, { status: 'CANCELED' }));
    await check(r, [id]);
    expect(r.fx.exec.order(id)?.status).toBe('CANCELED');
  });
});
