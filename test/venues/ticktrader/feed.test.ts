import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TickTraderSimulator } from './sim-server.js';
import { connectRaw, demoAccount, startTestSimulator, type Frame, type RawClient } from './test-client.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Tick = { Symbol: string; Bids: unknown[]; Asks: unknown[]; BestBid: { Price: number }; BestAsk: { Price: number } };
const ticksOf = (c: RawClient, from = 0) => c.frames.slice(from).filter((f) => f.Response === 'FeedTick').map((f) => f.Result as Tick);

describe('TickTrader simulator feed', () => {
  const account = demoAccount();
  let sim: TickTraderSimulator;
  let c: RawClient;
  beforeEach(async () => {
    sim = await startTestSimulator({ accounts: [account], throttleBaseMs: 100 });
    c = await connectRaw(sim.url);
    await c.ready(account);
  });
  afterEach(async () => {
    c.close();
    await sim.close();
  });

  it('answers FeedSubscribe with a snapshot at the asked depth, then streams FeedTick at that depth', async () => {
    const r = await c.request('FeedSubscribe', { Subscribe: [{ Symbol: 'EURUSD', BookDepth: 3 }] });
    const snap = (r.Result as { Snapshot: Tick[] }).Snapshot;
    expect(snap).toHaveLength(1);
    expect(snap[0]).toMatchObject({ Symbol: 'EURUSD', BestBid: { Type: 'Bid' }, BestAsk: { Type: 'Ask' } });
    expect(snap[0]!.Bids).toHaveLength(3);
    sim.market.moveTo('EURUSD', 1.13);
    const t = (await c.next((f) => f.Response === 'FeedTick')).Result as Tick;
    expect(t.Asks).toHaveLength(3);
    expect(t.BestBid.Price).toBeLessThan(t.BestAsk.Price);
    expect(Math.abs((t.BestBid.Price + t.BestAsk.Price) / 2 - 1.13)).toBeLessThan(0.0001);
  });

  it('sends no ticks of other symbols, and none after FeedSubscribe Unsubscribe', async () => {
    await c.request('FeedSubscribe', { Subscribe: [{ Symbol: 'EURUSD', BookDepth: 1 }] });
    sim.market.moveTo('GBPUSD', 1.3);
    sim.market.moveTo('EURUSD', 1.131);
    await c.next((f) => f.Response === 'FeedTick');
    expect(ticksOf(c).every((t) => t.Symbol === 'EURUSD')).toBe(true);
    expect(await c.request('FeedSubscribe', { Unsubscribe: ['EURUSD'] })).toMatchObject({ Response: 'FeedSubscribe', Result: { Snapshot: [] } });
    const from = c.frames.length;
    sim.market.moveTo('EURUSD', 1.132);
    await sleep(100);
    expect(ticksOf(c, from)).toEqual([]);
  });

  it('throttles to one tick per 2^FrequencyPriority × base window and sends the latest book at its end', async () => {
    await c.request('FeedSubscribe', { Subscribe: [{ Symbol: 'EURUSD', BookDepth: 1, FrequencyPriority: 1 }] }); // 200 ms here
    const from = c.frames.length;
    const t0 = Date.now();
    for (let i = 0; i < 30; i++) {
      sim.market.moveTo('EURUSD', 1.13 + i * 0.0001);
      await sleep(20);
    }
    await sleep(250);
    const ticks = ticksOf(c, from);
    const elapsed = Date.now() - t0;
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.length).toBeLessThanOrEqual(Math.ceil(elapsed / 200) + 1);
    expect(ticks.at(-1)!.BestBid.Price).toBeGreaterThan(1.1325);
  });

  it('refuses bad FeedSubscribe parameters with the Error envelope', async () => {
    const bad = async (params: unknown, error: RegExp) => expect(await c.request('FeedSubscribe', params)).toMatchObject({ Response: 'Error', Error: expect.stringMatching(error) as unknown });
    await bad({ Subscribe: [{ Symbol: 'NOPE', BookDepth: 1 }] }, /Symbol not found: NOPE/);
    await bad({ Subscribe: [{ Symbol: 'EURUSD', BookDepth: -1 }] }, /BookDepth/);
    await bad({ Subscribe: [{ Symbol: 'EURUSD', BookDepth: 1, FrequencyPriority: 'x' }] }, /FrequencyPriority/);
    await bad({ Subscribe: [] }, /Subscribe/);
    await bad({ Unsubscribe: ['NOPE'] }, /NOPE/);
    await bad(undefined, /Params/);
  });

  it('answers BarFeedSubscribe with a FeedBarUpdate and streams bar updates; unsubscribes', async () => {
    const from = c.frames.length;
    c.send({ Id: 'bars', Request: 'BarFeedSubscribe', Params: { Subscribe: [{ Symbol: 'EURUSD', BarParams: [{ Periodicity: 'S1', PriceType: 'Bid' }, { Periodicity: 'M1', PriceType: 'Ask' }] }] } });
    const first = await c.next((f) => f.Id === 'bars', 3_000, from);
    expect(first).toMatchObject({ Response: 'FeedBarUpdate', Result: { SymbolAlias: 'EURUSD' } });
    const updates = (first.Result as { Updates: Record<string, unknown>[] }).Updates;
    expect(updates.map((u) => `${String(u.Periodicity)}/${String(u.PriceType)}`).sort()).toEqual(['M1/Ask', 'S1/Bid']);
    expect(updates[0]).toEqual(expect.objectContaining({ Low: expect.any(Number) as unknown, High: expect.any(Number) as unknown, Time: expect.any(Number) as unknown, Open: expect.any(Number) as unknown }));
    sim.market.moveTo('EURUSD', 1.14);
    const next: Frame = await c.next((f) => f.Response === 'FeedBarUpdate' && f.Id === undefined, 3_000, from);
    expect((next.Result as { BidClose: number }).BidClose).toBeCloseTo(1.14, 3);
    expect(await c.request('BarFeedSubscribe', { Unsubscribe: ['EURUSD'] })).toMatchObject({ Response: 'BarFeedSubscribe', Result: {} });
    expect(await c.request('BarFeedSubscribe', { Subscribe: [{ Symbol: 'EURUSD', BarParams: [{ Periodicity: 'M2', PriceType: 'Bid' }] }] })).toMatchObject({ Response: 'Error', Error: /periodicity/ });
    expect(await c.request('BarFeedSubscribe', { Subscribe: [{ Symbol: 'EURUSD', BarParams: [{ Periodicity: 'M1', PriceType: 'Mid' }] }] })).toMatchObject({ Response: 'Error', Error: /price type/ });
  });

  it('drops every connection on the fault switch and counts requests by name', async () => {
    sim.faults.dropConnections();
    await c.closed;
    expect(sim.requests.get('Login')).toBe(1);
    expect(sim.connections).toBe(1);
  });
});
