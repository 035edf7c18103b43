import { describe, expect, it } from 'vitest';
import { DataError } from '../../../engine/data/csv-ticks.js';
import { exportTicks, importTicks, type ImportOptions } from '../../../engine/data/import/index.js';
import type { Bar, BookSnapshot, Quote, Tick, Trade } from '../../../engine/model/tick.js';

const I = 'BTCUSD.SIM';
const quotes: Quote[] = [
  { kind: 'quote', instrumentId: I, tsEvent: 1_700_000_000_000, tsInit: 1_700_000_000_001, bid: 37_000.1, ask: 37_000.2, bidSize: 0.5, askSize: 1e-7 },
  { kind: 'quote', instrumentId: I, tsEvent: 1_700_000_000_000.5, tsInit: 1_700_000_000_002, bid: 0.1 + 0.2, ask: 37_000.3 },
  { kind: 'quote', instrumentId: I, tsEvent: 1_700_000_000_010, tsInit: 1_700_000_000_010, bid: 37_000, ask: 36_999.9, askSize: 3 },
];
const trades: Trade[] = [
  { kind: 'trade', instrumentId: I, tsEvent: 1_700_000_000_000, tsInit: 1_700_000_000_000, price: 37_000.15, size: 0.001, aggressor: 'buy', tradeId: 'T-1, "odd"' },
  { kind: 'trade', instrumentId: I, tsEvent: 1_700_000_000_005, tsInit: 1_700_000_000_006, price: 37_000.1, size: 2, aggressor: 'sell' },
  { kind: 'trade', instrumentId: I, tsEvent: 1_700_000_000_005, tsInit: 1_700_000_000_007, price: 37_000.1, size: 2, tradeId: '42' },
];
const bars: Bar[] = [
  { kind: 'bar', instrumentId: I, tsEvent: 1_700_000_060_000, tsInit: 1_700_000_060_003, periodMs: 60_000, open: 1.5, high: 2.25, low: 1.25, close: 2, volume: 12.345 },
  { kind: 'bar', instrumentId: I, tsEvent: 1_700_000_120_000, tsInit: 1_700_000_120_000, periodMs: 60_000, open: 2, high: 2, low: 2, close: 2, volume: 0 },
];

function exported(ticks: readonly Tick[], format: 'csv' | 'ndjson'): string {
  let out = '';
  exportTicks(ticks, format, (chunk) => (out += chunk));
  return out;
}

const KIND = { quote: 'quotes', trade: 'trades', bar: 'bars' } as const;

describe('export → import round trip', () => {
  for (const [name, ticks] of [['quotes', quotes], ['trades', trades], ['bars', bars]] as const) {
    for (const format of ['csv', 'ndjson'] as const) {
      it(`gives back identical ${name} through ${format.toUpperCase()}`, () => {
        const text = exported(ticks, format);
        const kind = KIND[ticks[0]!.kind as keyof typeof KIND];
        const back = [...importTicks({ name: `t.${format}`, data: text }, { kind, instrument: I } as ImportOptions)];
        expect(back).toStrictEqual(ticks);
      });
    }
  }

  it('writes one CSV header per kind', () => {
    expect(exported(quotes, 'csv').split('\n')[0]).toBe('ts_event,ts_init,bid,ask,bid_size,ask_size');
    expect(exported(trades, 'csv').split('\n')[0]).toBe('ts_event,ts_init,price,size,aggressor,trade_id');
    expect(exported(bars, 'csv').split('\n')[0]).toBe('ts_event,ts_init,period_ms,open,high,low,close,volume');
  });

  it('refuses to mix kinds or instruments in CSV, saying what to filter', () => {
    expect(() => exported([quotes[0]!, trades[0]!], 'csv')).toThrow(DataError);
    expect(() => exported([quotes[0]!, trades[0]!], 'csv')).toThrow(/tick 2 is a trade of BTCUSD\.SIM after quotes of BTCUSD\.SIM: filter the ticks first \(kind === 'quote' && instrumentId === 'BTCUSD\.SIM'\), or export NDJSON/);
    expect(() => exported([quotes[0]!, { ...quotes[2]!, instrumentId: 'ETHUSD.SIM' }], 'csv')).toThrow(/is a quote of ETHUSD\.SIM after quotes of BTCUSD\.SIM/);
  });

  it('holds any mix in NDJSON, read back whole with kind "ticks"', () => {
    const book: BookSnapshot = { kind: 'book', instrumentId: 'ETHUSD.SIM', tsEvent: 1_700_000_200_000, tsInit: 1_700_000_200_000, bids: [{ price: 2000, size: 1 }], asks: [] };
    const mixed: Tick[] = [...quotes, ...trades.map((t) => ({ ...t, tsEvent: t.tsEvent + 20 })), ...bars, book];
    const text = exported(mixed, 'ndjson');
    expect(text.split('\n')).toHaveLength(mixed.length + 1);
    expect([...importTicks({ name: 'mixed.ndjson', data: text }, { kind: 'ticks', instrument: 'UNUSED' })]).toStrictEqual(mixed);
  });

  it('writes nothing for no ticks and refuses book snapshots in CSV', () => {
    expect(exported([], 'csv')).toBe('');
    const book: BookSnapshot = { kind: 'book', instrumentId: I, tsEvent: 1, tsInit: 1, bids: [], asks: [] };
    expect(() => exported([book], 'csv')).toThrow(/book snapshots \(BTCUSD\.SIM\) have no CSV layout: export them as NDJSON/);
  });

  it('streams in chunks of whole lines', () => {
    const many = Array.from({ length: 5000 }, (_, i): Quote => ({ kind: 'quote', instrumentId: I, tsEvent: i, tsInit: i, bid: 1, ask: 2 }));
    const chunks: string[] = [];
    expect(exportTicks(many, 'ndjson', (c) => chunks.push(c))).toBe(5000);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.endsWith('\n'))).toBe(true);
  });
});
