/**
 * The TransAct venue as the conformance suite drives it: the loopback simulator (hand-driven market, 200 ms
 * heartbeats) and adapters built by the adapter's factory. Requests are the simulator's logins (the only command a
 * refused session can send).
 */
import type { VenueAdapter } from '../../../engine/execution/venue-adapter.js';
import type { TransactSimulator, TransactSimulatorOptions } from '../../venues/transact/sim-server.js';
import { DEMO_USER } from '../../venues/transact/sim-server.js';
import { startTestSimulator } from '../../venues/transact/test-client.js';
import type { TransactUser } from '../../venues/transact/venue-core.js';
import type { VenueHarness } from '../conformance.js';
import { INSTRUMENT, makeAdapter } from './helpers.js';

export const MID = 5_000;
export const BAD: TransactUser = { ...DEMO_USER, password: 'wrong-password-value-456789' };

export interface TransactVenue extends VenueHarness {
  readonly sim: TransactSimulator;
}

export async function startTransactVenue(opts: TransactSimulatorOptions = {}): Promise<TransactVenue> {
  const sim = await startTestSimulator(opts);
  sim.market.moveTo('ESZ6', MID);
  const adapters: VenueAdapter[] = [];
  let nudge = 0;
  return {
    sim,
    capabilities: { marketData: true, orderEntry: true, rejections: true, dropConnections: true, restart: true, reconciliation: true },
    instrument: { id: INSTRUMENT, venue: 'TRANSACT', venueSymbol: 'ESZ6', base: 'ES', quote: 'USD', tickSize: 0.25, stepSize: 1, contractSize: 50 },
    restingBuy: { price: 4_990, quantity: 1 },
    marketableBuy: { price: 5_010, quantity: 1 },
    secrets: [BAD.password, DEMO_USER.password, DEMO_USER.apiKey],
    createAdapter: (credentials = 'good') => {
      const a = makeAdapter(sim, credentials === 'bad' ? { user: BAD } : {});
      adapters.push(a);
      return a;
    },
    nudgeMarket: () => sim.market.moveTo('ESZ6', MID + (nudge++ % 2) * 0.25),
    crossRestingBuy: () => sim.market.moveTo('ESZ6', 4_985),
    rejectedSubmit: (base) => ({ command: { ...base, price: (base.price ?? 0) + 0.1 }, reason: /-20.*tick size 0.25/ }),
    dropConnections: () => sim.faults.dropConnections(),
    requestsSeen: () => sim.stats.logins,
    submitsSeen: (cid) => sim.stats.newOrders.get(cid) ?? 0,
    stopVenue: () => sim.faults.stop(),
    restartVenue: () => sim.faults.restart(),
    async close() {
      for (const a of adapters) await a.close().catch(() => undefined);
      await sim.close();
    },
  };
}
