import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApifinySimulator } from './sim-server.js';
import { openProbe, sleep, startTestSimulator, userStreamHeaders } from './test-client.js';

describe('Apifiny simulator heartbeat ({"ping": n} / {"pong": n})', () => {
  let sim: ApifinySimulator;
  beforeAll(async () => {
    sim = await startTestSimulator({ pingIntervalMs: 100, maxMissedPings: 2 });
  });
  afterAll(() => sim.close());

  it('drops a market data client that never pongs, and keeps one that does', async () => {
    const silent = await openProbe(sim.mdWsUrl, { autoPong: false });
    const polite = await openProbe(sim.mdWsUrl);
    const started = Date.now();
    const code = await silent.closed;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(code).toBe(1006);
    expect(silent.frames.filter((f) => 'ping' in f).length).toBe(2);
    await sleep(400);
    expect(polite.ws.readyState).toBe(polite.ws.OPEN);
    const pings = polite.frames.filter((f) => 'ping' in f).map((f) => f.ping as number);
    expect(pings.length).toBeGreaterThanOrEqual(5);
    expect(pings.every((p, i) => Number.isInteger(p) && (i === 0 || p > pings[i - 1]!))).toBe(true);
    polite.close();
  });

  it('ignores a pong that does not match a ping', async () => {
    const wrong = await openProbe(sim.mdWsUrl, { autoPong: false });
    wrong.ws.on('message', () => wrong.send({ pong: 1 }));
    await wrong.closed;
  });

  it('drops a user stream client that never pongs', async () => {
    const silent = await openProbe(sim.orderWsUrl, { headers: userStreamHeaders(), autoPong: false });
    const polite = await openProbe(sim.assetWsUrl, { headers: userStreamHeaders() });
    await silent.closed;
    expect(polite.ws.readyState).toBe(polite.ws.OPEN);
    polite.close();
  });

  it('sends nothing and drops nobody while silenced, and pings again when resumed', async () => {
    const silent = await openProbe(sim.mdWsUrl, { autoPong: false });
    sim.faults.silenceHeartbeat();
    try {
      await sleep(500);
      expect(silent.frames).toEqual([]);
      expect(silent.ws.readyState).toBe(silent.ws.OPEN);
    } finally {
      sim.faults.resumeHeartbeat();
    }
    await silent.next((f) => 'ping' in f);
    await silent.closed;
  });
});
