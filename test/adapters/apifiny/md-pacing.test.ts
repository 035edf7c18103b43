import { afterEach, describe, expect, it } from 'vitest';
import type { Tick } from '../../../engine/model/tick.js';
import type { ApifinyAdapter } from '../../../adapters/apifiny/index.js';
import { MD_REQUEST_SPACING_MS } from '../../../adapters/apifiny/md-pacer.js';
import type { ApifinySimulator } from '../../venues/apifiny/sim-server.js';
import { DEFAULT_SYMBOLS, type ApifinySymbolSpec } from '../../venues/apifiny/symbols.js';
import { startTestSimulator } from '../../venues/apifiny/test-client.js';
import { waitFor } from '../session-kit.js';
import { makeAdapter } from './helpers.js';

// The document: "We throttle public endpoints by Access Key 1 request per second." The simulator refuses a second
// market-data request inside one second; the adapter must pace its subscriptions so none is refused.
const MANY: ApifinySymbolSpec[] = Array.from({ length: 4 }, (_, i) => ({ ...DEFAULT_SYMBOLS[0]!, symbol: `C${i}USD`, baseAsset: `C${i}`, startPrice: 100 + i }));

let sim: ApifinySimulator | undefined;
let a: ApifinyAdapter | undefined;
afterEach(async () => {
  await a?.close().catch(() => undefined);
  await sim?.close();
  a = sim = undefined;
});

const quotesOf = (a: ApifinyAdapter): Set<string> => {
  const seen = new Set<string>();
  a.marketData!.ticks$.subscribe((t: Tick) => void (t.kind === 'quote' && seen.add(t.instrumentId)));
  return seen;
};

describe('Apifiny adapter market-data pacing', () => {
  it('subscribes many instruments within 1 request per second: none refused, every one streams, and again after a reconnect', async () => {
    sim = await startTestSimulator({ symbols: MANY, marketIntervalMs: 100 });
    a = makeAdapter(sim);
    await a.connect();
    const quoted = quotesOf(a);
    const ids = MANY.map((s) => `${s.symbol}.VENUE1`);
    for (const id of ids) a.marketData!.subscribe(id, ['quote', 'trade']); // 8 requests: orderbook and trade each
    await waitFor(() => quoted.size === ids.length, 8 * MD_REQUEST_SPACING_MS + 3_000, 'a quote of every instrument');
    await waitFor(() => sim!.mdRequests.length === 8, 3 * MD_REQUEST_SPACING_MS, 'every request sent');
    const first = sim.mdRequests.slice();
    expect(first.filter((r) => r.refused)).toEqual([]);
    expect(new Set(first.map((r) => `${String(r.channel)}|${String(r.symbol)}`)).size).toBe(8);
    for (let i = 1; i < first.length; i++) expect(first[i]!.at - first[i - 1]!.at).toBeGreaterThanOrEqual(1_000);

    // a reconnect subscribes everything again, paced the same way (the venue's limit is by key, not by connection)
    quoted.clear();
    sim.faults.dropConnections();
    await waitFor(() => quoted.size === ids.length, 8 * MD_REQUEST_SPACING_MS + 5_000, 'quotes again after the reconnect');
    const again = sim.mdRequests.slice(first.length);
    expect(again.filter((r) => r.refused)).toEqual([]);
    for (let i = 1; i < again.length; i++) expect(again[i]!.at - again[i - 1]!.at).toBeGreaterThanOrEqual(1_000);
  }, 60_000);

  it('drops a queued subscription that is unsubscribed before its turn, and sends only what is still wanted', async () => {
    sim = await startTestSimulator({ symbols: MANY, marketIntervalMs: 0 });
    a = makeAdapter(sim);
    await a.connect();
    const [x, y, z] = MANY.map((s) => `${s.symbol}.VENUE1`);
    a.marketData!.subscribe(x!, ['quote']);
    a.marketData!.subscribe(y!, ['quote']);
    a.marketData!.subscribe(z!, ['quote']);
    a.marketData!.unsubscribe(y!, ['quote']); // still queued: never sent
    await waitFor(() => sim!.mdRequests.length === 2, 3 * MD_REQUEST_SPACING_MS, 'two requests');
    await new Promise((r) => setTimeout(r, MD_REQUEST_SPACING_MS + 200));
    expect(sim.mdRequests.map((r) => [r.action, r.symbol, r.refused])).toEqual([['sub', 'C0USD', false], ['sub', 'C2USD', false]]);
  }, 20_000);
});
