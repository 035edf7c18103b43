import { describe, expect, it } from 'vitest';
import { DataError } from '../../../engine/data/csv-ticks.js';
import { importTicks, type ImportOptions } from '../../../engine/data/import/index.js';
import type { Bar, Quote, Tick, Trade } from '../../../engine/model/tick.js';

type Opts = Omit<ImportOptions, 'kind' | 'instrument'> & { kind?: ImportOptions['kind'] };
const read = <T extends Tick = Tick>(csv: string, opts: Opts = {}, name = 'mem.csv'): T[] =>
  [...importTicks({ name, data: csv }, { kind: 'quotes', instrument: 'EURUSD.SIM', ...opts })] as T[];

describe('CSV import: columns', () => {
  it('finds the columns by their default header names, whatever their case and order', () => {
    const [q] = read<Quote>('Ask,Bid_Size,TIME,bid,ask_size\n1.2,5,1000,1.1,7\n');
    expect(q).toEqual({ kind: 'quote', instrumentId: 'EURUSD.SIM', tsEvent: 1000, tsInit: 1000, bid: 1.1, ask: 1.2, bidSize: 5, askSize: 7 });
  });

  it('maps custom header names to fields', () => {
    const [q] = read<Quote>('when,b,a\n1000,1.1,1.2\n', { map: { ts: 'when', bid: 'b', ask: 'a' } });
    expect(q).toMatchObject({ tsEvent: 1000, bid: 1.1, ask: 1.2 });
  });

  it('maps 0-based column indexes of a headerless file, ignoring the other columns', () => {
    const [t] = read<Trade>('X,1000,250.5,3,B\n', { kind: 'trades', map: { ts: '1', price: '2', size: '3', aggressor: '4' } });
    expect(t).toEqual({ kind: 'trade', instrumentId: 'EURUSD.SIM', tsEvent: 1000, tsInit: 1000, price: 250.5, size: 3, aggressor: 'buy' });
  });

  it('skips a header row when told so even with column indexes', () => {
    const ticks = read('time,b,a\n1000,1.1,1.2\n', { map: { ts: '0', bid: '1', ask: '2' }, header: true });
    expect(ticks).toHaveLength(1);
  });

  it('reads quoted cells with commas and doubled quotes', () => {
    const [t] = read<Trade>('ts,price,size,trade_id\n1000,"1.5",2,"a ""b"", c"\n', { kind: 'trades' });
    expect(t).toMatchObject({ price: 1.5, size: 2, tradeId: 'a "b", c' });
    expect(() => read('ts,bid,ask\n1000,"1.1,1.2\n')).toThrow(/mem\.csv:2: unclosed quote/);
  });

  it('says which fields it cannot find, and how to name them', () => {
    expect(() => read('time,b,a\n1,2,3\n')).toThrow(/cannot find bid, ask for quotes in the header \(time,b,a\): name the columns with map/);
    expect(() => read('1,2,3\n', { header: false })).toThrow(/cannot find ts, bid, ask for quotes in the map/);
    expect(() => read('time,b\n1,2\n', { map: { ts: 'time', bid: 'b', ask: 'c' } })).toThrow(/mem\.csv:1: map\.ask: no column "c" in the header \(time,b\)/);
    expect(() => read('', { map: { bid: 'b', oops: 'x' } })).toThrow(/map: "oops" is not a field of quotes/);
  });

  it('rejects unknown and contradictory options before reading anything', () => {
    expect(() => importTicks('x.csv', { kind: 'quotes', instrument: 'X', tsUnti: 's' } as ImportOptions)).toThrow(/unknown option "tsUnti"/);
    expect(() => importTicks('x.csv', { kind: 'quotes', instrument: 'X', tsUnit: 'iso', date: '2020-01-01' })).toThrow(/exclude each other/);
    expect(() => importTicks('x.csv', { kind: 'trades', instrument: 'X', sideUpdates: true })).toThrow(/sideUpdates applies to quotes only/);
    expect(() => importTicks('x.csv', { kind: 'quotes', instrument: 'X', date: '2020-13-01' })).toThrow(/date must be YYYY-MM-DD/);
  });
});

describe('CSV import: times', () => {
  it('reads seconds, microseconds and nanoseconds into exact milliseconds', () => {
    expect(read('ts,bid,ask\n1399248003.074,1,2\n', { tsUnit: 's' })[0]!.tsEvent).toBe(1399248003074);
    expect(read('ts,bid,ask\n1399248003074500,1,2\n', { tsUnit: 'us' })[0]!.tsEvent).toBe(1399248003074.5);
    expect(read('ts,bid,ask\n1399248003074000000,1,2\n', { tsUnit: 'ns' })[0]!.tsEvent).toBe(1399248003074);
  });

  it('reads ISO 8601 times with Z, an offset, or none (then in the tz option)', () => {
    const csv = 'ts,bid,ask\n2014-05-05T00:00:03.074Z,1,2\n2014-05-05T02:00:04+02:00,1,2\n2014-05-05 00:00:05,1,2\n';
    expect(read(csv, { tsUnit: 'iso' }).map((t) => new Date(t.tsEvent).toISOString())).toEqual([
      '2014-05-05T00:00:03.074Z', '2014-05-05T00:00:04.000Z', '2014-05-05T00:00:05.000Z',
    ]);
    const [ny] = read('ts,bid,ask\n2013-10-07T09:30:00,1,2\n', { tsUnit: 'iso', tz: 'America/New_York' });
    expect(new Date(ny!.tsEvent).toISOString()).toBe('2013-10-07T13:30:00.000Z');
  });

  it('reads times since midnight of a date, in UTC or New York time', () => {
    const csv = 'ts,bid,ask\n34200000,1,2\n';
    expect(new Date(read(csv, { date: '2013-10-07' })[0]!.tsEvent).toISOString()).toBe('2013-10-07T09:30:00.000Z');
    expect(new Date(read(csv, { date: '2013-10-07', tz: 'America/New_York' })[0]!.tsEvent).toISOString()).toBe('2013-10-07T13:30:00.000Z');
    expect(new Date(read(csv, { date: '2013-12-02', tz: 'America/New_York' })[0]!.tsEvent).toISOString()).toBe('2013-12-02T14:30:00.000Z');
  });

  it('stops at a time that goes backwards, naming the line', () => {
    expect(() => read('ts,bid,ask\n2000,1,2\n1000,1,2\n')).toThrow(/mem\.csv:3: time goes backwards: 1970-01-01T00:00:01\.000Z is before the previous row's 1970-01-01T00:00:02\.000Z \(1000,1,2\)/);
  });
});

describe('CSV import: bad rows', () => {
  const bad = 'ts,bid,ask\n1000,1.1,1.2\n2000,abc,1.2\n3000,1.1\n4000,0,1.2\n5000,1.1,-1\n6000,NaN,1\n7000,1.3,1.2\n';

  it('stops at the first bad row with a DataError naming the file, line, problem and row', () => {
    expect(() => read(bad)).toThrow(DataError);
    expect(() => read(bad)).toThrow('mem.csv:3: bid is not a number: "abc" (2000,abc,1.2)');
  });

  it('with skipBad, skips and counts bad rows, keeping the first five messages', () => {
    const result = importTicks({ name: 'mem.csv', data: bad }, { kind: 'quotes', instrument: 'X', skipBad: true });
    const ticks = [...result] as Quote[];
    // A crossed quote (ask below bid) is not an error.
    expect(ticks.map((q) => q.tsEvent)).toEqual([1000, 7000]);
    expect(result.stats).toMatchObject({ rows: 7, ticks: 2, skippedBad: 5 });
    expect(result.stats.badSamples).toEqual([
      'mem.csv:3: bid is not a number: "abc" (2000,abc,1.2)',
      'mem.csv:4: ask is missing (column ask) (3000,1.1)',
      'mem.csv:5: bid must be above 0: 0 (4000,0,1.2)',
      'mem.csv:6: ask must be above 0: -1 (5000,1.1,-1)',
      'mem.csv:7: bid is not a number: "NaN" (6000,NaN,1)',
    ]);
  });

  it('cuts the row excerpt to 80 characters', () => {
    const long = `1000,x,${'9'.repeat(200)}`;
    try {
      read(`ts,bid,ask\n${long}\n`);
      expect.unreachable();
    } catch (e) {
      const excerpt = /\((.*)\)$/.exec((e as Error).message)![1]!;
      expect(excerpt).toHaveLength(80);
      expect(excerpt.endsWith('…')).toBe(true);
    }
  });

  it('skips and counts rows whose suspicious flag is 1', () => {
    const csv = '1000,1812400,100,P,0\n2000,1812500,100,P,1\n3000,1812600,100,P,0\n';
    const result = importTicks({ name: 'mem.csv', data: csv }, {
      kind: 'trades', instrument: 'IBM.US', map: { ts: '0', price: '1', size: '2' }, skipFlagged: '4', priceScale: 10_000,
    });
    expect(([...result] as Trade[]).map((t) => String(t.price))).toEqual(['181.24', '181.26']);
    expect(result.stats).toMatchObject({ rows: 3, ticks: 2, skippedFlagged: 1, skippedBad: 0 });
  });
});

describe('CSV import: quotes per side and bars', () => {
  it('keeps the latest non-zero side of per-side updates and emits once both sides are known', () => {
    const csv = 'ts,bid,bid_size,ask,ask_size\n1,0,0,1836300,100\n2,1800100,300,0,0\n3,0,0,1818000,3000\n4,0,0,0,0\n';
    const quotes = read<Quote>(csv, { sideUpdates: true, priceScale: 10_000 });
    expect(quotes.map((q) => [q.tsEvent, q.bid, q.bidSize, q.ask, q.askSize])).toEqual([
      [2, 180.01, 300, 183.63, 100],
      [3, 180.01, 300, 181.8, 3000],
    ]);
    expect(() => read(`${csv}5,0,200,0,0\n`, { sideUpdates: true })).toThrow(/:6: bid price is 0 with size 200/);
  });

  it('reads bars whose ts is the open time: tsEvent = open + the median spacing of the first rows', () => {
    const bars = read<Bar>('ts,open,high,low,close,volume\n0,10,12,9,11,5\n300000,11,11,10,10,1\n', { kind: 'bars' });
    expect(bars.map((b) => [b.tsEvent, b.periodMs])).toEqual([[300_000, 300_000], [600_000, 300_000]]);
    // a lone bar has no spacing: its length must be given
    expect(() => read<Bar>('ts,open,high,low,close\n0,10,12,9,11\n', { kind: 'bars' })).toThrow(/cannot tell the bar length from a single row: pass periodMs \(--period-ms\)/);
    const [given] = read<Bar>('ts,open,high,low,close\n0,10,12,9,11\n', { kind: 'bars', periodMs: 3_600_000 });
    expect(given!.tsEvent).toBe(3_600_000);
  });

  it('gives daily bars that start on a Friday a length of one day, not three (the weekend is not the spacing)', () => {
    const DAY = 86_400_000;
    // trading days from Friday 2024-03-01: Fri, then Mon–Fri weeks (a three-day gap every Monday)
    const days: number[] = [];
    for (let d = Date.UTC(2024, 2, 1); days.length < 30; d += DAY) if (![0, 6].includes(new Date(d).getUTCDay())) days.push(d);
    const csv = `ts,open,high,low,close\n${days.map((t) => `${t},10,12,9,11`).join('\n')}\n`;
    const bars = read<Bar>(csv, { kind: 'bars' });
    expect(bars).toHaveLength(30);
    expect(new Set(bars.map((b) => b.periodMs))).toEqual(new Set([DAY]));
    expect(bars.map((b) => b.tsEvent)).toEqual(days.map((t) => t + DAY));
  });

  it('refuses a bar whose high and low do not hold its open and close', () => {
    expect(() => read('ts,open,high,low,close\n0,10,9,8,9\n', { kind: 'bars' })).toThrow(/high\/low do not hold open and close/);
  });

  it('reads a quote bar file as bars of the exact mid via mid(a,b) in the map', () => {
    const [bar] = read<Bar>('0,0.1,0.3,0.1,0.2,5,0.2,0.4,0.2,0.3,6\n', {
      kind: 'bars', periodMs: 60_000, map: { ts: '0', open: 'mid(1,6)', high: 'mid(2,7)', low: 'mid(3,8)', close: 'mid(4,9)' },
    });
    expect([bar!.open, bar!.high, bar!.low, bar!.close].map(String)).toEqual(['0.15', '0.35', '0.15', '0.25']);
  });
});
