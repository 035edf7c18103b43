import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createSimulatedClock } from '../../engine/clock/simulated-clock.js';
import { resolveConfig } from '../../engine/config/config.js';
import type { ExecutionClient } from '../../engine/execution/venue-client.js';
import { createTradingNode } from '../../engine/kernel/trading-node.js';
import { silentLogger } from '../../engine/log/logger.js';
import type { VenueOrderEvent } from '../../engine/model/events.js';
import { defineInstrument } from '../../engine/model/instrument.js';
import { openDatabase } from '../../engine/persistence/index.js';
import { defineStrategy } from '../../engine/strategy/define-strategy.js';

const BTC = defineInstrument({ id: 'BTCUSD.X', venue: 'X', venueSymbol: 'BTCUSD', base: 'BTC', quote: 'USD', tickSize: 0.1, stepSize: 0.001 });

describe('closed orders dropped from memory', () => {
  it('come back from the database when the venue names them again: a late fill applies once, a repeated one does not', () => {
    const events$ = new Subject<VenueOrderEvent>();
    const sent: string[] = [];
    const client: ExecutionClient = { venue: 'X', events$, submit: (c) => void sent.push(c.clientOrderId), cancel: () => {}, modify: () => {} };
    const three = defineStrategy({ name: 'three', onStart: (ctx) => { for (let i = 0; i < 3; i++) ctx.buy(BTC.id, 1, { price: 100 }); } });
    const config = resolveConfig({
      mode: 'live', strategies: [{ use: 'three' }], storage: { path: ':memory:', flushIntervalMs: 0 },
      retention: { closedOrders: 1, minAgeMs: 0 }, // a closed order leaves memory as soon as another one closes
    });
    const db = openDatabase(':memory:');
    const node = createTradingNode({
      config, definitions: new Map([['three', three]]), instruments: [BTC], db, log: silentLogger(),
      clock: (runner) => createSimulatedClock({ start: 1_000, runner }), executionClients: new Map([['X', client]]),
    });
    node.start();
    const [a, b, c] = sent as [string, string, string];
    const base = (id: string) => ({ clientOrderId: id, instrumentId: BTC.id, tsEvent: 1_000 });
    const fill = (id: string, tradeId: string): VenueOrderEvent => ({
      kind: 'OrderFilled', ...base(id), venue: 'X', venueOrderId: `V-${id}`, tradeId, side: 'buy', lastQty: 1, lastPrice: 100, fee: 0,
      feeCurrency: 'USD', liquidity: 'maker',
    });
    for (const id of [a, b, c]) events$.next({ kind: 'OrderAccepted', ...base(id), venueOrderId: `V-${id}` });
    events$.next(fill(a, 'T1'));
    events$.next({ kind: 'OrderCanceled', ...base(b) });
    events$.next({ kind: 'OrderCanceled', ...base(c) }); // a and b have left memory now

    events$.next(fill(b, 'T2')); // a fill that crossed the cancel, reported after b left memory
    events$.next(fill(a, 'T1')); // the venue repeats a's fill after a left memory

    expect(node.exec.stats).toMatchObject({ fills: 2, duplicateFills: 1, unknownOrderEvents: 0 });
    expect(node.portfolio.quantity(BTC.id)).toBe(2);
    expect(node.exec.order(a)?.status).toBe('FILLED');
    node.close();
    expect(db.prepare(`SELECT count(*) AS n FROM fills`).get()).toEqual({ n: 2 });
    expect(db.prepare(`SELECT quantity FROM positions`).get()).toEqual({ quantity: '2' });
  });
});
