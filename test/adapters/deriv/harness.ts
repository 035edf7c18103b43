/**
 * The Deriv venue as the shared conformance suite drives it: the loopback simulator (hand-driven market) and adapters
 * from the adapter's factory. Deriv orders never rest (a contract is bought or refused at once), so the suite's
 * resting-order tests do not apply: `orderEntry` is false here and trading is covered by adapter.test.ts.
 */
import type { VenueAdapter } from '../../../engine/execution/venue-adapter.js';
import { DEMO_TOKEN, startDerivSimulator, type DerivSimulator } from '../../venues/deriv/sim-server.js';
import type { VenueHarness } from '../conformance.js';
import { makeDerivAdapter, UNDERLYING } from './helpers.js';

export const BAD_TOKEN = 'bad-token-value-0987654321';

export interface DerivVenue extends VenueHarness {
  readonly sim: DerivSimulator;
}

export async function startDerivVenue(): Promise<DerivVenue> {
  const sim = await startDerivSimulator({ port: 0 });
  const adapters: VenueAdapter[] = [];
  let nudge = 0;
  const submits = () => sim.requests.filter((r) => r.method === 'buy' || r.method === 'sell');
  return {
    sim,
    capabilities: { marketData: true, orderEntry: false, rejections: false, dropConnections: true, restart: true, reconciliation: true },
    instrument: { id: UNDERLYING, venue: 'DERIV', venueSymbol: 'R_100', base: 'R_100', quote: 'USD', tickSize: 0.01, stepSize: 1 },
    restingBuy: { price: 0.4, quantity: 10 },
    marketableBuy: { price: 0.6, quantity: 10 },
    secrets: [BAD_TOKEN, DEMO_TOKEN],
    createAdapter(credentials = 'good') {
      const a = makeDerivAdapter(sim, credentials === 'bad' ? { token: BAD_TOKEN } : {});
      adapters.push(a);
      return a;
    },
    nudgeMarket: () => void sim.market.moveTo('R_100', 1000 + (nudge++ % 2) * 0.5),
    crossRestingBuy: () => undefined,
    rejectedSubmit: (base) => ({ command: { ...base, price: 0.01 }, reason: /PriceMoved/ }),
    dropConnections: () => sim.faults.dropConnections(),
    requestsSeen: () => sim.requests.length,
    submitsSeen: () => submits().length,
    stopVenue: () => sim.faults.stop(),
    restartVenue: () => sim.faults.restart(),
    async close() {
      for (const a of adapters) await a.close().catch(() => undefined);
      await sim.close();
    },
  };
}
