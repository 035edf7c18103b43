import { bufferTime, filter, map, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { OrderIntent } from '../../engine/model/commands.js';
import type { OrderFilled } from '../../engine/model/events.js';
import type { Quote } from '../../engine/model/tick.js';
import { defineStrategy } from '../../engine/strategy/define-strategy.js';
import { BTC, createNode, START } from './node-fixture.js';

/** Buys when the bid rose over the last second of engine time, sells when it fell; needs two quotes in the window. */
const momentum = defineStrategy({
  name: 'momentum',
  params: { size: 0.1 },
  intents$: (ctx): Observable<OrderIntent> =>
    ctx.ticks$(BTC.id).pipe(
      bufferTime(1_000, ctx.scheduler),
      filter((ticks) => ticks.length >= 2),
      map((ticks): OrderIntent => {
        const first = ticks[0] as Quote;
        const last = ticks[ticks.length - 1] as Quote;
        return { kind: 'submit', instrumentId: BTC.id, side: last.bid > first.bid ? 'buy' : 'sell', quantity: ctx.params.size };
      }),
    ),
});

/** [ms after START, bid]; the ask is bid + 0.2. */
const QUOTES: ReadonlyArray<readonly [number, number]> = [
  [100, 100], [400, 101], [700, 102], // rising in [0, 1000): buy at 1000
  [1_200, 101], [1_500, 99], // falling in [1000, 2000): sell at 2000
  [2_500, 99.5], // one quote in [2000, 3000): nothing
  [3_100, 99], [3_900, 99.4], // rising in [3000, 4000): buy at 4000
];

function run() {
  const f = createNode({ definitions: { momentum } });
  f.node.start();
  for (const [dt, bid] of QUOTES) f.quote(START + dt, bid, Math.round((bid + 0.2) * 10) / 10);
  f.clock.advanceTo(START + 4_500);
  f.node.stopStrategies('end of data');
  f.clock.advanceTo(START + 4_500);
  const events = f.events();
  f.node.close();
  return { f, events };
}

describe('an RxJS strategy on engine time', () => {
  it('produces its orders at the engine times its bufferTime windows close', () => {
    const { events } = run();
    const submitted = events.filter((e) => e.kind === 'OrderSubmitted').map((e) => [e.clientOrderId, e.tsEvent]);
    expect(submitted).toEqual([
      ['momentum-1-1', START + 1_000],
      ['momentum-1-2', START + 2_000],
      ['momentum-1-3', START + 4_000],
    ]);
    const fills = events.filter((e): e is OrderFilled => e.kind === 'OrderFilled').map((e) => [e.side, e.lastQty, e.lastPrice, e.tsEvent]);
    expect(fills).toEqual([
      ['buy', 0.1, 102.2, START + 1_000],
      ['sell', 0.1, 99, START + 2_000],
      ['buy', 0.1, 99.6, START + 4_000],
    ]);
  });

  it('gives identical event sequences over the same ticks in two runs', () => {
    const a = run();
    const b = run();
    expect(a.events.length).toBeGreaterThan(0);
    expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
    expect(b.f.node.portfolio.view(BTC.id)).toEqual(a.f.node.portfolio.view(BTC.id));
  });
});
