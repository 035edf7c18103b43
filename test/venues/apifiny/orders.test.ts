import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApifinySimulator } from './sim-server.js';
import {
  ALICE,
  BOB,
  limitOrder,
  newOrderId,
  openProbe,
  signedGet,
  signedPost,
  startTestSimulator,
  userStreamHeaders,
  type WsProbe,
} from './test-client.js';

const acct = { accountId: ALICE.accountId, venue: 'VENUE1' };

describe('Apifiny simulator order entry', () => {
  let sim: ApifinySimulator;
  let updates: WsProbe;
  const status = (id: string, s: string) => updates.next((f) => f.payload?.orderId === id && f.payload.orderStatus === s);
  const place = async (order: object): Promise<string> => {
    const { body } = await signedPost(sim, '/order/newOrder', order);
    expect(body.error).toBeNull();
    return body.result[0].orderId;
  };
  const errorCode = async (order: unknown): Promise<number> => (await signedPost(sim, '/order/newOrder', order)).body.error?.code;
  const cancel = (orderId: string) => signedPost(sim, '/order/cancelOrder', { ...acct, orderId });
  const bid = (): number => sim.market.book('BTCUSD')!.bids[0]![0];

  beforeAll(async () => {
    sim = await startTestSimulator({ rateLimitPerSecond: 10_000 }); // the rate limit has its own test
    updates = await openProbe(sim.orderWsUrl, { headers: userStreamHeaders() });
  });
  afterAll(async () => {
    updates.close();
    await sim.close();
  });

  it('accepts a limit order, pushes its updates, fills it when the market moves through the limit and lists the fill', async () => {
    const limit = Math.floor(bid() - 100);
    const order = limitOrder('BUY', limit.toFixed(2), '0.05');
    const { body } = await signedPost(sim, '/order/newOrder', order);
    expect(body.result[0]).toMatchObject({ orderId: order.orderId, orderStatus: 'PENDING_SUBMIT', limitPrice: limit, quantity: 0.05, openQuantity: 0.05 });
    await status(order.orderId, 'PENDING_SUBMIT');
    await status(order.orderId, 'SUBMITTED');
    const open = await signedGet(sim, '/order/listOpenOrder', acct);
    expect(open.body.result.map((o: { orderId: string }) => o.orderId)).toContain(order.orderId);

    sim.market.moveTo('BTCUSD', limit - 50);
    const filled = await status(order.orderId, 'FILLED');
    expect(filled.payload).toMatchObject({ filledCumulativeQuantity: 0.05, openQuantity: 0, filledAveragePrice: limit, lastFilledPrice: limit, isTaker: false });
    expect(filled.payload.lastCommissionCurrency).toBe('USD');

    const fills = await signedGet(sim, '/order/listFilledOrder', { ...acct, orderId: order.orderId });
    expect(fills.body.result.length).toBeGreaterThanOrEqual(1);
    const total = fills.body.result.reduce((s: number, f: { lastFilledQuantity: number }) => s + f.lastFilledQuantity * 1e4, 0) / 1e4;
    expect(total).toBe(0.05);
    for (const f of fills.body.result) expect(f.tradeId).toMatch(/-T\d+$/);
    const query = await signedGet(sim, '/order/queryOrderInfo', { ...acct, orderId: order.orderId });
    expect(query.body.result[0].orderStatus).toBe('FILLED');
  });

  it('cancels a working order, and refuses to cancel it again or to cancel a filled one (327802)', async () => {
    const id = await place(limitOrder('BUY', (bid() - 500).toFixed(2), '0.1'));
    await status(id, 'SUBMITTED');
    const res = await cancel(id);
    expect(res.body.result[0]).toMatchObject({ orderId: id, orderStatus: 'CANCELLED', openQuantity: 0 });
    expect(res.body.result[0].cancelledUpdatedAt).toEqual(expect.any(Number));
    await status(id, 'CANCELLED');
    expect((await cancel(id)).body.error.code).toBe(327802);
    const completed = await signedGet(sim, '/order/listCompletedOrder', { ...acct, venue: 'GBBO', orderStatus: 'CANCELLED' });
    expect(completed.body.result.map((o: { orderId: string }) => o.orderId)).toContain(id);

    const ask = sim.market.book('BTCUSD')!.asks[0]![0];
    const taker = await place(limitOrder('BUY', (ask + 20).toFixed(2), '0.01'));
    await status(taker, 'FILLED');
    const refused = await cancel(taker);
    expect(refused.body.error.code).toBe(327802);
    expect(refused.body.result).toBeNull();
  });

  it('ends a partially filled order PART_FILLED when the rest is canceled', async () => {
    const limit = Math.floor(bid() - 200);
    const id = await place(limitOrder('BUY', limit.toFixed(2), '3'));
    await status(id, 'SUBMITTED');
    sim.market.moveTo('BTCUSD', limit - 0.01); // best ask = the limit: only that level crosses
    const part = await updates.next((f) => f.payload?.orderId === id && f.payload.filledCumulativeQuantity > 0);
    expect(part.payload.orderStatus).toBe('SUBMITTED');
    const res = await cancel(id);
    expect(res.body.result[0].orderStatus).toBe('PART_FILLED');
    expect(res.body.result[0].filledCumulativeQuantity).toBeGreaterThan(0);
  });

  it('answers an unknown order with 327738, also for another account’s order', async () => {
    expect((await cancel('000000011234561700000000000123')).body.error.code).toBe(327738);
    expect((await signedGet(sim, '/order/queryOrderInfo', { ...acct, orderId: '0000000199' })).body.error.code).toBe(327738);
    const id = await place(limitOrder('BUY', '100.00', '0.1'));
    const asBob = await signedGet(sim, '/order/queryOrderInfo', { accountId: BOB.accountId, venue: 'VENUE1', orderId: id }, BOB);
    expect(asBob.body.error.code).toBe(327738);
  });

  it('refuses a duplicate orderId (327722) and malformed ones (327978, 327818, 327834)', async () => {
    const order = limitOrder('BUY', '100.00', '0.1');
    await place(order);
    expect(await errorCode(order)).toBe(327722);
    const withId = (orderId: string) => ({ ...limitOrder('BUY', '100.00', '0.1'), orderId });
    expect(await errorCode(withId('00000001abc1700000000000123'))).toBe(327978);
    expect(await errorCode(withId(`00000002001${Date.now()}123`))).toBe(327978);
    expect(await errorCode(withId(`00000001${'9'.repeat(41)}${Date.now()}123`))).toBe(327978);
    expect(await errorCode(withId('000000010010123456789012123'))).toBe(327818);
    expect(await errorCode(withId(`00000001001${Date.now() - 3 * 86_400_000}123`))).toBe(327834);
  });

  it('generates an orderId in the documented format when none is given', async () => {
    const { orderId: _, ...order } = limitOrder('BUY', '100.00', '0.1');
    const { body } = await signedPost(sim, '/order/newOrder', order);
    expect(body.result[0].orderId).toMatch(/^00000001\d{4}\d{13}\d{3}$/);
  });

  it.each([
    ['a price off the tick', { limitPrice: '100.001' }, 65562],
    ['a quantity off the step', { quantity: '0.00001' }, 65562],
    ['a notional below the minimum', { limitPrice: '1', quantity: '0.0001' }, 65562],
    ['a quantity above the maximum', { quantity: '101' }, 65562],
    ['an unknown side', { orderSide: 'HOLD' }, 65562],
    ['GTD (temporarily not supported)', { timeInForce: 2 }, 65562],
    ['an unknown symbol', { symbol: 'DOGEUSD' }, 262202],
    ['selling more than the balance', { orderSide: 'SELL', limitPrice: '10000', quantity: '99' }, 393258],
  ])('refuses %s', async (_what, info, expected) => {
    const order = limitOrder('BUY', '100.00', '0.1');
    expect(await errorCode({ ...order, orderInfo: { ...order.orderInfo, ...info } })).toBe(expected);
  });

  it('rejects a PostOnly order that would take, and cancels an IOC that cannot fill', async () => {
    const ask = sim.market.book('BTCUSD')!.asks[0]![0];
    const post = await place(limitOrder('BUY', (ask + 10).toFixed(2), '0.1', { timeInForce: 7 }));
    await status(post, 'REJECTED');
    const ioc = await place(limitOrder('BUY', (bid() - 300).toFixed(2), '0.1', { timeInForce: 3 }));
    const done = await status(ioc, 'CANCELLED');
    expect(done.payload.filledCumulativeQuantity).toBe(0);
  });

  it('fills market orders: a SELL by quantity, a BUY by total', async () => {
    const sell = await place({ ...limitOrder('SELL', '0', '0.02'), orderInfo: { symbol: 'BTCUSD', orderType: 'MARKET', orderSide: 'SELL', quantity: '0.02' } });
    expect((await status(sell, 'FILLED')).payload).toMatchObject({ limitPrice: null, isTaker: true });
    const buy = await place({ ...limitOrder('BUY', '0', '0'), orderInfo: { symbol: 'BTCUSD', orderType: 'MARKET', orderSide: 'BUY', total: '1000' } });
    const filled = await status(buy, 'FILLED');
    expect(filled.payload.filledAveragePrice * filled.payload.filledCumulativeQuantity).toBeLessThanOrEqual(1000);
  });

  it('refuses to cancel an order still PENDING_SUBMIT (328026)', async () => {
    const slow = await startTestSimulator({ latency: { submitMs: 400 } });
    try {
      const order = limitOrder('BUY', '100.00', '0.1');
      expect((await signedPost(slow, '/order/newOrder', order)).body.result[0].orderStatus).toBe('PENDING_SUBMIT');
      const res = await signedPost(slow, '/order/cancelOrder', { ...acct, orderId: order.orderId });
      expect(res.body.error.code).toBe(328026);
    } finally {
      await slow.close();
    }
  });

  it('cancels all working orders of one symbol and answers their ids', async () => {
    const a = await place(limitOrder('BUY', '100.00', '0.1'));
    const b = await place(limitOrder('SELL', '99000.00', '0.1'));
    const ethOrder = limitOrder('BUY', '10.00', '1');
    const eth = await place({ ...ethOrder, orderInfo: { ...ethOrder.orderInfo, symbol: 'ETHUSD' } });
    await Promise.all([status(a, 'SUBMITTED'), status(b, 'SUBMITTED'), status(eth, 'SUBMITTED')]);
    const res = await signedPost(sim, '/order/cancelAccountVenueAllOrder', { ...acct, symbol: 'BTCUSD' });
    expect(res.body.result).toEqual(expect.arrayContaining([a, b]));
    expect(res.body.result).not.toContain(eth);
    const open = await signedGet(sim, '/order/listOpenOrder', acct);
    expect(open.body.result.map((o: { orderId: string; symbol: string }) => o.symbol)).toEqual(['ETHUSD']);
  });

  it('sends order updates only to the account that owns the order', async () => {
    const bobs = await openProbe(sim.orderWsUrl, { headers: userStreamHeaders(BOB) });
    try {
      const order = limitOrder('BUY', '100.00', '0.1', {}, BOB);
      await signedPost(sim, '/order/newOrder', order, BOB);
      await bobs.next((f) => f.payload?.orderId === order.orderId && f.payload.orderStatus === 'SUBMITTED');
      expect(updates.frames.some((f) => f.payload?.orderId === order.orderId)).toBe(false);
      expect(order.orderId.startsWith('00000002')).toBe(true);
      expect(newOrderId(BOB).startsWith('00000002')).toBe(true);
    } finally {
      bobs.close();
    }
  });
});
