import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TickTraderSimulator } from './sim-server.js';
import { connectRaw, demoAccount, startTestSimulator, type RawClient } from './test-client.js';

type Result<T> = { Result: T };

describe('TickTrader simulator reference data and quote history', () => {
  const account = demoAccount();
  let sim: TickTraderSimulator;
  let c: RawClient;
  beforeAll(async () => {
    sim = await startTestSimulator({ accounts: [account] });
    c = await connectRaw(sim.url);
    await c.ready(account);
  });
  afterAll(async () => {
    c.close();
    await sim.close();
  });

  it('lists currency types and currencies, all, by name and by type', async () => {
    const types = (await c.request('CurrencyTypes')) as unknown as Result<{ CurrencyTypes: { Name: string }[] }>;
    expect(types.Result.CurrencyTypes.map((t) => t.Name)).toContain('Default');
    const all = (await c.request('Currencies')) as unknown as Result<{ Currencies: { Name: string; Precision: number }[] }>;
    expect(all.Result.Currencies.length).toBeGreaterThan(3);
    expect(all.Result.Currencies[0]).toEqual({ Name: 'USD', Precision: 2, Description: 'United States Dollar' });
    const byName = (await c.request('Currencies', { Currency: 'EUR;USD;XXX' })) as unknown as Result<{ Currencies: { Name: string }[] }>;
    expect(byName.Result.Currencies.map((x) => x.Name).sort()).toEqual(['EUR', 'USD']);
    const byType = (await c.request('Currencies', { Type: 'Crypto' })) as unknown as Result<{ Currencies: { Name: string }[] }>;
    expect(byType.Result.Currencies.map((x) => x.Name)).toEqual(['BTC']);
    expect(await c.request('Currencies', { Currency: 'NONE' })).toMatchObject({ Result: { Currencies: [] } });
    expect(await c.request('Currencies', { Currency: 5 })).toMatchObject({ Response: 'Error', Error: 'Invalid parameter: Currency' });
  });

  it('lists symbols with every documented field, all, by name and by security', async () => {
    const all = (await c.request('Symbols')) as unknown as Result<{ Symbols: Record<string, unknown>[] }>;
    const eur = all.Result.Symbols.find((s) => s.Symbol === 'EURUSD')!;
    for (const k of ['Precision', 'ContractSize', 'MinTradeAmount', 'MaxTradeAmount', 'TradeAmountStep', 'CommissionType', 'Commission', 'LimitsCommission', 'SecurityName', 'MarginCurrency', 'ProfitCurrency', 'StatusGroupId']) {
      expect(eur).toHaveProperty(k);
    }
    expect(Object.keys(eur).filter((k) => k !== k.trim())).toEqual([]); // not the document's "StatusGroupId " typo
    expect(await c.request('Symbols', { Symbol: 'GBPUSD;NOPE' })).toMatchObject({ Result: { Symbols: [{ Symbol: 'GBPUSD' }] } });
    expect(await c.request('Symbols', { Security: 'Metals' })).toMatchObject({ Result: { Symbols: [{ Symbol: 'XAUUSD' }] } });
    expect(await c.request('Symbols', { Security: [] })).toMatchObject({ Response: 'Error', Error: 'Invalid parameter: Security' });
  });

  it('answers the quote history version, symbols, periodicities and bars info', async () => {
    expect(await c.request('QuoteHistoryVersion')).toMatchObject({ Result: { Version: 1 } });
    expect(await c.request('QuoteHistorySymbols')).toMatchObject({ Result: { Symbols: expect.arrayContaining(['EURUSD']) as unknown } });
    expect(await c.request('QuoteHistoryPeriodicities', { Symbol: 'EURUSD' })).toMatchObject({ Result: { Periodicities: expect.arrayContaining(['M1', 'H1']) as unknown } });
    const info = (await c.request('QuoteHistoryBarsInfo', { Symbol: 'EURUSD', Periodicity: 'M1', PriceType: 'Bid' })) as unknown as Result<{ AvailFrom: number; AvailTo: number }>;
    expect(info.Result.AvailFrom).toBeLessThan(info.Result.AvailTo);
    expect(await c.request('QuoteHistoryPeriodicities', { Symbol: 'NOPE' })).toMatchObject({ Response: 'Error', Error: /NOPE/ });
    expect(await c.request('QuoteHistoryBarsInfo', { Symbol: 'EURUSD', Periodicity: 'M7', PriceType: 'Bid' })).toMatchObject({ Response: 'Error', Error: /periodicity/ });
    expect(await c.request('QuoteHistoryBarsInfo', { Symbol: 'EURUSD', Periodicity: 'M1', PriceType: 'Mid' })).toMatchObject({ Response: 'Error', Error: /price type/ });
  });

  it('returns closed history bars backward and forward, with Count limited to ±1000', async () => {
    const now = Date.now();
    const back = (await c.request('QuoteHistoryBars', { Symbol: 'EURUSD', Periodicity: 'M1', PriceType: 'Bid', Timestamp: now, Count: -5 })) as unknown as Result<{ Bars: { Timestamp: number; High: number; Low: number; Open: number; Close: number }[] }>;
    const bars = back.Result.Bars;
    expect(bars).toHaveLength(5);
    for (let i = 1; i < bars.length; i++) expect(bars[i]!.Timestamp - bars[i - 1]!.Timestamp).toBe(60_000);
    expect(bars[4]!.Timestamp + 60_000).toBeLessThanOrEqual(now);
    for (const b of bars) expect(b.High).toBeGreaterThanOrEqual(Math.max(b.Open, b.Close));
    const fwd = (await c.request('QuoteHistoryBars', { Symbol: 'EURUSD', Periodicity: 'M1', PriceType: 'Bid', Timestamp: bars[0]!.Timestamp, Count: 3 })) as unknown as Result<{ Bars: { Timestamp: number }[] }>;
    expect(fwd.Result.Bars.map((b) => b.Timestamp)).toEqual(bars.slice(0, 3).map((b) => b.Timestamp));
    const ask = (await c.request('QuoteHistoryBars', { Symbol: 'EURUSD', Periodicity: 'M1', PriceType: 'Ask', Timestamp: now, Count: -1 })) as unknown as Result<{ Bars: { Close: number }[] }>;
    expect(ask.Result.Bars[0]!.Close).toBeGreaterThan(bars[4]!.Close - 0.001);
    const max = (await c.request('QuoteHistoryBars', { Symbol: 'EURUSD', Periodicity: 'M1', PriceType: 'Bid', Timestamp: now, Count: -1000 })) as unknown as Result<{ Bars: unknown[] }>;
    expect(max.Result.Bars).toHaveLength(1000);
    for (const Count of [0, 1001, -1001, 1.5]) {
      expect(await c.request('QuoteHistoryBars', { Symbol: 'EURUSD', Periodicity: 'M1', PriceType: 'Bid', Timestamp: now, Count })).toMatchObject({ Response: 'Error', Error: 'Invalid parameter: Count' });
    }
  });
});
