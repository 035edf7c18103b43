/**
 * TickTrader feed ticks that cannot be right (crossed levels or best bid/ask, a price not above zero, a negative volume)
 * never reach a strategy: the whole tick is a logged malformed frame.
 */
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createLiveClock } from '../../../engine/clock/live-clock.js';
import type { Tick } from '../../../engine/model/tick.js';
import type { TickTraderSession } from '../../../adapters/ticktrader/client.js';
import { parseTickTraderConfig } from '../../../adapters/ticktrader/config.js';
import { createMarketData } from '../../../adapters/ticktrader/market-data.js';
import type { TickTraderTickWire } from '../../../adapters/ticktrader/wire.js';
import { captureLog, INSTRUMENT } from './helpers.js';

const lv = (Price: number, Volume: number) => ({ Price, Volume });
const tick = (over: Partial<TickTraderTickWire>): TickTraderTickWire => ({
  Symbol: 'EURUSD', Timestamp: 1, BestBid: undefined, BestAsk: undefined, Bids: [lv(1.1, 100_000)], Asks: [lv(1.1002, 100_000)], ...over,
});

function start() {
  const { log, lines } = captureLog();
  const config = parseTickTraderConfig({ wsUrl: 'ws://127.0.0.1:9/' }, { TICKTRADER_ID: 'id', TICKTRADER_KEY: 'key', TICKTRADER_SECRET: 'secret' });
  const md = createMarketData({ config, symbolOf: (id) => id.replace(/\.TICKTRADER$/, ''), instrumentOf: (s) => `${s}.TICKTRADER`, clock: createLiveClock(), log });
  const notifications$: TickTraderSession['notifications$'] = new Subject();
  md.attach({ socket: { state: 'closed' }, notifications$ } as unknown as TickTraderSession);
  const ticks: Tick[] = [];
  md.ticks$.subscribe((t) => ticks.push(t));
  md.subscribe(INSTRUMENT, ['book', 'quote']);
  const send = (t: TickTraderTickWire) => notifications$.next({ kind: 'feed-tick', tick: t });
  const errors = () => lines.map((l) => JSON.parse(l) as { level: number; msg: string; excerpt: string }).filter((l) => l.level === 50);
  return { send, ticks, errors };
}

describe('ticktrader market data', () => {
  it.each([
    ['crossed levels', tick({ Bids: [lv(1.1003, 1)], Asks: [lv(1.1002, 1)] }), 'crossed: best bid 1.1003 is above best ask 1.1002'],
    ['a crossed best bid/ask sent apart from the levels', tick({ BestBid: lv(1.2, 1), BestAsk: lv(1.1, 1) }), 'crossed: best bid 1.2 is above best ask 1.1'],
    ['a negative price', tick({ Asks: [lv(-1.1, 1)] }), 'ask level 0 has price -1.1, not a positive number'],
    ['a zero best ask', tick({ BestAsk: lv(0, 1) }), 'ask 0 is not a positive number'],
    ['a negative volume', tick({ Bids: [lv(1.1, -5)] }), 'bid level 0 has size -5, not zero or more'],
  ])('drops a tick with %s as a malformed frame with an excerpt', (_what, t, reason) => {
    const { send, ticks, errors } = start();
    send(t);
    expect(ticks).toEqual([]);
    expect(errors()).toEqual([expect.objectContaining({ msg: `ticktrader feed: malformed tick (${reason}), dropped`, excerpt: expect.stringContaining('"Symbol":"EURUSD"') })]);
  });

  it('passes a good tick and a locked one as a book and a quote each', () => {
    const { send, ticks, errors } = start();
    send(tick({}));
    send(tick({ Bids: [lv(1.1, 1)], Asks: [lv(1.1, 1)] }));
    expect(errors()).toEqual([]);
    expect(ticks.map((t) => t.kind)).toEqual(['book', 'quote', 'book', 'quote']);
  });
});
