/**
 * Deriv market data under malformed stream frames: a tick nested 100,000 levels deep, a crossed or negative tick, a
 * proposal whose price per unit is not positive. Each is one bounded error line and never reaches a strategy; the next
 * good frame still does.
 */
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createLiveClock } from '../../../engine/clock/live-clock.js';
import type { Tick } from '../../../engine/model/tick.js';
import type { ReconnectingSocket } from '../../../engine/net/reconnecting-socket-api.js';
import type { DerivAnswer, DerivSession } from '../../../adapters/deriv/client.js';
import { parseDerivConfig } from '../../../adapters/deriv/config.js';
import { EXCERPT_CHARS } from '../../../adapters/deriv/constants.js';
import { createMarketData } from '../../../adapters/deriv/market-data.js';
import type { DerivFrame } from '../../../adapters/deriv/wire.js';
import { CALL, captureLog, UNDERLYING } from './helpers.js';

const DEEP = 100_000;

const tick = (stream: string, t: Record<string, unknown>, extra: Record<string, unknown> = {}): DerivFrame =>
  ({ msg_type: 'tick', echo_req: {}, subscription: { id: stream }, tick: { symbol: 'R_100', epoch: 1_700_000_000, ...t }, ...extra }) as DerivFrame;
const proposal = (stream: string, askPrice: number, payout = 10): DerivFrame =>
  ({ msg_type: 'proposal', echo_req: {}, subscription: { id: stream }, proposal: { id: 'p1', ask_price: askPrice, payout } }) as DerivFrame;

/** Market data subscribed to the underlying (stream "U") and the CALL contract (stream "C"), fed by hand. */
async function start() {
  const { log, lines } = captureLog();
  const config = parseDerivConfig({ url: 'ws://127.0.0.1:9/websockets/v3' }, { DERIV_API_TOKEN: 'token', DERIV_APP_ID: '1' });
  const md = createMarketData({ config, clock: createLiveClock(), log });
  const frames$ = new Subject<DerivFrame>();
  md.attach({ socket: { state: 'closed' } as ReconnectingSocket, frames$ } as unknown as DerivSession);
  const ticks: Tick[] = [];
  md.ticks$.subscribe((t) => ticks.push(t));
  md.subscribe(UNDERLYING, ['quote', 'trade']);
  md.subscribe(CALL, ['quote']);
  // the subscription answers carry a stream id and the first frame of each stream
  await md.resubscribe(async (body): Promise<DerivAnswer> => ({
    kind: 'ok',
    frame: 'ticks' in body ? tick('U', { quote: 100, bid: 99.9, ask: 100.1 }) : proposal('C', 5.2),
  }), 'USD');
  ticks.length = 0;
  const errors = () => lines.map((l) => JSON.parse(l) as { level: number; msg: string; excerpt: string }).filter((l) => l.level === 50);
  return { frames$, ticks, errors };
}

describe('deriv market data under malformed frames', () => {
  it('logs a tick nested 100,000 levels deep as one bounded line, and quotes the next good tick', async () => {
    const { frames$, ticks, errors } = await start();
    const deep = JSON.parse('['.repeat(DEEP) + ']'.repeat(DEEP)) as unknown;

    frames$.next(tick('U', { quote: deep }, { junk: deep }));
    frames$.next(tick('U', { quote: 101, bid: 100.9, ask: 101.1 }));

    expect(errors()).toEqual([expect.objectContaining({ msg: expect.stringMatching(/^deriv tick: tick without quote/) })]);
    expect(errors()[0]!.excerpt.length).toBeLessThanOrEqual(EXCERPT_CHARS);
    expect(ticks.map((t) => t.kind)).toEqual(['quote', 'trade']);
  });

  it('drops a crossed tick (bid above ask) and one with a negative spot, but keeps a locked one', async () => {
    const { frames$, ticks, errors } = await start();

    frames$.next(tick('U', { quote: 100, bid: 100.2, ask: 100.1 }));
    frames$.next(tick('U', { quote: -5 }));
    frames$.next(tick('U', { quote: 100 })); // no spread: the spot on both sides

    expect(errors().map((e) => e.msg)).toEqual([
      'deriv tick: malformed (crossed: best bid 100.2 is above best ask 100.1), dropped',
      'deriv tick: malformed (spot -5 is not a positive number), dropped',
    ]);
    expect(ticks).toEqual([
      expect.objectContaining({ kind: 'quote', bid: 100, ask: 100 }),
      expect.objectContaining({ kind: 'trade', price: 100 }),
    ]);
  });

  it('drops a proposal whose price per unit of payout is zero', async () => {
    const { frames$, ticks, errors } = await start();

    frames$.next(proposal('C', 0));
    frames$.next(proposal('C', 5.3));

    expect(errors().map((e) => e.msg)).toEqual(['deriv proposal: malformed price (bid 0 is not a positive number), dropped']);
    expect(ticks).toEqual([expect.objectContaining({ kind: 'quote', instrumentId: CALL, bid: 0.53, ask: 0.53 })]);
  });
});
