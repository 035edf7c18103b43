import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { VenueOrderEvent } from '../../../engine/model/events.js';
import type { Tick } from '../../../engine/model/tick.js';
import { ConnectionRejectedError } from '../../../engine/net/errors.js';
import type { ApifinyAdapter } from '../../../adapters/apifiny/index.js';
import type { ApifinySimulator } from '../../venues/apifiny/sim-server.js';
import { ALICE, sleep, startTestSimulator } from '../../venues/apifiny/test-client.js';
import { INSTRUMENT, captureLog, limit, makeAdapter, record } from './helpers.js';

let sim: ApifinySimulator;
let adapter: ApifinyAdapter;
const captured = captureLog();
const open: ApifinyAdapter[] = [];

beforeAll(async () => {
  sim = await startTestSimulator();
  adapter = makeAdapter(sim, { log: captured.log });
  open.push(adapter);
  await adapter.connect();
});
afterAll(async () => {
  for (const a of open) await a.close();
  await sim.close();
});

const isEvent = <K extends VenueOrderEvent['kind']>(kind: K, cid: string) => (e: VenueOrderEvent): e is Extract<VenueOrderEvent, { kind: K }> =>
  e.kind === kind && e.clientOrderId === cid;

describe('apifiny adapter against the simulator', () => {
  afterEach(() => {
    // keep the market where the next test expects it
    sim.market.moveTo('BTCUSD', 30_000);
  });

  it('connects and loads instruments with grid, limits and fees', async () => {
    const list = await adapter.instruments();
    const btc = list.find((i) => i.id === INSTRUMENT)!;
    expect(btc).toMatchObject({ venue: 'VENUE1', venueSymbol: 'BTCUSD', tickSize: 0.01, stepSize: 0.0001, minNotional: 1, makerFee: 0.001, takerFee: 0.002 });
    expect(list.map((i) => i.id)).toEqual(expect.arrayContaining(['ETHUSD.VENUE1', 'ETHBTC.VENUE1']));
  });

  it('streams books, quotes and trades as engine ticks', async () => {
    const ticks = record(adapter.marketData!.ticks$);
    adapter.marketData!.subscribe(INSTRUMENT, ['book', 'quote', 'trade']);
    const book = await ticks.next((t) => t.kind === 'book');
    expect(book).toMatchObject({ instrumentId: INSTRUMENT });
    sim.market.moveTo('BTCUSD', 30_100);
    const quote = await ticks.next((t) => t.kind === 'quote' && t.bid > 30_050);
    expect(quote.kind === 'quote' && quote.ask > quote.bid).toBe(true);
    // the random walk prints trades on some steps only; the trade channel is subscribed a second after the orderbook
    // (the venue takes 1 market-data request per second)
    for (let i = 0; i < 300 && !ticks.seen.some((t) => t.kind === 'trade'); i++) {
      sim.market.step();
      await sleep(10);
    }
    const trade = await ticks.next((t) => t.kind === 'trade');
    expect(trade).toMatchObject({ kind: 'trade', instrumentId: INSTRUMENT });
    ticks.stop();
  });

  it('reports a submitted order accepted, then filled with a trade id and fee', async () => {
    const events = record(adapter.execution!.events$);
    const cmd = limit('buy', 29_900, 0.01);
    adapter.execution!.submit(cmd);
    const accepted = await events.next(isEvent('OrderAccepted', cmd.clientOrderId));
    expect(accepted.venueOrderId).toMatch(/^\d+$/);
    sim.market.moveTo('BTCUSD', 29_800);
    const fill = await events.next(isEvent('OrderFilled', cmd.clientOrderId));
    expect(fill).toMatchObject({ lastQty: 0.01, lastPrice: 29_900, side: 'buy', feeCurrency: 'USD', venueOrderId: accepted.venueOrderId });
    expect(fill.tradeId).not.toBe('');
    await sleep(200);
    expect(events.seen.filter(isEvent('OrderFilled', cmd.clientOrderId))).toHaveLength(1);
    events.stop();
  });

  it('cancels a working order, and reports the venue message when cancelling a filled one', async () => {
    const events = record(adapter.execution!.events$);
    const resting = limit('buy', 29_000, 0.01);
    adapter.execution!.submit(resting);
    await events.next(isEvent('OrderAccepted', resting.clientOrderId));
    adapter.execution!.cancel({ kind: 'CancelOrder', clientOrderId: resting.clientOrderId, strategyId: 'mm', instrumentId: INSTRUMENT, tsInit: Date.now() });
    await events.next(isEvent('OrderCanceled', resting.clientOrderId));

    const taker = limit('buy', 30_100, 0.01);
    adapter.execution!.submit(taker);
    await events.next(isEvent('OrderFilled', taker.clientOrderId));
    adapter.execution!.cancel({ kind: 'CancelOrder', clientOrderId: taker.clientOrderId, strategyId: 'mm', instrumentId: INSTRUMENT, tsInit: Date.now() });
    const refused = await events.next(isEvent('OrderCancelRejected', taker.clientOrderId));
    expect(refused.reason).toMatch(/327802: cannot cancel order under current order status/);
    events.stop();
  });

  it('reports venue rejections (off-grid price, unknown symbol) as OrderRejected with the venue message', async () => {
    const events = record(adapter.execution!.events$);
    const offGrid = limit('buy', 29_000.005, 0.01);
    const badSymbol = limit('buy', 10, 1, { instrumentId: 'NOPEUSD.VENUE1' });
    adapter.execution!.submit(offGrid);
    adapter.execution!.submit(badSymbol);
    expect((await events.next(isEvent('OrderRejected', offGrid.clientOrderId))).reason).toMatch(/65562.*tickSize/);
    expect((await events.next(isEvent('OrderRejected', badSymbol.clientOrderId))).reason).toMatch(/262202/);
    events.stop();
  });

  it('refuses modify as not supported by the venue', async () => {
    const events = record(adapter.execution!.events$);
    adapter.execution!.modify({ kind: 'ModifyOrder', clientOrderId: 'mm-7-999', strategyId: 'mm', instrumentId: INSTRUMENT, side: 'buy', price: 1, tsInit: 0 });
    expect((await events.next(isEvent('OrderModifyRejected', 'mm-7-999'))).reason).toMatch(/^NOT_SUPPORTED/);
    events.stop();
  });

  it('emits nothing for a swallowed newOrder answer, and reconciliation finds the order', async () => {
    const events = record(adapter.execution!.events$);
    sim.faults.swallowNextResponse('order/newOrder');
    const cmd = limit('buy', 29_000, 0.01);
    adapter.execution!.submit(cmd);
    await sleep(1_300); // past the 1 s request timeout
    expect(events.seen.filter((e) => e.clientOrderId === cmd.clientOrderId && e.kind === 'OrderRejected')).toEqual([]);
    const status = await adapter.execution!.orderStatus!(cmd.clientOrderId);
    expect(status).toMatchObject({ clientOrderId: cmd.clientOrderId, status: 'ACCEPTED', quantity: 0.01, price: 29_000 });
    const openOrders = await adapter.execution!.openOrders!();
    expect(openOrders.map((o) => o.clientOrderId)).toContain(cmd.clientOrderId);
    events.stop();
  });

  it('returns fills made while the user stream was silent from fills(since)', async () => {
    const since = Date.now();
    const events = record(adapter.execution!.events$);
    const cmd = limit('buy', 29_950, 0.02);
    adapter.execution!.submit(cmd);
    await events.next(isEvent('OrderAccepted', cmd.clientOrderId));
    sim.faults.silenceHeartbeat();
    try {
      sim.market.moveTo('BTCUSD', 29_850);
      await sleep(300);
      expect(events.seen.filter(isEvent('OrderFilled', cmd.clientOrderId))).toEqual([]);
      const fills = await adapter.execution!.fills!(since);
      const mine = fills.filter((f) => f.clientOrderId === cmd.clientOrderId);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ lastQty: 0.02, lastPrice: 29_950, side: 'buy', instrumentId: INSTRUMENT });
      expect(mine[0]!.tradeId).not.toBe('');
    } finally {
      sim.faults.resumeHeartbeat();
      events.stop();
    }
  });

  it('reconnects after dropped connections and restores its subscriptions', async () => {
    const ticks = record(adapter.marketData!.ticks$);
    const states = record(adapter.state$);
    sim.faults.dropConnections();
    await states.next((s) => s === 'reconnecting');
    await states.next((s) => s === 'connected', 6_000);
    ticks.seen.length = 0;
    sim.market.moveTo('BTCUSD', 30_200);
    await ticks.next((t: Tick) => t.kind === 'quote' && t.bid > 30_150);
    // the order stream is back too
    const events = record(adapter.execution!.events$);
    const cmd = limit('buy', 29_000, 0.01);
    adapter.execution!.submit(cmd);
    await events.next(isEvent('OrderAccepted', cmd.clientOrderId));
    ticks.stop();
    states.stop();
    events.stop();
  });

  it('answers the venue pings so both streams stay up', async () => {
    const states = record(adapter.state$);
    await sleep(1_000); // 5 ping intervals; the simulator drops a client after 2 unanswered pings
    expect(states.seen).toEqual(['connected']);
    states.stop();
  });

  it('never writes the secret into a log line', () => {
    expect(captured.lines.length).toBeGreaterThan(0);
    expect(captured.lines.join('\n')).not.toContain(ALICE.secret);
  });
});

describe('apifiny adapter failures', () => {
  it('rejects connect() with a readable error on bad credentials, without retrying', async () => {
    const sim2 = await startTestSimulator();
    const { log, lines } = captureLog();
    const bad = { ...ALICE, secret: 'wrong-secret-value-123' };
    const a = makeAdapter(sim2, { creds: bad, log });
    try {
      const err = await a.connect().then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectionRejectedError);
      expect((err as Error).message).toMatch(/refused the credentials of account STA-00000001.*Signature Error/);
      expect((err as Error).message).not.toContain(bad.secret);
      await sleep(500);
      expect(a.restRequests).toBe(1);
      expect(lines.join('\n')).not.toContain(bad.secret);
    } finally {
      await a.close();
      await sim2.close();
    }
  });

  it('logs a malformed market data frame with an excerpt and keeps streaming', async () => {
    const sim2 = await startTestSimulator();
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    const port = (wss.address() as { port: number }).port;
    wss.on('connection', (ws) => {
      ws.on('message', () => {
        ws.send('{"channel":"orderbook", this is not json');
        ws.send(JSON.stringify({ venues: ['VENUE1'], channel: 'orderbook', symbol: 'BTCUSD', orderbook: { symbol: 'BTCUSD', updatedAt: 1, bids: 'nope' } }));
        ws.send(JSON.stringify({ venues: ['VENUE1'], channel: 'orderbook', symbol: 'BTCUSD', orderbook: { symbol: 'BTCUSD', updatedAt: 2, bids: [[99, 1]], asks: [[101, 2]] } }));
      });
    });
    const { log, lines } = captureLog();
    const a = makeAdapter(sim2, { log, options: { mdWsUrl: `ws://127.0.0.1:${port}/md/ws/v1` } });
    try {
      await a.connect();
      const ticks = record(a.marketData!.ticks$);
      a.marketData!.subscribe(INSTRUMENT, ['quote']);
      const q = await ticks.next((t) => t.kind === 'quote');
      expect(q).toMatchObject({ bid: 99, ask: 101, tsEvent: 2 });
      const errors = lines.filter((l) => l.includes('malformed frame'));
      expect(errors.length).toBe(2);
      expect(errors[0]).toContain('this is not json');
      expect(errors[1]).toContain('bids is not an array');
    } finally {
      await a.close();
      await new Promise((r) => wss.close(r));
      await sim2.close();
    }
  });
});
