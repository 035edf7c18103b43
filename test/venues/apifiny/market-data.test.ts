import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveClock } from '../../../engine/clock/live-clock.js';
import { createSimMarket } from './market.js';
import type { ApifinySimulator } from './sim-server.js';
import { DEFAULT_SYMBOLS } from './symbols.js';
import { getJson, openProbe, sleep, startTestSimulator, type WsProbe } from './test-client.js';

const sub = (channel: string, symbol: string, action = 'sub', venues = ['VENUE1', 'VENUE2']) => ({ channel, symbol, venues, action });

describe('Apifiny simulator market data', () => {
  let sim: ApifinySimulator;
  let md: WsProbe;
  beforeAll(async () => {
    // the shapes of every request and answer, many requests a second: the 1/s limit has its own tests below
    sim = await startTestSimulator({ mdRequestLimit: null });
    md = await openProbe(sim.mdWsUrl);
  });
  afterAll(async () => {
    md.close();
    await sim.close();
  });

  /** Steps the market until `pred` sees a frame (trades come 0–2 a step). */
  const stepUntil = async (pred: (f: any) => boolean) => {
    const timer = setInterval(() => sim.market.step(), 20);
    try {
      return await md.next(pred);
    } finally {
      clearInterval(timer);
    }
  };

  it.each([
    ['orderbook', 'BTCUSD', (f: any) => f.orderbook],
    ['trade', 'BTCUSD', (f: any) => f.trade.trades[0]],
    ['ticker', 'ETHUSD', (f: any) => f.ticker],
    ['kline_1m', 'BTC/USD', (f: any) => f.kline_1m],
    ['kline_1h', 'ETH/BTC', (f: any) => f.kline_1h],
  ])('subscribes to %s %s, then unsubscribes', async (channel, symbol, body) => {
    md.send(sub(channel, symbol));
    const frame = await stepUntil((f) => f.channel === channel && f.symbol === symbol);
    expect(frame.venues).toEqual(['VENUE1']);
    expect(body(frame)).toBeDefined();
    md.send(sub(channel, symbol, 'unsub'));
    await sleep(50);
    const before = md.frames.length;
    for (let i = 0; i < 10; i++) sim.market.step();
    await sleep(50);
    expect(md.frames.slice(before).filter((f) => f.channel === channel && f.symbol === symbol)).toEqual([]);
  });

  it('pushes the same book as the REST endpoint, best prices first, on the tick grid', async () => {
    md.send(sub('orderbook', 'BTCUSD'));
    sim.market.moveTo('BTCUSD', 31_234.56);
    const frame = await md.next((f) => f.channel === 'orderbook' && f.orderbook.bids[0][0] === 31_234.55);
    const rest = await getJson(`${sim.mdRestBaseUrl}/md/orderbook/v1/BTCUSD/VENUE1`);
    expect(rest.body).toEqual(frame.orderbook);
    const { bids, asks } = frame.orderbook;
    expect(asks[0][0]).toBe(31_234.57);
    for (let i = 1; i < bids.length; i++) expect(bids[i][0]).toBeLessThan(bids[i - 1][0]);
    for (let i = 1; i < asks.length; i++) expect(asks[i][0]).toBeGreaterThan(asks[i - 1][0]);
    for (const [p] of [...bids, ...asks]) expect(Math.round(p * 100) / 100).toBe(p);
    md.send(sub('orderbook', 'BTCUSD', 'unsub'));
  });

  it('reports trades with the maker side at the touch and a growing exchangeID, newest first', async () => {
    let withTrades: { book: { bids: readonly (readonly number[])[]; asks: readonly (readonly number[])[] }; trades: readonly { side: string; price: number }[] } | undefined;
    const off = sim.market.onUpdate((u) => {
      if (u.symbol === 'ETHUSD' && u.trades.length > 0) withTrades = u;
    });
    for (let i = 0; i < 30 && withTrades === undefined; i++) sim.market.step();
    off();
    const { book, trades } = withTrades!;
    for (const t of trades) expect(t.price).toBe(t.side === 'SELL' ? book.asks[0]![0] : book.bids[0]![0]);
    const { body } = await getJson(`${sim.mdRestBaseUrl}/md/trade/v1/ETHUSD/VENUE1`);
    expect(body.length).toBeGreaterThanOrEqual(2);
    expect(Number(body[0].exchangeID)).toBeGreaterThan(Number(body[1].exchangeID));
    expect(body[0].price).toBe(trades[trades.length - 1]!.price);
  });

  it('answers klines for a time range and a 24 h ticker', async () => {
    const now = Date.now();
    const { body } = await getJson(`${sim.mdRestBaseUrl}/md/kline/v1/VENUE1/BTC/USD/1m?startTime=${now - 120_000}&endTime=${now}`);
    expect(body.length).toBeGreaterThanOrEqual(1);
    expect(body[0]).toMatchObject({ currencyPair: 'BTC/USD', period: '1m', exchange: 'VENUE1' });
    expect(body[0].timestamp % 60_000).toBe(0);
    const ticker = (await getJson(`${sim.mdRestBaseUrl}/md/ticker/v1/BTCUSD/VENUE1`)).body;
    expect(ticker.high).toBeGreaterThanOrEqual(ticker.low);
    expect(ticker.count).toBeGreaterThan(0);
  });

  it.each([
    ['an unknown channel', sub('depth', 'BTCUSD'), 65562],
    ['an unknown symbol', sub('trade', 'DOGEUSD'), 262202],
    ['a kline symbol without the slash', sub('kline_1m', 'BTCUSD'), 262202],
    ['an unknown kline period', sub('kline_2m', 'BTC/USD'), 65562],
    ['a list of other venues', sub('trade', 'BTCUSD', 'sub', ['VENUE2']), 327741],
    ['an unknown action', sub('trade', 'BTCUSD', 'subscribe'), 65562],
  ])('answers %s with an error envelope', async (_what, request, code) => {
    const before = md.frames.length;
    md.send(request);
    const frame = await md.next((f) => f.error !== undefined && md.frames.indexOf(f) >= before);
    expect(frame).toMatchObject({ result: null, error: { code } });
  });

  it('answers market data REST errors in the standard envelope', async () => {
    expect((await getJson(`${sim.mdRestBaseUrl}/md/orderbook/v1/DOGEUSD/VENUE1`)).body.error.code).toBe(262202);
    expect((await getJson(`${sim.mdRestBaseUrl}/md/ticker/v1/BTCUSD/VENUE9`)).body.error.code).toBe(327741);
    expect((await getJson(`${sim.mdRestBaseUrl}/md/kline/v1/VENUE1/BTC/USD/7m`)).body.error.code).toBe(65562);
  });
});

describe('Apifiny simulator market data rate limit (1 request per second, by access key)', () => {
  let sim: ApifinySimulator;
  const probes: WsProbe[] = [];
  const probe = async (headers?: Record<string, string>) => {
    const p = await openProbe(sim.mdWsUrl, headers ? { headers } : {});
    probes.push(p);
    return p;
  };
  const signature = (accessKey: string) => `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ accessKey })).toString('base64url')}.sig`;
  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(async () => {
    for (const p of probes) p.close();
    await sim.close();
  });

  it('acts on the first request of a second and refuses the next with the rate-limit envelope, not acting on it', async () => {
    const md = await probe();
    md.send(sub('orderbook', 'BTCUSD'));
    md.send(sub('orderbook', 'ETHUSD'));
    const refused = await md.next((f) => f.error !== undefined);
    expect(refused).toEqual({ result: null, error: { code: 131114, message: expect.stringMatching(/rate limit is exceeded.*at most 1 request per 1000 ms per access key/) } });
    await md.next((f) => f.channel === 'orderbook' && f.symbol === 'BTCUSD');
    sim.market.step();
    await sleep(50);
    expect(md.frames.filter((f) => f.symbol === 'ETHUSD')).toEqual([]); // ETHUSD was not subscribed
    await sleep(1_000);
    md.send(sub('orderbook', 'ETHUSD')); // a second later: acted on
    await md.next((f) => f.channel === 'orderbook' && f.symbol === 'ETHUSD');
    const mine = sim.mdRequests.filter((r) => r.key === sim.mdRequests.at(-1)!.key);
    expect(mine.map((r) => [r.symbol, r.refused])).toEqual([['BTCUSD', false], ['ETHUSD', true], ['ETHUSD', false]]);
  });

  it('counts every connection of one access key together, and connections without a signature each on their own', async () => {
    const [a, b] = [await probe({ signature: signature('key-A') }), await probe({ signature: signature('key-A') })];
    a.send(sub('trade', 'BTCUSD'));
    await sleep(50);
    b.send(sub('trade', 'ETHUSD'));
    expect(await b.next((f) => f.error !== undefined)).toMatchObject({ error: { code: 131114 } });
    const [c, d] = [await probe(), await probe()];
    c.send(sub('orderbook', 'BTCUSD'));
    d.send(sub('orderbook', 'BTCUSD'));
    await c.next((f) => f.channel === 'orderbook');
    await d.next((f) => f.channel === 'orderbook');
    expect(c.frames.concat(d.frames).filter((f) => f.error !== undefined)).toEqual([]);
  });
});

describe('the seeded market', () => {
  const run = (seed: number) => {
    const m = createSimMarket({ venue: 'VENUE1', specs: DEFAULT_SYMBOLS, clock: createLiveClock({ now: () => 1_700_000_000_000 }), seed });
    const seen: unknown[] = [];
    m.onUpdate((u) => seen.push([u.book.bids, u.book.asks, u.trades.map((t) => [t.price, t.qty, t.side])]));
    for (let i = 0; i < 50; i++) m.step();
    return seen;
  };

  it('is the same for the same seed and differs for another', () => {
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });
});
