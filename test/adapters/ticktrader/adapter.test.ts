import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bar, BookSnapshot, Quote, Tick } from '../../../engine/model/tick.js';
import type { TickTraderAdapter } from '../../../adapters/ticktrader/index.js';
import type { TickTraderSimulator } from '../../venues/ticktrader/sim-server.js';
import { demoAccount, startTestSimulator } from '../../venues/ticktrader/test-client.js';
import { sleep, waitFor } from '../session-kit.js';
import { INSTRUMENT, captureLog, makeAdapter } from './helpers.js';

describe('TickTrader adapter', () => {
  const account = demoAccount();
  let sim: TickTraderSimulator;
  const adapters: TickTraderAdapter[] = [];
  const adapter = (options: Record<string, unknown> = {}, log?: ReturnType<typeof captureLog>['log']) => {
    const a = makeAdapter(sim, account, { options, ...(log ? { log } : {}) });
    adapters.push(a);
    return a;
  };
  beforeEach(async () => {
    sim = await startTestSimulator({ accounts: [account] });
  });
  afterEach(async () => {
    for (const a of adapters.splice(0)) await a.close().catch(() => undefined);
    await sim.close();
  });

  it('maps Symbols to instruments: Precision → tick size, TradeAmountStep → step, min/max amount, commissions', async () => {
    const { log, lines } = captureLog();
    const a = adapter({}, log);
    await a.connect();
    const list = await a.instruments();
    const eur = list.find((i) => i.id === INSTRUMENT)!;
    expect(eur).toMatchObject({ venue: 'TICKTRADER', venueSymbol: 'EURUSD', base: 'EUR', quote: 'USD', tickSize: 0.00001, stepSize: 1000, minQty: 1000, maxQty: 10_000_000, contractSize: 1, pricePrecision: 5 });
    expect(eur.takerFee).toBeCloseTo(0.000025, 12); // 0.005 % round turn → half per fill
    const xau = list.find((i) => i.venueSymbol === 'XAUUSD')!;
    expect(xau).toMatchObject({ tickSize: 0.01, stepSize: 1, minQty: 1 });
    expect(xau.takerFee).toBeCloseTo(0.0001, 12); // 0.01 % one way
    expect(xau.makerFee).toBeCloseTo(0.00008, 12); // LimitsCommission
    expect(list.find((i) => i.venueSymbol === 'BTCUSD')).toMatchObject({ makerFee: 0, takerFee: 0, stepSize: 0.001 });
    expect(lines.join('')).toMatch(/fees taken as 0/);
  });

  it('loads only the configured symbols', async () => {
    const a = adapter({ symbols: ['GBPUSD'] });
    await a.connect();
    expect((await a.instruments()).map((i) => i.venueSymbol)).toEqual(['GBPUSD']);
  });

  it('streams the FeedSubscribe snapshot, then book snapshots at the configured depth and quotes from FeedTick', async () => {
    const a = adapter({ bookDepth: 2 });
    await a.connect();
    const ticks: Tick[] = [];
    a.marketData.ticks$.subscribe((t) => ticks.push(t));
    a.marketData.subscribe(INSTRUMENT, ['quote', 'book']);
    await waitFor(() => ticks.length >= 2, 2_000, 'the snapshot');
    sim.market.moveTo('EURUSD', 1.135);
    await waitFor(() => ticks.some((t) => t.kind === 'quote' && Math.abs(t.bid - 1.135) < 0.0001), 2_000, 'a quote at 1.135');
    const book = ticks.filter((t): t is BookSnapshot => t.kind === 'book').at(-1)!;
    expect(book.bids).toHaveLength(2);
    expect(book.asks).toHaveLength(2);
    expect(book.bids[0]!.price).toBeLessThan(book.asks[0]!.price);
    const q = ticks.filter((t): t is Quote => t.kind === 'quote').at(-1)!;
    expect(q).toMatchObject({ instrumentId: INSTRUMENT, bid: book.bids[0]!.price, ask: book.asks[0]!.price });
    expect(q.bidSize).toBeGreaterThan(0);
  });

  it('stops the ticks of an unsubscribed instrument', async () => {
    const a = adapter();
    await a.connect();
    const ticks: Tick[] = [];
    a.marketData.ticks$.subscribe((t) => ticks.push(t));
    a.marketData.subscribe(INSTRUMENT, ['quote']);
    await waitFor(() => ticks.length > 0, 2_000, 'a quote');
    a.marketData.unsubscribe(INSTRUMENT, ['quote']);
    await waitFor(() => (sim.requests.get('FeedSubscribe') ?? 0) >= 2, 2_000, 'the unsubscribe');
    await sleep(50);
    ticks.length = 0;
    sim.market.moveTo('EURUSD', 1.14);
    await sleep(150);
    expect(ticks).toEqual([]);
  });

  it('emits closed bars from FeedBarUpdate (S1 here), with the bar open time + period as tsEvent', async () => {
    const a = adapter({ barPeriodicity: 'S1' });
    await a.connect();
    const bars: Bar[] = [];
    a.marketData.ticks$.subscribe((t) => t.kind === 'bar' && bars.push(t));
    a.marketData.subscribe(INSTRUMENT, ['bar']);
    let i = 0;
    const timer = setInterval(() => sim.market.moveTo('EURUSD', 1.13 + (i++ % 5) * 0.0001), 50);
    try {
      await waitFor(() => bars.length >= 1, 3_500, 'a closed S1 bar');
    } finally {
      clearInterval(timer);
    }
    const b = bars[0]!;
    expect(b).toMatchObject({ kind: 'bar', instrumentId: INSTRUMENT, periodMs: 1000 });
    expect(b.tsEvent % 1000).toBe(0);
    expect(b.tsEvent).toBeLessThanOrEqual(Date.now());
    expect(b.high).toBeGreaterThanOrEqual(Math.max(b.open, b.close));
    expect(b.low).toBeLessThanOrEqual(Math.min(b.open, b.close));
  });

  it('fetches history bars for warm-up in pages of at most 1000, oldest first, closed only', async () => {
    const a = adapter();
    await a.connect();
    const bars = await a.history(INSTRUMENT, 'M1', 1500);
    expect(bars).toHaveLength(1500);
    expect(sim.requests.get('QuoteHistoryBars')).toBe(2);
    for (let i = 1; i < bars.length; i++) expect(bars[i]!.tsEvent - bars[i - 1]!.tsEvent).toBe(60_000);
    expect(bars.at(-1)!.tsEvent).toBeLessThanOrEqual(Date.now());
    expect(bars.at(-1)!.tsEvent).toBeGreaterThan(Date.now() - 120_000);
    expect(bars[0]).toMatchObject({ kind: 'bar', instrumentId: INSTRUMENT, periodMs: 60_000 });
    await expect(a.history('NOPE.TICKTRADER', 'M1', 5)).rejects.toThrow(/Quote history not available for NOPE/);
  });

  it('serves engine warm-up (warmupBars by period in ms) from quote history, and names the periods it has', async () => {
    const a = adapter();
    await a.connect();
    const bars = await a.warmupBars!(INSTRUMENT, 300_000, 12);
    expect(bars).toHaveLength(12);
    expect(bars[0]).toMatchObject({ kind: 'bar', periodMs: 300_000 });
    await expect(a.warmupBars!(INSTRUMENT, 7_000, 3)).rejects.toThrow(/no bar periodicity of 7000 ms \(S1=1000/);
  });

  it('resubscribes after a dropped connection', async () => {
    const a = adapter();
    await a.connect();
    const ticks: Tick[] = [];
    a.marketData.ticks$.subscribe((t) => ticks.push(t));
    a.marketData.subscribe(INSTRUMENT, ['quote']);
    await waitFor(() => ticks.length > 0, 2_000, 'a quote');
    sim.faults.dropConnections();
    await waitFor(() => (sim.requests.get('Login') ?? 0) === 2, 4_000, 'a second login');
    ticks.length = 0;
    await waitFor(() => (sim.market.moveTo('EURUSD', 1.1301), ticks.length > 0), 4_000, 'a quote after the reconnect');
  });

  it('names a missing environment variable in its configuration error', () => {
    expect(() => makeAdapter(sim, account, { env: {} })).toThrow(/TICKTRADER_ID[\s\S]*TICKTRADER_KEY[\s\S]*TICKTRADER_SECRET/);
    expect(() => makeAdapter(sim, account, { options: { bookDepth: -1, nope: 1 } })).toThrow(/bookDepth[\s\S]*|unknown option "nope"/);
  });
});
