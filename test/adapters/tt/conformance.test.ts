/**
 * The TT REST adapter in the shared conformance suite: no market data and no order entry (TT REST has neither), so
 * the parts that apply are connect + instruments and a refused secret without a retry storm.
 */
import type { VenueAdapter } from '../../../engine/execution/venue-adapter.js';
import { startTtSimulator } from '../../venues/tt/sim-server.js';
import { runAdapterConformance, type VenueHarness } from '../conformance.js';
import { makeAdapter } from './kit.js';

async function startTtVenue(): Promise<VenueHarness> {
  const sim = await startTtSimulator();
  const adapters: VenueAdapter[] = [];
  const key = sim.apps[0]!.key;
  const bad = 'wrong-secret-0b5e7d';
  const none = (): never => {
    throw new Error('TT REST has no market data or order entry');
  };
  return {
    capabilities: { marketData: false, orderEntry: false, rejections: false, dropConnections: false, restart: false, reconciliation: false },
    instrument: { id: 'ESH7.TT', venue: 'TT', venueSymbol: '', base: 'ES', quote: 'USD', tickSize: 0.25, stepSize: 1, contractSize: 50 },
    restingBuy: { price: 6800, quantity: 1 },
    marketableBuy: { price: 6900, quantity: 1 },
    secrets: [bad, sim.apps[0]!.secret],
    createAdapter(credentials = 'good') {
      const a = makeAdapter(sim, {}, credentials === 'bad' ? { TT_APP_KEY: key, TT_APP_SECRET: bad } : undefined);
      adapters.push(a);
      return a;
    },
    nudgeMarket: none,
    crossRestingBuy: none,
    rejectedSubmit: none,
    dropConnections: none,
    requestsSeen: () => sim.requests.length,
    submitsSeen: () => 0,
    stopVenue: none,
    restartVenue: none,
    async close() {
      for (const a of adapters) await a.close().catch(() => undefined);
      await sim.close();
    },
  };
}

runAdapterConformance('tt', startTtVenue);
