/** Apifiny order books that cannot be right (crossed, a price not above zero, a negative size) never reach a strategy. */
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createLiveClock } from '../../../engine/clock/live-clock.js';
import type { Tick } from '../../../engine/model/tick.js';
import type { ReconnectingSocket } from '../../../engine/net/reconnecting-socket-api.js';
import { createMarketData } from '../../../adapters/apifiny/market-data.js';
import { captureLog, INSTRUMENT } from './helpers.js';

type Level = [number, number];
const book = (bids: Level[], asks: Level[]) => ({ channel: 'orderbook', orderbook: { symbol: 'BTCUSD', updatedAt: 1, bids, asks } });

function start() {
  const { log, lines } = captureLog();
  const md = createMarketData({ venue: 'VENUE1', symbolOf: (id) => id.replace(/\.VENUE1$/, ''), instrumentOf: (s) => `${s}.VENUE1`, clock: createLiveClock(), log });
  const frames$ = new Subject<unknown>();
  md.attach({ socket: { send: () => false } as unknown as ReconnectingSocket, frames$ });
  const ticks: Tick[] = [];
  md.ticks$.subscribe((t) => ticks.push(t));
  md.subscribe(INSTRUMENT, ['book', 'quote']);
  const errors = () => lines.map((l) => JSON.parse(l) as { level: number; msg: string; excerpt: string }).filter((l) => l.level === 50);
  return { frames$, ticks, errors };
}

describe('apifiny market data', () => {
  it.each([
    ['a crossed book', book([[30_002, 1]], [[30_001, 1]]), 'crossed: best bid 30002 is above best ask 30001'],
    ['a negative price', book([[-1, 1]], [[30_001, 1]]), 'bid level 0 has price -1, not a positive number'],
    ['a zero price', book([[29_999, 1]], [[30_001, 1], [0, 1]]), 'ask level 1 has price 0, not a positive number'],
    ['a negative size', book([[29_999, -0.5]], [[30_001, 1]]), 'bid level 0 has size -0.5, not zero or more'],
  ])('drops %s as a malformed frame with an excerpt, and emits neither book nor quote', (_what, frame, reason) => {
    const { frames$, ticks, errors } = start();
    frames$.next(frame);
    expect(ticks).toEqual([]);
    expect(errors()).toEqual([expect.objectContaining({ msg: `apifiny market data: malformed book (${reason}), dropped`, excerpt: expect.stringContaining('"channel":"orderbook"') })]);
  });

  it('passes a locked book (best bid equal to best ask) and a book with an empty side', () => {
    const { frames$, ticks, errors } = start();
    frames$.next(book([[30_000, 1]], [[30_000, 2]]));
    frames$.next(book([], [[30_001, 2]]));
    expect(errors()).toEqual([]);
    expect(ticks.map((t) => t.kind)).toEqual(['book', 'quote', 'book']);
  });
});
