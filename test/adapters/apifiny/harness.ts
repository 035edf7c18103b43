/**
 * The Apifiny venue as the conformance and fault tests drive it: the loopback simulator (hand-driven market, 200 ms
 * pings) with a counting proxy in front of its REST API, and adapters built by the adapter's factory.
 */
import type { VenueAdapter } from '../../../engine/execution/venue-adapter.js';
import { decodeOrderId } from '../../../adapters/apifiny/format.js';
import type { ApifinyAdapter } from '../../../adapters/apifiny/index.js';
import type { ApifinySimulator } from '../../venues/apifiny/sim-server.js';
import { ALICE, startTestSimulator, type Creds } from '../../venues/apifiny/test-client.js';
import type { VenueHarness } from '../conformance.js';
import { startCountingProxy, type CountingProxy } from '../counting-proxy.js';
import { INSTRUMENT, makeAdapter } from './helpers.js';

export const MID = 30_000;
export const BAD: Creds = { ...ALICE, secret: 'wrong-secret-value-456789' };

export interface ApifinyVenue extends VenueHarness {
  readonly sim: ApifinySimulator;
  readonly proxy: CountingProxy;
  /** An adapter whose REST calls go through the proxy (options override the defaults). */
  createApifinyAdapter(opts?: { creds?: Creds; options?: Record<string, unknown> }): ApifinyAdapter;
  /** newOrder requests the venue has received. */
  newOrdersSeen(): number;
}

/** `orderEntry: 'fix'`: the simulator runs its FIX acceptor and adapters enter orders over FIX. */
export async function startApifinyVenue(opts: { orderEntry?: 'rest' | 'fix' } = {}): Promise<ApifinyVenue> {
  const fix = opts.orderEntry === 'fix';
  const sim = await startTestSimulator({ rateLimitPerSecond: 10_000, ...(fix ? { fixPort: 0 } : {}) });
  sim.market.moveTo('BTCUSD', MID);
  const proxy = await startCountingProxy({ host: sim.host, port: sim.port });
  const restBaseUrl = `${proxy.origin}${new URL(sim.restBaseUrl).pathname}`;
  const adapters: VenueAdapter[] = [];
  let nudge = 0;

  const createApifinyAdapter = (opts: { creds?: Creds; options?: Record<string, unknown> } = {}): ApifinyAdapter => {
    const fixOptions = fix ? { orderEntry: 'fix', fixUrl: `tcp://${sim.host}:${sim.fixPort}`, fixReconnectMs: 200 } : {};
    const a = makeAdapter(sim, { ...(opts.creds ? { creds: opts.creds } : {}), options: { restBaseUrl, requestTimeoutMs: 800, idleTimeoutMs: 2_000, ...fixOptions, ...opts.options } });
    adapters.push(a);
    return a;
  };
  const newOrders = () => proxy.seen.filter((r) => r.method === 'POST' && r.path.endsWith('/order/newOrder'));
  const orderIdOf = (body: string): string | undefined => {
    try {
      const v = JSON.parse(body) as { orderId?: unknown };
      return typeof v.orderId === 'string' ? v.orderId : undefined;
    } catch {
      return undefined;
    }
  };

  return {
    sim,
    proxy,
    createApifinyAdapter,
    newOrdersSeen: () => newOrders().length,
    capabilities: { marketData: true, orderEntry: true, rejections: true, dropConnections: true, restart: true, reconciliation: true },
    instrument: { id: INSTRUMENT, venue: 'VENUE1', venueSymbol: 'BTCUSD', base: 'BTC', quote: 'USD', tickSize: 0.01, stepSize: 0.0001 },
    restingBuy: { price: 29_000, quantity: 0.01 },
    marketableBuy: { price: 30_100, quantity: 0.01 },
    secrets: [BAD.secret, ALICE.secret],
    createAdapter: (credentials = 'good') => createApifinyAdapter(credentials === 'bad' ? { creds: BAD } : {}),
    nudgeMarket: () => sim.market.moveTo('BTCUSD', MID + (nudge++ % 2) * 10),
    crossRestingBuy: () => sim.market.moveTo('BTCUSD', 28_900),
    rejectedSubmit: (base) => ({ command: { ...base, price: (base.price ?? 0) + 0.005 }, reason: /65562.*tickSize/ }),
    dropConnections: () => sim.faults.dropConnections(),
    requestsSeen: () => proxy.seen.length,
    submitsSeen: (cid) => {
      const ours = (id: string | undefined): boolean => {
        const d = id === undefined ? undefined : decodeOrderId(id, ALICE.accountId);
        return d?.kind === 'full' && d.clientOrderId === cid;
      };
      let n = newOrders().filter((r) => ours(orderIdOf(r.body))).length;
      for (const [key, count] of sim.fixSeen ?? []) if (key.startsWith('D:') && ours(key.slice(2))) n += count;
      return n;
    },
    stopVenue: () => sim.faults.stop(),
    restartVenue: () => sim.faults.restart(),
    async close() {
      for (const a of adapters) await a.close().catch(() => undefined);
      await proxy.close();
      await sim.close();
    },
  };
}
