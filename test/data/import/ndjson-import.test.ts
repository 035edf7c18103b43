import { describe, expect, it } from 'vitest';
import { importTicks, type ImportOptions } from '../../../engine/data/import/index.js';
import type { Quote, Tick, Trade } from '../../../engine/model/tick.js';

type Opts = Omit<ImportOptions, 'kind' | 'instrument'> & { kind?: ImportOptions['kind']; instrument?: string };
const read = <T extends Tick = Tick>(text: string, opts: Opts = {}): T[] =>
  [...importTicks({ name: 'mem.ndjson', data: text }, { kind: 'quotes', instrument: 'EURUSD.SIM', ...opts })] as T[];

describe('NDJSON import', () => {
  it('reads flat objects by their default keys, numbers or numeric strings', () => {
    const quotes = read<Quote>('{"ts":1000,"bid":1.1,"ask":"1.2","bid_size":5}\n{"timestamp":2000,"bid":1.15,"ask":1.25,"askSize":7}\n');
    expect(quotes).toEqual([
      { kind: 'quote', instrumentId: 'EURUSD.SIM', tsEvent: 1000, tsInit: 1000, bid: 1.1, ask: 1.2, bidSize: 5 },
      { kind: 'quote', instrumentId: 'EURUSD.SIM', tsEvent: 2000, tsInit: 2000, bid: 1.15, ask: 1.25, askSize: 7 },
    ]);
  });

  it('maps custom keys, and reads a key-less line as nothing but a bad row', () => {
    const [q] = read<Quote>('{"E":1000,"b":"1.1","a":"1.2","s":"EURUSD"}\n', { map: { ts: 'E', bid: 'b', ask: 'a' } });
    expect(q).toMatchObject({ tsEvent: 1000, bid: 1.1, ask: 1.2 });
    expect(() => read('{"E":1000}\n', { map: { ts: 'E', bid: 'b', ask: 'a' } })).toThrow('mem.ndjson:1: bid is missing (column b) ({"E":1000})');
  });

  it('reads unusual lines (escapes, spacing, nested values) through JSON.parse with the same result', () => {
    const lines = [
      '{"ts":1,"bid":1.5,"ask":2,"note":"a \\"quoted\\" word"}',
      ' { "ts" : 2 ,\t"bid" : 1.5e0, "ask": 2, "extra": {"deep": [1, 2]} } ',
      '{"ts":3,"bid":0.000001234567891234567,"ask":2,"tradeId":null}',
    ].join('\n');
    const quotes = read<Quote>(lines);
    expect(quotes.map((q) => [q.tsEvent, q.bid, q.ask])).toEqual([[1, 1.5, 2], [2, 1.5, 2], [3, 0.000001234567891234567, 2]]);
  });

  it('reads numbers exactly as JSON.parse does', () => {
    const values = ['0.1', '1.38756', '-2.5', '123456789012345', '1234567890123456789', '1e-7', '7424.905', '0.30000000000000004'];
    const text = values.map((v, i) => `{"ts":${i},"price":${v.startsWith('-') ? '1' : v},"size":${v.replace('-', '')}}`).join('\n');
    const trades = read<Trade>(text, { kind: 'trades' });
    expect(trades.map((t) => t.size)).toEqual(values.map((v) => JSON.parse(v.replace('-', '')) as number));
  });

  it('stops at a line that is not JSON, or of another kind or instrument, naming the line', () => {
    expect(() => read('{"ts":1,"bid":1,"ask":2}\n{"ts":2,"bid":1,\n')).toThrow(/mem\.ndjson:2: not valid JSON/);
    expect(() => read('[1,2]\n')).toThrow(/mem\.ndjson:1: not a JSON object/);
    expect(() => read('{"kind":"trade","tsEvent":1,"price":1,"size":1}\n')).toThrow(/kind is "trade", not quote/);
    expect(() => read('{"kind":"quote","instrumentId":"GBPUSD.SIM","tsEvent":1,"bid":1,"ask":2}\n')).toThrow(/instrumentId is "GBPUSD\.SIM", not the instrument being imported/);
  });

  it('with skipBad, counts bad lines and goes on', () => {
    const result = importTicks({ name: 'mem.jsonl', data: '{"ts":1,"bid":1,"ask":2}\nnope\n{"ts":0,"bid":1,"ask":2}\n{"ts":3,"bid":1,"ask":2}\n' }, {
      kind: 'quotes', instrument: 'X', skipBad: true,
    });
    expect([...result].map((t) => t.tsEvent)).toEqual([1, 3]);
    expect(result.stats).toMatchObject({ rows: 4, ticks: 2, skippedBad: 2 });
    expect(result.stats.badSamples[1]).toMatch(/mem\.jsonl:3: time goes backwards/);
  });

  it('reads trades with aggressor and trade id, and boolean suspicious flags', () => {
    const text = '{"ts":1,"price":10,"size":2,"side":"sell","tradeId":77}\n{"ts":2,"price":10,"size":2,"bad":true}\n';
    const result = importTicks({ name: 'mem.ndjson', data: text }, { kind: 'trades', instrument: 'X', skipFlagged: 'bad' });
    expect([...result]).toEqual([{ kind: 'trade', instrumentId: 'X', tsEvent: 1, tsInit: 1, price: 10, size: 2, aggressor: 'sell', tradeId: '77' }]);
    expect(result.stats.skippedFlagged).toBe(1);
  });
});
