/**
 * Emulated orders in live mode across a crash, in separate processes: `engine live` trades on the Apifiny simulator
 * (its own process; orders through a counting proxy; the market driven by the test) and places a bracket. The price
 * falls through the stop-loss; the moment the stop-loss's order has reached the venue, the engine is killed with
 * SIGKILL, before it could store the release. On restart the stored stop-loss says it is still held, but it is at the
 * venue: the engine must ask the venue before arming it again, adopt it, take its fill, end the take-profit with it,
 * and never send it a second time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOrderId } from '../../adapters/apifiny/format.js';
import { startCountingProxy, type CountingProxy } from '../adapters/counting-proxy.js';
import { ALICE } from '../venues/apifiny/test-client.js';
import { eventKinds, fillCounts, readOrders, ROOT, startDrivenSim, startEngine, until, writeSimConfig, type DrivenSim, type EngineProcess } from './crash/emulated-harness.js';

describe('live killed with SIGKILL as a released stop-loss reaches the venue', () => {
  let sim: DrivenSim;
  let proxy: CountingProxy;
  let dir: string;
  /** Client order ids of every newOrder the venue got, in order. */
  const sent: string[] = [];
  let killOn: { id: string; engine: EngineProcess } | undefined;

  beforeAll(async () => {
    sim = await startDrivenSim();
    proxy = await startCountingProxy({ host: sim.urls.host, port: sim.urls.port }, (r) => {
      if (!r.path.endsWith('/order/newOrder')) return;
      const d = decodeOrderId((JSON.parse(r.body) as { orderId: string }).orderId, ALICE.accountId);
      const id = d?.kind === 'full' ? d.clientOrderId : '?';
      sent.push(id);
      if (killOn !== undefined && killOn.id === id) {
        killOn.engine.proc.kill('SIGKILL'); // it reached the venue; the engine dies before it can store the release
        killOn = undefined;
      }
    });
    dir = mkdtempSync(join(tmpdir(), 'engine-live-emulated-kill-'));
  }, 30_000);

  afterAll(async () => {
    sim?.stop();
    await proxy?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('adopts the stop-loss it finds at the venue instead of arming it again: filled once, sent once, the take-profit ends', async () => {
    const dbPath = join(dir, 'live.db');
    const configPath = join(dir, 'live.config.ts');
    const restBaseUrl = `${proxy.origin}${new URL(sim.urls.restBaseUrl).pathname}`;
    writeSimConfig(configPath, sim, {
      mode: 'live', portfolio: 'emulated', restBaseUrl,
      strategies: [{ use: resolve(ROOT, 'test/kernel/crash/bracket-placer.ts'), id: 'placer', params: { instrument: 'BTCUSD.VENUE1', quantity: 0.01, band: 0.0015, trail: 0.02, limitEntry: true } }],
      extra: { risk: { priceBandPct: 5 }, live: { inFlightTimeoutMs: 1_000, inFlightCheckIntervalMs: 250, neverReceivedAfterMs: 3_000 }, log: { level: 'info' } },
    });

    const first = startEngine('live', configPath, dbPath);
    // (a bracket placed before the venue was reconciled is denied NOT_RECONCILED, and placed again at the next quote)
    const armed = await until('the entry filled and its exits stored armed', () => {
      const rows = readOrders(dbPath);
      const entry = rows.find((r) => r.tag === 'bracket' && r.parent_id === null && r.status === 'FILLED');
      const exits = rows.filter((r) => entry !== undefined && r.parent_id === entry.client_order_id);
      return exits.length === 2 && exits.every((r) => r.status === 'EMULATED') ? rows : undefined;
    }, 30_000, first);
    const entry = armed.find((r) => r.tag === 'bracket' && r.parent_id === null && r.status === 'FILLED')!;
    const [tp, sl] = armed.filter((r) => r.parent_id === entry.client_order_id);
    killOn = { id: sl!.client_order_id, engine: first };
    sim.moveTo(29_930); // through the stop-loss (~29,955); far above the trailing stop (2 % behind)
    await first.exited;
    expect(sent.filter((id) => id === sl!.client_order_id)).toHaveLength(1);
    const stored = readOrders(dbPath).find((r) => r.client_order_id === sl!.client_order_id)!;
    // the kill came as the order reached the venue: its release, or at least its fill, is not stored
    expect(['EMULATED', 'RELEASED', 'SUBMITTED']).toContain(stored.status);

    const second = startEngine('live', configPath, dbPath);
    const done = await until('the stop-loss filled and the take-profit ended', () => {
      const rows = readOrders(dbPath);
      const s = rows.find((r) => r.client_order_id === sl!.client_order_id);
      const t = rows.find((r) => r.client_order_id === tp!.client_order_id);
      return s?.status === 'FILLED' && t?.status === 'CANCELED' ? rows : undefined;
    }, 30_000, second);
    await new Promise((r) => setTimeout(r, 500)); // time for a second send, were there one
    second.proc.kill('SIGTERM');
    await second.exited;

    expect(sent.filter((id) => id === sl!.client_order_id), 'the stop-loss was sent once').toHaveLength(1);
    expect(sent.filter((id) => id === tp!.client_order_id), 'the take-profit was never sent').toHaveLength(0);
    expect(done.find((r) => r.client_order_id === sl!.client_order_id)!.filled_qty).toBe(entry.filled_qty);
    const kinds = eventKinds(dbPath, sl!.client_order_id);
    if (stored.status === 'EMULATED' || stored.status === 'RELEASED') expect(kinds).toContain('OrderAdopted');
    expect(kinds.filter((k) => k === 'OrderFilled')).toHaveLength(1);
    for (const [id, n] of fillCounts(dbPath)) expect(n, id).toBe(1);
  }, 120_000);
});
