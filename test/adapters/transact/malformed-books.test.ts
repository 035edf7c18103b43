/** TransAct books that cannot be right (crossed, a price not above zero, a negative size) never reach a strategy. */
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createLiveClock } from '../../../engine/clock/live-clock.js';
import type { Tick } from '../../../engine/model/tick.js';
import type { SessionChannel } from '../../../adapters/transact/auth.js';
import type { TransactConnection } from '../../../adapters/transact/client.js';
import { createMarketData } from '../../../adapters/transact/market-data.js';
import type { TransactFrame } from '../../../adapters/transact/wire.js';
import { captureLog } from '../capture-log.js';

const INSTRUMENT = 'ESZ6.TRANSACT';
type Level = readonly [number, number];
const book = (bids: Level[], asks: Level[]): TransactFrame => ({ kind: 'book', symbol: 'ESZ6', time: 1, bids, asks });

function start() {
  const { log, lines } = captureLog();
  const topics$ = new Subject<TransactFrame>();
  const conn = { name: 'transact-prices', socket: { state: 'closed' }, topics$ } as unknown as TransactConnection;
  const md = createMarketData({
    conn, channel: () => ({}) as SessionChannel, symbolOf: (id) => id.replace(/\.TRANSACT$/, ''), instrumentOf: (s) => `${s}.TRANSACT`, clock: createLiveClock(), log,
  });
  const ticks: Tick[] = [];
  md.ticks$.subscribe((t) => ticks.push(t));
  md.subscribe(INSTRUMENT, ['book', 'quote']);
  const errors = () => lines.map((l) => JSON.parse(l) as { level: number; msg: string; excerpt: string }).filter((l) => l.level === 50);
  return { topics$, ticks, errors };
}

describe('transact market data', () => {
  it.each([
    ['a crossed book', book([[5_001, 1]], [[5_000.75, 1]]), 'crossed: best bid 5001 is above best ask 5000.75'],
    ['a negative price', book([[5_000, 1]], [[-5_000.25, 1]]), 'ask level 0 has price -5000.25, not a positive number'],
    ['a zero price', book([[5_000, 1], [0, 3]], [[5_000.25, 1]]), 'bid level 1 has price 0, not a positive number'],
    ['a negative size', book([[5_000, 1]], [[5_000.25, -1]]), 'ask level 0 has size -1, not zero or more'],
  ])('drops %s as a malformed frame with an excerpt, and emits neither book nor quote', (_what, frame, reason) => {
    const { topics$, ticks, errors } = start();
    topics$.next(frame);
    expect(ticks).toEqual([]);
    expect(errors()).toEqual([expect.objectContaining({ msg: `transact prices: malformed book (${reason}), dropped`, excerpt: expect.stringContaining('"symbol":"ESZ6"') })]);
  });

  it('passes a good book and a locked one', () => {
    const { topics$, ticks, errors } = start();
    topics$.next(book([[5_000, 1]], [[5_000.25, 1]]));
    topics$.next(book([[5_000, 1]], [[5_000, 1]]));
    expect(errors()).toEqual([]);
    expect(ticks.map((t) => t.kind)).toEqual(['book', 'quote', 'book', 'quote']);
  });
});
