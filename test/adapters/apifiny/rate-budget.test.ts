/**
 * The adapter's REST budget against the simulator's own limiter (a sliding 20 requests per second per account): with
 * the adapter's rateLimit equal to the venue's, a burst of orders and reconciliation queries is never answered 131114
 * (rate limited) — the queries wait for room instead. Orders never wait (they take room if there is some and go at
 * once), so the orders here are sent while the window has room for them; an order sent into a spent window would be
 * answered 131114 and left with an unknown outcome.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { VenueOrderEvent } from '../../../engine/model/events.js';
import type { ApifinyAdapter } from '../../../adapters/apifiny/index.js';
import { APIFINY_ERRORS } from '../../venues/apifiny/error-codes.js';
import type { ApifinySimulator } from '../../venues/apifiny/sim-server.js';
import { startTestSimulator } from '../../venues/apifiny/test-client.js';
import { startCountingProxy, type CountingProxy } from '../counting-proxy.js';
import { limit, makeAdapter, record } from './helpers.js';

const RATE_LIMITED = APIFINY_ERRORS.RATE_LIMIT.code;

/** The envelope's `error.code`, 0 when `error` is null, -1 when the body is not an envelope. */
const errorCodeOf = (body: string): number => {
  try {
    const v = JSON.parse(body) as { error?: { code?: unknown } | null };
    if (v.error === null) return 0;
    return typeof v.error?.code === 'number' ? v.error.code : -1;
  } catch {
    return -1;
  }
};

let sim: ApifinySimulator | undefined;
let proxy: CountingProxy | undefined;
let adapter: ApifinyAdapter | undefined;

afterEach(async () => {
  await adapter?.close();
  await proxy?.close();
  await sim?.close();
  adapter = proxy = sim = undefined;
});

async function start(): Promise<{ adapter: ApifinyAdapter; proxy: CountingProxy }> {
  sim = await startTestSimulator({ rateLimitPerSecond: 20 });
  sim.market.moveTo('BTCUSD', 30_000);
  proxy = await startCountingProxy({ host: sim.host, port: sim.port });
  const restBaseUrl = `${proxy.origin}${new URL(sim.restBaseUrl).pathname}`;
  adapter = makeAdapter(sim, { options: { restBaseUrl, rateLimit: '20/1s', requestTimeoutMs: 5_000 } });
  await adapter.connect();
  return { adapter, proxy };
}

const signed = (p: CountingProxy) => p.answers.filter((a) => a.path !== '/ac/v2/VENUE1/utils/listSymbolInfo');

describe('apifiny adapter REST budget (rateLimit 20/1s, the venue: 20 per sliding second)', () => {
  it('is never answered rate limited while a burst of queries and orders runs through it', async () => {
    const { adapter, proxy } = await start();
    const exec = adapter.execution!;
    const events = record(exec.events$);
    const orders = Array.from({ length: 6 }, () => limit('buy', 29_000, 0.01));
    for (const o of orders) exec.submit(o);

    const started = Date.now();
    const queries = await Promise.allSettled(
      Array.from({ length: 54 }, (_, i) =>
        i % 3 === 0 ? exec.openOrders!() : i % 3 === 1 ? exec.fills!(0) : exec.orderStatus!(orders[i % orders.length]!.clientOrderId),
      ),
    );
    const took = Date.now() - started;

    expect(proxy.answers.filter((a) => errorCodeOf(a.body) === RATE_LIMITED)).toEqual([]);
    expect(queries.filter((q) => q.status === 'rejected')).toEqual([]);
    for (const o of orders) {
      await events.next((e: VenueOrderEvent) => e.kind === 'OrderAccepted' && e.clientOrderId === o.clientOrderId);
    }
    // 60 signed requests at 20 per second span at least three windows: the queries waited for room.
    expect(signed(proxy).length).toBeGreaterThanOrEqual(60);
    expect(took).toBeGreaterThanOrEqual(2_000);
    events.stop();
  }, 15_000);
});
