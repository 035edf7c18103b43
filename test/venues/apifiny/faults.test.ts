import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApifinySimulator } from './sim-server.js';
import {
  ALICE,
  limitOrder,
  openProbe,
  sha256Hex,
  signToken,
  signedGet,
  signedPost,
  sleep,
  startTestSimulator,
  userStreamHeaders,
} from './test-client.js';

const acct = { accountId: ALICE.accountId, venue: 'VENUE1' };

describe('Apifiny simulator fault switches', () => {
  let sim: ApifinySimulator;
  const query = (orderId: string) => signedGet(sim, '/order/queryOrderInfo', { ...acct, orderId });
  beforeAll(async () => {
    sim = await startTestSimulator({ rateLimitPerSecond: 10_000 });
  });
  afterAll(() => sim.close());

  it('acts on a swallowed newOrder without answering it: the client times out, the order exists', async () => {
    sim.faults.swallowNextResponse('order/newOrder');
    const order = limitOrder('BUY', '100.00', '0.1');
    const text = JSON.stringify(order);
    const request = fetch(`${sim.restBaseUrl}/order/newOrder`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', signature: signToken(ALICE, sha256Hex(text)) },
      body: text,
      signal: AbortSignal.timeout(300),
    });
    await expect(request).rejects.toThrow();
    const found = await query(order.orderId);
    expect(found.body.result[0]).toMatchObject({ orderId: order.orderId, orderStatus: 'SUBMITTED' });
    // only the next request was swallowed
    expect((await signedPost(sim, '/order/newOrder', limitOrder('BUY', '100.00', '0.1'))).body.error).toBeNull();
  });

  it('answers a planned 5xx without acting, or after acting when asked to', async () => {
    sim.faults.failNext('newOrder', 503);
    const lost = limitOrder('BUY', '100.00', '0.1');
    const res = await signedPost(sim, '/order/newOrder', lost);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ result: null, error: { code: 65579 } });
    expect((await query(lost.orderId)).body.error.code).toBe(327738);

    sim.faults.failNext('/order/newOrder', 502, { act: true });
    const kept = limitOrder('BUY', '100.00', '0.1');
    expect((await signedPost(sim, '/order/newOrder', kept)).status).toBe(502);
    expect((await query(kept.orderId)).body.result[0].orderId).toBe(kept.orderId);
  });

  it('answers late while delayMs is set', async () => {
    sim.faults.delayMs = 250;
    try {
      const started = Date.now();
      await signedGet(sim, '/asset/listBalance', acct);
      expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    } finally {
      sim.faults.delayMs = 0;
    }
  });

  it('drops every websocket on dropConnections', async () => {
    const md = await openProbe(sim.mdWsUrl);
    const orders = await openProbe(sim.orderWsUrl, { headers: userStreamHeaders() });
    sim.faults.dropConnections();
    expect(await md.closed).toBe(1006);
    expect(await orders.closed).toBe(1006);
  });

  it('keeps orders and fills across a stop and restart, and fills resting orders while it is down', async () => {
    const ask = sim.market.book('BTCUSD')!.asks[0]![0];
    const filledBefore = limitOrder('BUY', (ask + 20).toFixed(2), '0.01');
    await signedPost(sim, '/order/newOrder', filledBefore);
    const bid = sim.market.book('BTCUSD')!.bids[0]![0];
    const resting = limitOrder('BUY', (bid - 300).toFixed(2), '0.02');
    const fillsWhileDown = limitOrder('BUY', (bid - 200).toFixed(2), '0.02');
    await signedPost(sim, '/order/newOrder', resting);
    await signedPost(sim, '/order/newOrder', fillsWhileDown);
    await sleep(20);

    await sim.faults.stop();
    await expect(fetch(`${sim.restBaseUrl}/utils/currentTimeMillis`, { signal: AbortSignal.timeout(1000) })).rejects.toThrow();
    sim.market.moveTo('BTCUSD', bid - 250);
    await sim.faults.restart();

    expect((await query(filledBefore.orderId)).body.result[0].orderStatus).toBe('FILLED');
    expect((await query(fillsWhileDown.orderId)).body.result[0].orderStatus).toBe('FILLED');
    const open = await signedGet(sim, '/order/listOpenOrder', acct);
    expect(open.body.result.map((o: { orderId: string }) => o.orderId)).toContain(resting.orderId);
    const fills = await signedGet(sim, '/order/listFilledOrder', acct);
    const filledIds = new Set(fills.body.result.map((f: { orderId: string }) => f.orderId));
    expect(filledIds.has(filledBefore.orderId) && filledIds.has(fillsWhileDown.orderId)).toBe(true);
  });

  it('silences market data and user streams while the heartbeat is silenced', async () => {
    const md = await openProbe(sim.mdWsUrl);
    const orders = await openProbe(sim.orderWsUrl, { headers: userStreamHeaders() });
    md.send({ channel: 'orderbook', symbol: 'BTCUSD', venues: ['VENUE1'], action: 'sub' });
    await md.next((f) => f.channel === 'orderbook');
    sim.faults.silenceHeartbeat();
    try {
      const before = md.frames.length;
      sim.market.step();
      await signedPost(sim, '/order/newOrder', limitOrder('BUY', '100.00', '0.1'));
      await sleep(300);
      expect(md.frames.length).toBe(before);
      expect(orders.frames).toEqual([]);
    } finally {
      sim.faults.resumeHeartbeat();
    }
    const seen = md.frames.length;
    sim.market.step();
    await md.next((f) => md.frames.indexOf(f) >= seen && f.channel === 'orderbook');
    md.close();
    orders.close();
  });
});
