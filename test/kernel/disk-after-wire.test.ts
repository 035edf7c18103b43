import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createSimulatedClock } from '../../engine/clock/simulated-clock.js';
import { resolveConfig } from '../../engine/config/config.js';
import type { ExecutionClient } from '../../engine/execution/venue-client.js';
import { createTradingNode, type TradingNode } from '../../engine/kernel/trading-node.js';
import { silentLogger } from '../../engine/log/logger.js';
import type { VenueOrderEvent } from '../../engine/model/events.js';
import { defineInstrument } from '../../engine/model/instrument.js';
import { openDatabase } from '../../engine/persistence/index.js';
import { defineStrategy } from '../../engine/strategy/define-strategy.js';

const BTC = defineInstrument({ id: 'BTCUSD.X', venue: 'X', venueSymbol: 'BTCUSD', base: 'BTC', quote: 'USD', tickSize: 0.1, stepSize: 0.001 });

describe('the event log and the wire', () => {
  it('hands every order to the venue before any of its events are committed to disk', () => {
    let node: TradingNode | undefined;
    const committedAtSend: number[] = [];
    const client: ExecutionClient = {
      venue: 'X',
      events$: new Subject<VenueOrderEvent>(),
      submit: () => void committedAtSend.push(node!.writer.stats().committed),
      cancel: () => {},
      modify: () => {},
    };
    const burst = defineStrategy({ name: 'burst', onStart: (ctx) => { for (let i = 0; i < 5; i++) ctx.buy(BTC.id, 1, { price: 100 }); } });
    const config = resolveConfig({ mode: 'live', strategies: [{ use: 'burst' }], storage: { path: ':memory:', maxBatch: 1, flushIntervalMs: 0 } });
    node = createTradingNode({
      config, definitions: new Map([['burst', burst]]), instruments: [BTC], db: openDatabase(':memory:'), log: silentLogger(),
      clock: (runner) => createSimulatedClock({ start: 1_000, runner }), executionClients: new Map([['X', client]]),
    });
    node.start();
    // a batch of 1 is "full" after each event, yet nothing was committed while the five orders went out
    expect(committedAtSend).toEqual([0, 0, 0, 0, 0]);
    expect(node.writer.stats().committed).toBe(5);
  });
});

describe('risk limits that name nothing configured', () => {
  const build = (risk: Record<string, unknown>) => () => createTradingNode({
    config: resolveConfig({ strategies: [], risk, storage: { path: ':memory:' } }),
    definitions: new Map(), instruments: [BTC], db: openDatabase(':memory:'), log: silentLogger(),
    clock: (runner) => createSimulatedClock({ start: 1_000, runner }),
  });

  it('refuse to start: a typo in an instrument key would silently disable the limit', () => {
    expect(build({ maxPositionQty: { 'BTCUSD.Y': 1 } })).toThrow(/maxPositionQty\["BTCUSD\.Y"\] is not a configured instrument \(known: BTCUSD\.X/);
  });

  it('refuse to start on a rate limit for a venue no instrument trades on', () => {
    expect(build({ rateLimits: { perVenue: { Y: '10/1s' } } })).toThrow(/risk\.rateLimits\.perVenue\.Y: not the venue of any configured instrument \(venues: X/);
  });
});
