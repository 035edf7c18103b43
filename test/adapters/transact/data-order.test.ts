import { afterEach, describe, expect, it } from 'vitest';
import type { VenueOrderEvent } from '../../../engine/model/events.js';
import type { TransactAdapter } from '../../../adapters/transact/index.js';
import type { DataOrder, TransactSimulator } from '../../venues/transact/sim-server.js';
import { startTestSimulator } from '../../venues/transact/test-client.js';
import { waitFor } from '../session-kit.js';
import { INSTRUMENT, limit, makeAdapter } from './helpers.js';

// The document: "Before or after the status message, the API server may also respond with other messages containing
// requested or related data." Every query must come back complete whichever order the venue picks.
let sim: TransactSimulator | undefined;
let a: TransactAdapter | undefined;
afterEach(async () => {
  await a?.close().catch(() => undefined);
  await sim?.close();
  a = sim = undefined;
});

describe.each<DataOrder>(['before', 'after'])('TransAct adapter with data messages %s the status', (dataOrder) => {
  it('logs in, loads instruments, and answers order, fill and order-status queries in full', async () => {
    sim = await startTestSimulator({ dataOrder });
    a = makeAdapter(sim);
    await a.connect(); // login (session data) and instruments (instruments data)
    expect((await a.instruments()).map((i) => i.id)).toContain(INSTRUMENT);
    const seen: VenueOrderEvent[] = [];
    a.execution!.events$.subscribe((e) => seen.push(e));
    const resting = limit('buy', 4_990, 1);
    const taker = limit('buy', 5_010, 2);
    a.execution!.submit(resting);
    a.execution!.submit(taker);
    await waitFor(() => seen.some((e) => e.kind === 'OrderAccepted' && e.clientOrderId === resting.clientOrderId), 3_000, 'the resting order accepted');
    await waitFor(() => seen.some((e) => e.kind === 'OrderFilled' && e.clientOrderId === taker.clientOrderId), 3_000, 'the taker filled');

    expect(await a.execution!.openOrders!()).toEqual([expect.objectContaining({ clientOrderId: resting.clientOrderId, status: 'ACCEPTED' })]);
    const fills = await a.execution!.fills!(0);
    expect(fills.map((f) => f.clientOrderId)).toEqual([taker.clientOrderId]);
    expect(fills.reduce((q, f) => q + f.lastQty, 0)).toBe(2);
    expect(await a.execution!.orderStatus!(taker.clientOrderId)).toMatchObject({ clientOrderId: taker.clientOrderId, status: 'FILLED' });
    expect(await a.execution!.orderStatus!(resting.clientOrderId)).toMatchObject({ clientOrderId: resting.clientOrderId, status: 'ACCEPTED' });
    expect(await a.execution!.orderStatus!('tx-0-0')).toBeUndefined(); // -30: a refusal has no data to wait for
  });
});

describe('TransAct adapter when the venue changes its data order mid-session', () => {
  it('goes on answering queries in full', async () => {
    sim = await startTestSimulator();
    a = makeAdapter(sim);
    await a.connect();
    const resting = limit('buy', 4_990, 1);
    a.execution!.submit(resting);
    await waitFor(() => sim!.stats.newOrders.has(resting.clientOrderId), 3_000, 'the order at the venue');
    for (const order of ['after', 'before', 'after'] as const) {
      sim.faults.setDataOrder(order);
      expect((await a.execution!.openOrders!()).map((o) => o.clientOrderId)).toEqual([resting.clientOrderId]);
    }
  });
});
