import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApifinySimulator } from './sim-server.js';
import { ALICE, BOB, signedGet, sleep, startTestSimulator } from './test-client.js';

describe('Apifiny simulator rate limit (20 requests per second per account)', () => {
  let sim: ApifinySimulator;
  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(() => sim.close());

  it('answers 131114 to the requests beyond 20 in one second, per account, and serves again a second later', async () => {
    const params = { accountId: ALICE.accountId, venue: 'VENUE1' };
    const burst = await Promise.all(Array.from({ length: 25 }, () => signedGet(sim, '/asset/listBalance', params)));
    const codes = burst.map((a) => a.body.error?.code ?? 0);
    expect(codes.filter((c) => c === 0)).toHaveLength(20);
    expect(codes.filter((c) => c === 131114)).toHaveLength(5);
    expect(burst.every((a) => a.status === 200)).toBe(true);

    const bob = await signedGet(sim, '/asset/listBalance', { accountId: BOB.accountId, venue: 'VENUE1' }, BOB);
    expect(bob.body.error).toBeNull();

    await sleep(1050);
    expect((await signedGet(sim, '/asset/listBalance', params)).body.error).toBeNull();
  });
});
