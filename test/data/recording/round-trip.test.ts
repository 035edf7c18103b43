import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecording, recordingInfo } from '../../../engine/data/recording/index.js';
import type { Tick } from '../../../engine/model/tick.js';
import { expectSameTicks, mixedTicks, sampleQuotes, sampleQuotesWithSizes, tempDir, writeRecording } from './fixtures.js';

const dir = tempDir();

describe('recording round trip', () => {
  it('reads back quotes, books, trades and bars of several instruments identical field by field', () => {
    const ticks = mixedTicks(3_000);
    const path = join(dir(), 'mixed.tkr');
    writeRecording(path, ticks, { chunkTicks: 700 });
    expectSameTicks([...readRecording(path)], ticks);
    expect(recordingInfo(path)).toMatchObject({ chunks: 5, ticks: 3_000, instruments: ['EURUSD.FXCM', 'BTCUSD.SIM', 'ETHUSD.SIM', 'USDJPY.FXCM'] });
  });

  it('reads back brotli-compressed chunks as well', () => {
    const ticks = mixedTicks(1_000, 2);
    const path = join(dir(), 'mixed-brotli.tkr');
    writeRecording(path, ticks, { compression: 'brotli' });
    expectSameTicks([...readRecording(path)], ticks);
  });

  it('keeps absent optional fields absent and present ones present', () => {
    const ticks: Tick[] = [
      { kind: 'quote', instrumentId: 'A', tsEvent: 1, tsInit: 1, bid: 1.1, ask: 1.2 },
      { kind: 'quote', instrumentId: 'A', tsEvent: 2, tsInit: 2, bid: 1.1, ask: 1.2, bidSize: 0 },
      { kind: 'quote', instrumentId: 'A', tsEvent: 3, tsInit: 3, bid: 1.1, ask: 1.2, askSize: 7 },
      { kind: 'trade', instrumentId: 'A', tsEvent: 4, tsInit: 4, price: 1.15, size: 2 },
      { kind: 'trade', instrumentId: 'A', tsEvent: 5, tsInit: 5, price: 1.15, size: 2, aggressor: 'sell' },
      { kind: 'trade', instrumentId: 'A', tsEvent: 6, tsInit: 6, price: 1.15, size: 2, tradeId: '' },
      { kind: 'trade', instrumentId: 'A', tsEvent: 7, tsInit: 7, price: 1.15, size: 2, tradeId: '0' },
      { kind: 'trade', instrumentId: 'A', tsEvent: 8, tsInit: 8, price: 1.15, size: 2, tradeId: '-12', aggressor: 'buy' },
      { kind: 'book', instrumentId: 'A', tsEvent: 9, tsInit: 9, bids: [], asks: [] },
    ];
    const path = join(dir(), 'optional.tkr');
    writeRecording(path, ticks);
    const back = [...readRecording(path)];
    expectSameTicks(back, ticks);
    expect(Object.keys(back[0]!)).not.toContain('bidSize');
    expect(Object.keys(back[3]!)).not.toContain('aggressor');
  });

  it('keeps numbers that have no decimal form exactly: NaN, infinities, -0, binary fractions, extremes', () => {
    const odd = [Number.NaN, Infinity, -Infinity, -0, 0.1 + 0.2, 1 / 3, 1e300, 5e-324, Number.MAX_SAFE_INTEGER, -1e-13, 123456789.123456];
    const ticks: Tick[] = odd.map((x, i) => ({ kind: 'quote', instrumentId: 'X', tsEvent: 1_000 + i + 0.5, tsInit: 1_000.25 + i, bid: x, ask: 2, bidSize: x }));
    ticks.push({ kind: 'bar', instrumentId: 'X', tsEvent: Math.PI, tsInit: -0, periodMs: 0.1, open: -0, high: NaN, low: -Infinity, close: 1e-300, volume: -0 });
    ticks.push({ kind: 'book', instrumentId: 'X', tsEvent: 3, tsInit: 3, bids: [{ price: NaN, size: -0 }], asks: [{ price: 1e21, size: 2 ** 60 }] });
    const path = join(dir(), 'odd.tkr');
    writeRecording(path, ticks);
    expectSameTicks([...readRecording(path)], ticks);
  });

  it('round-trips the sample day of 58k EUR/USD quotes in at most 12 bytes a quote', () => {
    const quotes = sampleQuotes();
    const path = join(dir(), 'eurusd.tkr');
    writeRecording(path, quotes);
    expectSameTicks([...readRecording(path)], quotes);
    const bytesPerQuote = statSync(path).size / quotes.length;
    expect(bytesPerQuote).toBeLessThanOrEqual(12);
    expect(bytesPerQuote).toBeLessThan(2.5); // measured 1.96 (gzip)
    expect(recordingInfo(path)).toMatchObject({ version: 1, chunks: 2, ticks: quotes.length, instruments: ['EURUSD.FXCM'], from: quotes[0]!.tsInit, to: quotes.at(-1)!.tsInit, kinds: { quote: quotes.length, book: 0, trade: 0, bar: 0 } });
  });

  it('round-trips the sample day with sizes on every quote in at most 12 bytes a quote', () => {
    const quotes = sampleQuotesWithSizes();
    const path = join(dir(), 'eurusd-sizes.tkr');
    writeRecording(path, quotes);
    expectSameTicks([...readRecording(path)], quotes);
    const bytesPerQuote = statSync(path).size / quotes.length;
    expect(bytesPerQuote).toBeLessThanOrEqual(12);
    expect(bytesPerQuote).toBeLessThan(4); // measured 3.40 (gzip)
  });
});
