import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VENUE_DOC_PATH, exampleAfter, loadDocExamples, type DocExample } from './doc-examples.js';
import { shapeMismatches } from './same-shape.js';
import type { ApifinySimulator } from './sim-server.js';
import {
  ALICE,
  eventually,
  getJson,
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

describe.skipIf(!existsSync(VENUE_DOC_PATH))('the Apifiny simulator answers like the venue document’s examples', () => {
  let sim: ApifinySimulator;
  let examples: DocExample[];
  let orders: WsProbe;
  let assets: WsProbe;
  const doc = (marker: string | string[], label?: string): unknown => exampleAfter(examples, marker, label);

  beforeAll(async () => {
    examples = loadDocExamples();
    sim = await startTestSimulator();
    for (let i = 0; i < 30 && sim.market.recentTrades('BTCUSD', 1).length === 0; i++) sim.market.step();
    orders = await openProbe(sim.orderWsUrl, { headers: userStreamHeaders() });
    assets = await openProbe(sim.assetWsUrl, { headers: userStreamHeaders() });
  });
  afterAll(async () => {
    orders.close();
    assets.close();
    await sim.close();
  });

  it('parses every JSON example of the document', () => {
    expect(examples.length).toBeGreaterThanOrEqual(40);
    expect(examples.filter((e) => e.error !== undefined).map((e) => `line ${e.line}: ${e.error}`)).toEqual([]);
  });

  it.each(['listVenueInfo', 'listCurrency', 'listSymbolInfo', 'currentTimeMillis'])('answers utils/%s with the documented shape', async (name) => {
    const { status, body } = await getJson(`${sim.restBaseUrl}/utils/${name}`);
    expect(status).toBe(200);
    expect(shapeMismatches(doc(`# URL: /utils/${name}`), body)).toEqual([]);
  });

  it('answers account/queryAccountInfo and asset/listBalance with the documented shape', async () => {
    const info = await signedGet(sim, '/account/queryAccountInfo', acct);
    expect(shapeMismatches(doc(['The Account API has a number of calls', '/account/queryAccountInfo']), info.body)).toEqual([]);
    const balances = await signedGet(sim, '/asset/listBalance', acct);
    expect(shapeMismatches(doc('# Query Account Asset: /asset/listBalance'), balances.body)).toEqual([]);
  });

  it('answers an error in the documented standard envelope', async () => {
    const { body } = await signedGet(sim, '/account/queryAccountInfo', acct, ALICE, '');
    expect(shapeMismatches(doc('Standard response', 'The structure'), body)).toEqual([]);
    expect(body.result).toBeNull();
  });

  it('takes the documented newOrder and cancelOrder requests and answers them with the documented shape', async () => {
    const request = { ...(doc('# Create New Order: order/newOrder', 'Request') as Record<string, unknown>), orderId: newOrderId() };
    const placed = await signedPost(sim, '/order/newOrder', request);
    const orderResponse = doc('# Create New Order: order/newOrder');
    expect(shapeMismatches(orderResponse, placed.body)).toEqual([]);
    expect(placed.body.result[0].orderStatus).toBe('PENDING_SUBMIT');
    await orders.next((f) => f.payload?.orderId === request.orderId && f.payload.orderStatus === 'SUBMITTED');

    const query = await signedGet(sim, '/order/queryOrderInfo', { ...acct, orderId: String(request.orderId) });
    expect(shapeMismatches(orderResponse, query.body)).toEqual([]);
    const open = await signedGet(sim, '/order/listOpenOrder', acct);
    expect(shapeMismatches(doc('# Query All Open Orders: /order/listOpenOrder'), open.body)).toEqual([]);
    const multiple = await signedGet(sim, '/order/listMultipleOrderInfo', { accountId: ALICE.accountId, orderIdList: String(request.orderId) });
    expect(shapeMismatches(orderResponse, multiple.body)).toEqual([]);

    const cancelRequest = { ...(doc('# Cancel an Order: /order/cancelOrder', 'Request') as Record<string, unknown>), orderId: request.orderId };
    const canceled = await signedPost(sim, '/order/cancelOrder', cancelRequest);
    expect(shapeMismatches(orderResponse, canceled.body)).toEqual([]);
    expect(canceled.body.result[0].orderStatus).toBe('CANCELLED');
    const completed = await signedGet(sim, '/order/listCompletedOrder', acct);
    expect(shapeMismatches(orderResponse, completed.body)).toEqual([]);
  });

  it('takes the documented cancel-all request and answers a list of order ids', async () => {
    const placed = await signedPost(sim, '/order/newOrder', limitOrder('BUY', '100', '0.5'));
    const id = placed.body.result[0].orderId;
    await orders.next((f) => f.payload?.orderId === id && f.payload.orderStatus === 'SUBMITTED');
    const request = doc('# Cancel All: /order/cancelAccountVenueAllOrder', 'Request');
    const res = await signedPost(sim, '/order/cancelAccountVenueAllOrder', request);
    expect(shapeMismatches(doc('# Cancel All: /order/cancelAccountVenueAllOrder'), res.body)).toEqual([]);
    expect(res.body.result).toEqual([id]);
  });

  it('reports a fill with the documented order update, account update, fills list and fee rate', async () => {
    const ask = sim.market.book('BTCUSD')!.asks[0]![0];
    const placed = await signedPost(sim, '/order/newOrder', limitOrder('BUY', (ask + 50).toFixed(2), '0.01'));
    const id = placed.body.result[0].orderId;
    const update = await orders.next((f) => f.payload?.orderId === id && f.payload.orderStatus === 'FILLED');
    expect(shapeMismatches(doc('Order Update Payload', ''), update)).toEqual([]);
    expect(update.payload.isTaker).toBe(true);
    const assetFrame = await assets.next((f) => f.result?.payload?.some((b: { currency: string }) => b.currency === 'BTC'));
    expect(shapeMismatches(doc('Account Update Payload', ''), assetFrame)).toEqual([]);

    const fills = await signedGet(sim, '/order/listFilledOrder', { ...acct, orderId: id });
    expect(shapeMismatches(doc('# Query List Fills: /order/listFilledOrder'), fills.body)).toEqual([]);
    const rate = await signedGet(sim, '/order/getCommissionRate', { ...acct, symbol: 'BTCUSD' });
    expect(shapeMismatches(doc('# Query Current Fee Rate: /order/getCommissionRate'), rate.body)).toEqual([]);
    expect(rate.body.result[0].tradingVolume).toBeGreaterThan(0);
  });

  it.each([
    ['orderbook', 'Order book - REST API', '/md/orderbook/v1/BTCUSD/VENUE1'],
    ['trade', 'Trades - REST API', '/md/trade/v1/BTCUSD/VENUE1'],
    ['kline', 'OHLCV - REST API', '/md/kline/v1/VENUE1/BTC/USD/1m'],
    ['ticker', 'Ticker - REST API', '/md/ticker/v1/BTCUSD/VENUE1/'],
  ])('answers the %s market data REST endpoint with the documented shape', async (_name, marker, path) => {
    const { status, body } = await getJson(`${sim.mdRestBaseUrl}${path}`);
    expect(status).toBe(200);
    expect(shapeMismatches(doc(marker), body)).toEqual([]);
  });

  it.each([
    ['orderbook', 'BTCUSD', 'Order Book Payload'],
    ['trade', 'BTCUSD', 'Recent Trades Payload'],
    ['kline_1m', 'BTC/USD', 'OHLCV Payload'],
    ['ticker', 'BTCUSD', 'Ticker Payload'],
  ])('pushes %s market data with the documented payload for the documented request', async (channel, symbol, payloadMarker) => {
    const md = await openProbe(sim.mdWsUrl);
    try {
      const request = { ...(doc('Request (subscription):', 'Request') as Record<string, unknown>), channel, symbol };
      md.send(request);
      const step = setInterval(() => sim.market.step(), 30);
      const frame = await md.next((f) => f.channel === channel).finally(() => clearInterval(step));
      expect(shapeMismatches(doc(payloadMarker, ''), frame)).toEqual([]);
    } finally {
      md.close();
    }
  });

  it('sends the documented heartbeat', async () => {
    const md = await openProbe(sim.mdWsUrl);
    const ping = await md.next((f) => 'ping' in f);
    md.close();
    expect(shapeMismatches(doc('Heartbeat and Connection', ''), ping)).toEqual([]);
    await eventually(() => (md.ws.readyState === md.ws.CLOSED ? true : undefined));
  });
});
