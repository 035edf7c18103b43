/**
 * The Apifiny adapter's FIX order entry (issue 16) against the simulator's FIX acceptor over loopback: orders go over
 * FIX and nowhere else, each ExecutionReport becomes its event once (a fill also delivered by the user stream is not
 * applied twice), the venue's refusals keep its reason, and after a lost connection nothing is sent again: orders are
 * asked about with status requests, and whatever FIX did not deliver makes the adapter ask the kernel to reconcile.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { VenueOrderEvent } from '../../../engine/model/events.js';
import type { ApifinyExecution } from '../../../adapters/apifiny/execution.js';
import type { ApifinyAdapter } from '../../../adapters/apifiny/index.js';
import { decodeOrderId } from '../../../adapters/apifiny/format.js';
import type { ApifinySimulator } from '../../venues/apifiny/sim-server.js';
import { ALICE, sleep, startTestSimulator } from '../../venues/apifiny/test-client.js';
import { startTlsFront, waitFor } from '../../net/helpers.js';
import { INSTRUMENT, limit, makeAdapter, record } from './helpers.js';

let sim: ApifinySimulator;
let adapter: ApifinyAdapter;
const open: ApifinyAdapter[] = [];

const fixAdapter = (): ApifinyAdapter => {
  const a = makeAdapter(sim, { options: { orderEntry: 'fix', fixUrl: `tcp://${sim.host}:${sim.fixPort}`, fixReconnectMs: 100 } });
  open.push(a);
  return a;
};

beforeAll(async () => {
  sim = await startTestSimulator({ fixPort: 0 });
  sim.market.moveTo('BTCUSD', 30_000);
  adapter = fixAdapter();
  await adapter.connect();
});
afterAll(async () => {
  for (const a of open) await a.close();
  await sim.close();
});
afterEach(() => {
  sim.market.moveTo('BTCUSD', 30_000);
});

const is = <K extends VenueOrderEvent['kind']>(kind: K, cid: string) => (e: VenueOrderEvent): e is Extract<VenueOrderEvent, { kind: K }> =>
  e.kind === kind && e.clientOrderId === cid;
/** FIX messages of one type the venue received for one client order (its ClOrdID encodes the client order id). */
const seenOver = (msgType: string, cid: string): number => {
  let n = 0;
  for (const [key, count] of sim.fixSeen!) {
    if (!key.startsWith(`${msgType}:`)) continue;
    const d = decodeOrderId(key.slice(msgType.length + 1), ALICE.accountId);
    if (d?.kind === 'full' && d.clientOrderId === cid) n += count;
  }
  return n;
};

/** Every link lost and back: 'connected' after a 'reconnecting'. */
const reconnected = (states: readonly string[]): boolean => states.includes('reconnecting') && states.lastIndexOf('connected') > states.indexOf('reconnecting');

describe('apifiny FIX order entry', () => {
  it('sends orders over FIX only: accepted, then filled with the fee from Commission (12), as the venue lists the fill', async () => {
    const events = record(adapter.execution!.events$);
    const restBefore = adapter.restRequests;
    sim.faults.silenceHeartbeat(); // the user stream says nothing: every event here came over FIX
    const cmd = limit('buy', 30_100, 0.01);
    adapter.execution!.submit(cmd);
    await events.next(is('OrderAccepted', cmd.clientOrderId));
    const fill = await events.next(is('OrderFilled', cmd.clientOrderId));
    sim.faults.resumeHeartbeat();
    expect(adapter.restRequests).toBe(restBefore);
    expect(seenOver('D', cmd.clientOrderId)).toBe(1);
    // the same fill as the venue's REST fill list has it (what reconciliation compares with)
    const listed = (await adapter.execution!.fills!(Date.now() - 60_000)).find((f) => f.venueOrderId === fill.venueOrderId)!;
    expect(fill).toMatchObject({ tradeId: listed.tradeId, lastQty: 0.01, lastPrice: listed.lastPrice, fee: listed.fee, feeCurrency: listed.feeCurrency });
    expect(fill.fee).toBeGreaterThan(0);
    events.stop();
  });

  it('applies a fill once when both FIX and the user stream bring it', async () => {
    const events = record(adapter.execution!.events$);
    for (let i = 0; i < 5; i++) adapter.execution!.submit(limit('buy', 30_100, 0.01));
    await waitFor(() => events.seen.filter((e) => e.kind === 'OrderFilled').length >= 5, 4_000, 'five fills');
    await sleep(300); // the slower copy of each fill has arrived by now
    const fills = events.seen.filter((e) => e.kind === 'OrderFilled');
    expect(fills).toHaveLength(5);
    expect(new Set(fills.map((f) => f.clientOrderId)).size).toBe(5);
    events.stop();
  });

  it('a NewOrderSingle the venue refuses is OrderRejected with its reason; a refused cancel is OrderCancelRejected', async () => {
    const events = record(adapter.execution!.events$);
    const bad = limit('buy', 29_000.005, 0.01);
    adapter.execution!.submit(bad);
    const rejected = await events.next(is('OrderRejected', bad.clientOrderId));
    expect(rejected.reason).toMatch(/65562.*tickSize/);

    const resting = limit('buy', 29_000, 0.01);
    adapter.execution!.submit(resting);
    await events.next(is('OrderAccepted', resting.clientOrderId));
    const cancel = { kind: 'CancelOrder', clientOrderId: resting.clientOrderId, strategyId: 'mm', instrumentId: INSTRUMENT, tsInit: Date.now() } as const;
    adapter.execution!.cancel(cancel);
    await events.next(is('OrderCanceled', resting.clientOrderId));
    expect(seenOver('F', resting.clientOrderId)).toBe(1);
    adapter.execution!.cancel(cancel); // canceled already: the venue refuses
    const refused = await events.next(is('OrderCancelRejected', resting.clientOrderId));
    expect(refused.reason.length).toBeGreaterThan(5);
    events.stop();
  });

  it('after a connection lost with an order acted on but unanswered, logs on again and settles it with a status request, never resending it', async () => {
    const events = record(adapter.execution!.events$);
    const states = record(adapter.state$);
    states.seen.length = 0; // the current state, replayed on subscribing
    sim.fixFaults!.dropAfterActing();
    const cmd = limit('buy', 29_000, 0.01);
    adapter.execution!.submit(cmd);
    await waitFor(() => reconnected(states.seen), 6_000, 'a reconnect');
    await waitFor(() => seenOver('H', cmd.clientOrderId) === 1, 4_000, 'a status request for the order');
    await events.next(is('OrderAccepted', cmd.clientOrderId));
    expect(seenOver('D', cmd.clientOrderId)).toBe(1);
    events.stop();
    states.stop();
  });

  it('asks for reconciliation when a status request shows fills made while it was away', async () => {
    const events = record(adapter.execution!.events$);
    const resyncs = record(adapter.execution!.resync$!);
    const states = record(adapter.state$);
    states.seen.length = 0; // the current state, replayed on subscribing
    const cmd = limit('buy', 29_000, 0.01);
    adapter.execution!.submit(cmd);
    await events.next(is('OrderAccepted', cmd.clientOrderId));
    await sim.faults.stop(); // REST, streams and FIX all gone
    await waitFor(() => states.seen.includes('reconnecting'), 4_000, 'reconnecting');
    sim.market.moveTo('BTCUSD', 28_900); // fills while nobody hears it
    await sleep(100);
    await sim.faults.restart();
    await waitFor(() => reconnected(states.seen), 8_000, 'a reconnect');
    const why = await resyncs.next((w) => /fills this side has not seen/.test(w), 6_000);
    expect(why).toContain('0.01 filled at the venue');
    expect(events.seen.filter(is('OrderFilled', cmd.clientOrderId))).toHaveLength(0); // REST reconciliation brings it
    expect(seenOver('D', cmd.clientOrderId)).toBe(1);
    events.stop();
    resyncs.stop();
    states.stop();
  });

  it('asks for reconciliation when the venue gap-fills a message it did not deliver (a swallowed or garbled one)', async () => {
    for (const fault of ['swallowNext', 'garbleNext'] as const) {
      const resyncs = record(adapter.execution!.resync$!);
      const events = record(adapter.execution!.events$);
      const stats = (adapter.execution as ApifinyExecution).fix!.link.session.stats;
      const garbledBefore = stats.garbled;
      sim.fixFaults![fault]();
      const lost = limit('buy', 29_000, 0.01); // its acknowledgement on FIX is the message lost
      adapter.execution!.submit(lost);
      const next = limit('buy', 29_001, 0.01); // the next one shows the gap
      adapter.execution!.submit(next);
      await events.next(is('OrderAccepted', next.clientOrderId));
      await resyncs.next((w) => /skipped messages/.test(w));
      expect(stats.garbled - garbledBefore).toBe(fault === 'garbleNext' ? 1 : 0);
      // the user stream still told the acceptance: nothing is missing in the end
      await events.next(is('OrderAccepted', lost.clientOrderId));
      resyncs.stop();
      events.stop();
    }
  });
});

describe('apifiny FIX order entry over TLS', () => {
  it('logs on through tls:// trusting the fixCaFile given, and trades; a fixCaFile that cannot be read is a config error', async () => {
    const front = await startTlsFront(sim.fixPort!);
    const dir = mkdtempSync(join(tmpdir(), 'engine-fix-tls-'));
    try {
      const caFile = join(dir, 'venue-ca.pem');
      writeFileSync(caFile, front.cert);
      const a = makeAdapter(sim, { options: { orderEntry: 'fix', fixUrl: `tls://127.0.0.1:${front.port}`, fixCaFile: caFile, fixReconnectMs: 100 } });
      open.push(a);
      await a.connect();
      const events = record(a.execution!.events$);
      const cmd = limit('buy', 29_000, 0.01);
      a.execution!.submit(cmd);
      await events.next(is('OrderAccepted', cmd.clientOrderId));
      expect(seenOver('D', cmd.clientOrderId)).toBe(1);
      events.stop();

      expect(() => makeAdapter(sim, { options: { orderEntry: 'fix', fixUrl: `tls://127.0.0.1:${front.port}`, fixCaFile: join(dir, 'missing.pem') } }))
        .toThrow(/fixCaFile .*missing\.pem cannot be read \(ENOENT\)/);
      expect(() => makeAdapter(sim, { options: { orderEntry: 'fix', fixUrl: `tcp://127.0.0.1:${front.port}`, fixCaFile: caFile } }))
        .toThrow(/fixCaFile is for a tls:\/\/ fixUrl/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await front.close();
    }
  });
});
