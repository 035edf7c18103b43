import { pino } from 'pino';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createLiveClock } from '../../../engine/clock/live-clock.js';
import type { Tick } from '../../../engine/model/tick.js';
import type { ApifinyStream } from '../../../adapters/apifiny/client.js';
import { klineTimeMs, parseKlineFrame } from '../../../adapters/apifiny/kline.js';
import { createMarketData } from '../../../adapters/apifiny/market-data.js';
import { createSimMarket } from '../../venues/apifiny/market.js';
import { DEFAULT_SYMBOLS } from '../../venues/apifiny/symbols.js';

// The document's kline table: "timestamp: The UNIX timestamp in seconds"; its examples (and the simulator): ms.
const docExample = { venues: ['VENUE1'], channel: 'kline_1m', symbol: 'BTC/USD', kline_1m: { currencyPair: 'BTC/USD', period: '1m', open: 36536.19, high: 36536.19, low: 36464.62, close: 36464.62, vol: 2.468496, count: 65, timestamp: 1621841040000, exchange: 'VENUE1' } };
const withTs = (ts: unknown, k: Partial<typeof docExample.kline_1m> = {}) => ({ ...docExample, kline_1m: { ...docExample.kline_1m, ...k, timestamp: ts } });

describe('Apifiny kline timestamps, seconds or milliseconds', () => {
  it('reads epoch seconds and epoch milliseconds as the same instant', () => {
    expect(klineTimeMs(1621841040000)).toBe(1621841040000);
    expect(klineTimeMs(1621841040)).toBe(1621841040000);
    expect(klineTimeMs(1621841040.5)).toBe(1621841040500);
    // far apart in time, still told apart: 1973 and 2286 in ms, 2001 and 5138 in seconds
    expect(klineTimeMs(100_000_000_000)).toBe(100_000_000_000);
    expect(klineTimeMs(9_999_999_999_999)).toBe(9_999_999_999_999);
    expect(klineTimeMs(1_000_000_000)).toBe(1_000_000_000_000);
    expect(klineTimeMs(99_999_999_999)).toBe(99_999_999_999_000);
  });

  it('refuses what is neither', () => {
    for (const bad of [0, -1621841040, Number.NaN, Number.POSITIVE_INFINITY, '1621841040', null, undefined, 1621841040000000]) expect(klineTimeMs(bad)).toBeUndefined();
    expect(parseKlineFrame(withTs('1621841040'))).toMatch(/neither epoch seconds nor epoch milliseconds/);
    expect(parseKlineFrame(withTs(1621841040, { high: 1 }))).toMatch(/inconsistent candle/);
    expect(parseKlineFrame({ channel: 'orderbook' })).toBeUndefined();
  });

  it('parses the document\'s example and the same candle in seconds alike', () => {
    const ms = parseKlineFrame(docExample);
    expect(ms).toEqual({ pair: 'BTC/USD', period: '1m', startMs: 1621841040000, open: 36536.19, high: 36536.19, low: 36464.62, close: 36464.62, volume: 2.468496 });
    expect(parseKlineFrame(withTs(1621841040))).toEqual(ms);
  });

  it('parses the simulator\'s klines (milliseconds)', () => {
    const now = 1_700_000_030_000;
    const market = createSimMarket({ venue: 'VENUE1', specs: DEFAULT_SYMBOLS, clock: createLiveClock({ now: () => now }), seed: 3 });
    market.step();
    const wire = market.klineWire('BTCUSD', '1m', market.candles('BTCUSD')!.current('1m')!);
    expect(wire.timestamp).toBeGreaterThan(1e12); // milliseconds
    expect(parseKlineFrame({ venues: ['VENUE1'], channel: 'kline_1m', symbol: 'BTC/USD', kline_1m: wire })).toMatchObject({ pair: 'BTC/USD', period: '1m', startMs: wire.timestamp });
    expect(wire.timestamp % 60_000).toBe(0);
  });
});

describe('Apifiny market data bars from klines', () => {
  it('subscribes kline_<period> by BASE/QUOTE and turns each closed candle into one bar, whatever the timestamp unit', () => {
    const frames$ = new Subject<unknown>();
    const sent: string[] = [];
    const stream = { socket: { send: (t: string) => (sent.push(t), true) }, frames$ } as unknown as ApifinyStream;
    const md = createMarketData({
      venue: 'VENUE1', symbolOf: (id) => id.split('.')[0], instrumentOf: (s) => `${s}.VENUE1`, clock: createLiveClock(), log: pino({ level: 'silent' }),
      bars: { period: '1m', pairOf: (id) => (id === 'BTCUSD.VENUE1' ? 'BTC/USD' : undefined) },
    });
    md.attach(stream);
    const ticks: Tick[] = [];
    md.ticks$.subscribe((t) => ticks.push(t));
    md.subscribe('BTCUSD.VENUE1', ['bar']);
    expect(sent.map((t) => JSON.parse(t))).toEqual([{ channel: 'kline_1m', symbol: 'BTC/USD', venues: ['VENUE1'], action: 'sub' }]);

    const t0 = 1621841040; // a minute, in seconds
    frames$.next(withTs(t0, { open: 100, high: 101, low: 99, close: 100.5 })); // the current candle, in seconds
    frames$.next(withTs(t0 * 1000, { open: 100, high: 102, low: 98, close: 101 })); // its next update, in ms
    expect(ticks).toEqual([]);
    frames$.next(withTs(t0 + 60, { open: 101, high: 101, low: 101, close: 101 })); // the next minute: the first is closed
    frames$.next(withTs((t0 - 60) * 1000)); // a late update of an older candle: ignored
    expect(ticks).toEqual([expect.objectContaining({ kind: 'bar', instrumentId: 'BTCUSD.VENUE1', tsEvent: (t0 + 60) * 1000, periodMs: 60_000, open: 100, high: 102, low: 98, close: 101, volume: 2.468496 })]);
    frames$.next(withTs((t0 + 120) * 1000));
    expect(ticks.map((t) => t.tsEvent)).toEqual([(t0 + 60) * 1000, (t0 + 120) * 1000]);
  });
});
