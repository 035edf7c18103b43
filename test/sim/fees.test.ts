import { describe, expect, it } from 'vitest';
import { defineInstrument } from '../../engine/model/instrument.js';
import { createSimVenue, type FeeModel } from '../../engine/sim/index.js';
import type { OrderFilled, VenueOrderEvent } from '../../engine/model/events.js';
import { createFakeClock } from './fake-clock.js';
import { createHarness } from './harness.js';

describe('sim venue: fees', () => {
  it('charges the taker rate on price × qty exactly (0.001 × 100.1 × 0.3 = 0.03003)', () => {
    const h = createHarness();
    h.quote(100, 100.1);
    const id = h.submit({ side: 'buy', quantity: 0.3 });
    expect(h.fills(id)[0]).toMatchObject({ lastPrice: 100.1, lastQty: 0.3, fee: 0.03003, feeCurrency: 'USD', liquidity: 'taker' });
  });

  it('charges the maker rate to a resting fill and pays a negative maker fee as a rebate', () => {
    const h = createHarness({ spec: { makerFee: -0.00025, contractSize: 10 } });
    const id = h.submit({ side: 'sell', quantity: 0.7, price: 99.7 });
    h.trade(99.7, 1);
    // -0.00025 × 99.7 × 0.7 × 10 = -0.1744750 exactly (the float product is -0.17447499999999999)
    expect(h.fills(id)[0]).toMatchObject({ liquidity: 'maker', fee: -0.174475 });
  });

  it('reports the same fee in the fill reports', async () => {
    const h = createHarness();
    h.quote(100, 100.1);
    h.submit({ side: 'buy', quantity: 0.3 });
    const [report] = await h.venue.fills(0);
    expect(report).toMatchObject({ venue: 'SIM', venueOrderId: 'SIM-1', tradeId: 'SIM-T1', fee: 0.03003, liquidity: 'taker' });
  });

  it('uses a fee model override when given', () => {
    const clock = createFakeClock(0);
    const instrument = defineInstrument({ id: 'X.SIM', venue: 'SIM', venueSymbol: 'X', base: 'X', quote: 'USD', tickSize: 1, stepSize: 1 });
    const flat: FeeModel = { fee: (_i, liquidity) => (liquidity === 'maker' ? 0 : 1.5) };
    const venue = createSimVenue({ venue: 'SIM', clock, instruments: new Map([[instrument.id, instrument]]), fees: flat });
    const events: VenueOrderEvent[] = [];
    venue.events$.subscribe((e) => events.push(e));
    venue.onTick({ kind: 'quote', instrumentId: 'X.SIM', tsEvent: 0, tsInit: 0, bid: 9, ask: 10 });
    venue.submit({
      kind: 'SubmitOrder', clientOrderId: 'a-1-1', strategyId: 'a', instrumentId: 'X.SIM', side: 'buy', type: 'market',
      quantity: 2, timeInForce: 'IOC', postOnly: false, reduceOnly: false, tsInit: 0,
    });
    clock.flush();
    expect(events.find((e): e is OrderFilled => e.kind === 'OrderFilled')?.fee).toBe(1.5);
  });
});
