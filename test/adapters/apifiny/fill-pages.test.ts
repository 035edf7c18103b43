import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApifinyAdapter } from '../../../adapters/apifiny/index.js';
import type { ApifinySimulator } from '../../venues/apifiny/sim-server.js';
import { limitOrder, signedPost, startTestSimulator } from '../../venues/apifiny/test-client.js';
import { makeAdapter } from './helpers.js';

let sim: ApifinySimulator;
let adapter: ApifinyAdapter;

beforeAll(async () => {
  sim = await startTestSimulator({ rateLimitPerSecond: 1e9 });
  adapter = makeAdapter(sim, { options: { rateLimit: '100000/1s', requestTimeoutMs: 5_000 } });
  await adapter.connect();
});
afterAll(async () => {
  await adapter.close();
  await sim.close();
});

describe('apifiny adapter: fills since a time, past one page of listFilledOrder', () => {
  it('reads every fill since the time, page by page, each once and oldest first', async () => {
    const since = Date.now();
    const placed: string[] = [];
    for (let batch = 0; batch < 46; batch++) {
      sim.market.moveTo('BTCUSD', 30_000 + (batch % 2)); // a fresh book for every batch
      const ask = sim.market.book('BTCUSD')!.asks[0]![0];
      const orders = Array.from({ length: 50 }, () => limitOrder('BUY', (ask + 5).toFixed(2), '0.0001'));
      const answers = await Promise.all(orders.map((o) => signedPost(sim, '/order/newOrder', o)));
      expect(answers.every((a) => a.body.error === null)).toBe(true);
      placed.push(...orders.map((o) => o.orderId));
    }
    const fills = await adapter.execution!.fills!(since);
    expect(fills.length).toBeGreaterThan(1_000); // more than one page
    // every order filled once, and each fill is read once
    expect(fills.map((f) => f.venueOrderId).sort()).toEqual([...placed].sort());
    const times = fills.map((f) => f.tsEvent);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  }, 60_000);
});
