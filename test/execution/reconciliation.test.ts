import { describe, expect, it } from 'vitest';
import { reconcileVenue } from '../../engine/kernel/reconcile-venue.js';
import { silentLogger } from '../../engine/log/logger.js';
import type { FillReport, OrderStatusReport } from '../../engine/model/reports.js';
import { createExecFixture, ID, STRATEGY, VENUE } from './fixtures.js';

type Venue = { open: OrderStatusReport[]; fills: FillReport[]; status: Map<string, OrderStatusReport | undefined>; down?: boolean; asked: string[] };

function rig() {
  const fx = createExecFixture();
  const venue: Venue = { open: [], fills: [], status: new Map(), asked: [] };
  const client = Object.assign(fx.client, {
    openOrders: async () => {
      if (venue.down) throw new Error('venue unreachable');
      return venue.open;
    },
    fills: async () => venue.fills,
    orderStatus: async (id: string) => {
      venue.asked.push(id);
      return venue.status.get(id);
    },
  });
  const run = () => reconcileVenue({
    exec: fx.exec, client, ourStrategies: new Set([STRATEGY]), clock: fx.clock, log: silentLogger(), since: 0, dispatch: (w) => w(),
  });
  return { fx, venue, run };
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
    expect(fx.exec.stats.duplicateFills).toBe(1);
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
    const plan = await run();
    expect(fx.exec.order(lost)).toMatchObject({ status: 'PARTIALLY_FILLED', filledQty: 0.5, strategyId: STRATEGY });
    expect(fx.exec.order('manual-order-42')).toBeUndefined();
    expect(plan.foreign.map((r) => r.clientOrderId)).toEqual(['manual-order-42']);
    expect(fx.portfolio.position(ID).quantity.toString()).toBe('0.5');
  });

  it('holds new submits while it cannot reach the venue, lets cancels through, and releases once done', async () => {
    const { fx, venue, run } = rig();
    const id = fx.openOrder();
    venue.down = true;
    await expect(run()).rejects.toThrow(/venue unreachable/);
    const held = fx.submitCommand();
    fx.exec.submit(held);
    expect(fx.published.at(-1)?.event).toMatchObject({ kind: 'OrderDenied', code: 'NOT_RECONCILED' });
    fx.exec.cancel(fx.cancelCommand(id));
    expect(fx.client.calls.at(-1)?.kind).toBe('cancel');
    venue.down = false;
    venue.open = [report(id)];
    await run();
    fx.exec.submit(fx.submitCommand());
    expect(fx.published.at(-1)?.event.kind).toBe('OrderSubmitted');
  });
});
