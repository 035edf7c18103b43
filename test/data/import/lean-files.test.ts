import { describe, expect, it } from 'vitest';
import type { Bar, Quote, Tick, Trade } from '../../../engine/model/tick.js';
import { importTicks, leanDateOf, leanPreset } from '../../../engine/data/import/index.js';

const DATA = '/work/shared/data';
const iso = (t: number): string => new Date(t).toISOString();
const decimals = (x: number): number => (String(x).split('.')[1] ?? '').length;

function all<T extends Tick>(ticks: Iterable<Tick>): T[] {
  return [...ticks] as T[];
}

function inTimeOrder(ticks: readonly Tick[]): boolean {
  return ticks.every((t, i) => i === 0 || t.tsEvent >= ticks[i - 1]!.tsEvent);
}

describe('importing the real Lean sample files', () => {
  it('reads the FXCM EUR/USD quotes of 2014-05-05: 58,143 ticks from midnight UTC', () => {
    const result = importTicks(`${DATA}/fxcm-eurusd/20140505_quote.zip`, { ...leanPreset('fx-quote'), instrument: 'EURUSD.FXCM' });
    const quotes = all<Quote>(result);
    expect(quotes).toHaveLength(58_143);
    expect(result.stats).toMatchObject({ rows: 58_143, ticks: 58_143, skippedBad: 0, skippedFlagged: 0 });
    const first = quotes[0]!;
    expect(iso(first.tsEvent)).toBe('2014-05-05T00:00:03.074Z');
    expect(first).toEqual({ kind: 'quote', instrumentId: 'EURUSD.FXCM', tsEvent: first.tsEvent, tsInit: first.tsEvent, bid: 1.38756, ask: 1.38758 });
    expect(iso(quotes.at(-1)!.tsEvent).startsWith('2014-05-05T23:')).toBe(true);
    expect(inTimeOrder(quotes)).toBe(true);
  });

  it('takes the day from the file name or from an explicit date alike', () => {
    const file = `${DATA}/fxcm-eurusd/20140506_quote.zip`;
    const inferred = importTicks(file, { ...leanPreset('fx-quote'), instrument: 'EURUSD.FXCM' });
    const explicit = importTicks(file, { ...leanPreset('fx-quote', '2014-05-06'), instrument: 'EURUSD.FXCM' });
    const [a] = inferred;
    const [b] = explicit;
    expect(a).toEqual(b);
    expect(iso(a!.tsEvent)).toBe('2014-05-06T00:00:00.339Z');
    expect(leanDateOf(file)).toBe('2014-05-06');
    expect(leanPreset('fx-quote', file).date).toBe('2014-05-06');
  });

  it('merges the IBM per-side quote updates into consolidated quotes, in New York time (EDT: UTC = NY + 4 h)', () => {
    const result = importTicks(`${DATA}/equity-ibm/20131007_quote.zip`, { ...leanPreset('equity-quote'), instrument: 'IBM.US' });
    const quotes = all<Quote>(result);
    // Row 1 carries only an ask: the first quote comes with the first bid, at 04:00:00.241 New York time.
    expect(quotes[0]).toEqual({
      kind: 'quote', instrumentId: 'IBM.US', tsEvent: Date.parse('2013-10-07T08:00:00.241Z'), tsInit: Date.parse('2013-10-07T08:00:00.241Z'),
      bid: 180.01, ask: 183.63, bidSize: 300, askSize: 100,
    });
    expect(quotes[1]).toMatchObject({ bid: 180.01, ask: 181.8, askSize: 3000 });
    expect(String(quotes[2]!.bid)).toBe('181.24');
    expect(result.stats).toMatchObject({ rows: 109_067, ticks: 109_065, skippedFlagged: 1, skippedBad: 0 });
    expect(quotes.every((q) => decimals(q.bid) <= 4 && decimals(q.ask) <= 4)).toBe(true);
    expect(inTimeOrder(quotes)).toBe(true);
  });

  it('scales the IBM trade prices by 10000 exactly and skips no unflagged trade', () => {
    const result = importTicks(`${DATA}/equity-ibm/20131007_trade.zip`, { ...leanPreset('equity-trade'), instrument: 'IBM.US' });
    const trades = all<Trade>(result);
    expect(trades[0]).toMatchObject({ kind: 'trade', tsEvent: Date.parse('2013-10-07T08:00:30.270Z'), price: 181.52, size: 283 });
    expect(String(trades[0]!.price)).toBe('181.52');
    expect(trades.every((t) => decimals(t.price) <= 4)).toBe(true);
    expect(result.stats).toMatchObject({ rows: 24_293, ticks: 24_293, skippedFlagged: 0, skippedBad: 0 });
  });

  it('reads Coinbase minute quote bars as bars of the mid, closing one minute after their open time', () => {
    const result = importTicks(`${DATA}/coinbase-btcusd/20180404_minute_quote.zip`, { ...leanPreset('crypto-quote-bar'), instrument: 'BTCUSD.COINBASE' });
    const bars = all<Bar>(result);
    expect(bars).toHaveLength(1437);
    // Row "0,7424.9,…,7424.91,…": open at 00:00, close at 00:01; mid of 7424.9 and 7424.91 exactly.
    expect(bars[0]).toEqual({
      kind: 'bar', instrumentId: 'BTCUSD.COINBASE', tsEvent: Date.parse('2018-04-04T00:01:00Z'), tsInit: Date.parse('2018-04-04T00:01:00Z'),
      periodMs: 60_000, open: 7424.905, high: 7424.905, low: 7424.905, close: 7424.905, volume: 0,
    });
    expect(bars.every((b) => b.tsEvent % 60_000 === 0 && b.periodMs === 60_000 && b.low <= b.high)).toBe(true);
  });

  it('reads the bid or the ask side of Coinbase quote bars when asked', () => {
    const file = `${DATA}/coinbase-btcusd/20180404_minute_quote.zip`;
    const [bid] = importTicks(file, { ...leanPreset('crypto-quote-bar', undefined, { side: 'bid' }), instrument: 'BTCUSD.COINBASE' });
    const [ask] = importTicks(file, { ...leanPreset('crypto-quote-bar', undefined, { side: 'ask' }), instrument: 'BTCUSD.COINBASE' });
    expect(bid).toMatchObject({ open: 7424.9, close: 7424.9, volume: 1.88483821 });
    expect(ask).toMatchObject({ open: 7424.91, close: 7424.91, volume: 33.35399601000002 });
  });

  it('reads Coinbase minute trade bars with tsEvent = open + 60 s', () => {
    const result = importTicks(`${DATA}/coinbase-btcusd/20180404_minute_trade.zip`, { ...leanPreset('crypto-trade-bar'), instrument: 'BTCUSD.COINBASE' });
    const bars = all<Bar>(result);
    expect(bars).toHaveLength(1007);
    expect(bars[0]).toMatchObject({ tsEvent: Date.parse('2018-04-04T00:01:00Z'), periodMs: 60_000, open: 7424.91, high: 7424.91, low: 7422, close: 7422, volume: 7.14319709 });
    expect(bars[1]!.tsEvent).toBe(Date.parse('2018-04-04T00:02:00Z'));
  });

  it('infers the one-minute bar length from the first two rows when no period is given', () => {
    const { periodMs: _, ...preset } = leanPreset('crypto-trade-bar');
    const bars = all<Bar>(importTicks(`${DATA}/coinbase-btcusd/20180404_minute_trade.zip`, { ...preset, instrument: 'BTCUSD.COINBASE' }));
    expect(bars).toHaveLength(1007);
    expect(bars[0]).toMatchObject({ tsEvent: Date.parse('2018-04-04T00:01:00Z'), periodMs: 60_000 });
  });
});
