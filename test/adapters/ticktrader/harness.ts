/**
 * The TickTrader Feed venue as the conformance suite drives it: the loopback simulator (hand-driven market, 200 ms
 * pings) and adapters from the adapter's factory. Market data only: no order entry, so the trading tests are skipped.
 */
import type { VenueAdapter } from '../../../engine/execution/venue-adapter.js';
import type { TickTraderSimulator } from '../../venues/ticktrader/sim-server.js';
import { demoAccount, startTestSimulator } from '../../venues/ticktrader/test-client.js';
import type { VenueHarness } from '../conformance.js';
import { INSTRUMENT, makeAdapter, totalRequests } from './helpers.js';

export interface TickTraderVenue extends VenueHarness {
  readonly sim: TickTraderSimulator;
}

export async function startTickTraderVenue(): Promise<TickTraderVenue> {
  const good = demoAccount();
  const bad = { ...good, secret: 'wrong-secret-value-456789' };
  const sim = await startTestSimulator({ accounts: [good] });
  sim.market.moveTo('EURUSD', 1.1291);
  const adapters: VenueAdapter[] = [];
  let nudge = 0;
  return {
    sim,
    capabilities: { marketData: true, orderEntry: false, rejections: false, dropConnections: true, restart: true, reconciliation: false },
    instrument: { id: INSTRUMENT, venue: 'TICKTRADER', venueSymbol: 'EURUSD', base: 'EUR', quote: 'USD', tickSize: 0.00001, stepSize: 1000 },
    restingBuy: { price: 1.12, quantity: 1000 },
    marketableBuy: { price: 1.14, quantity: 1000 },
    secrets: [bad.secret, good.secret],
    createAdapter(credentials = 'good') {
      const a = makeAdapter(sim, credentials === 'bad' ? bad : good);
      adapters.push(a);
      return a;
    },
    nudgeMarket: () => sim.market.moveTo('EURUSD', 1.1291 + (nudge++ % 2) * 0.0001),
    crossRestingBuy: () => sim.market.moveTo('EURUSD', 1.119),
    rejectedSubmit: (base) => ({ command: base, reason: /no order entry/ }),
    dropConnections: () => sim.faults.dropConnections(),
    requestsSeen: () => totalRequests(sim),
    submitsSeen: () => 0,
    stopVenue: () => sim.faults.stop(),
    restartVenue: () => sim.faults.restart(),
    async close() {
      for (const a of adapters) await a.close().catch(() => undefined);
      await sim.close();
    },
  };
}
