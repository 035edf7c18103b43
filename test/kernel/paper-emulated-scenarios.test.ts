/**
 * Every emulated type and contingency in paper mode against a venue simulator (issue 13): `engine paper` runs in its
 * own process on the Apifiny simulator's market data (its own process, over loopback), whose price the test walks
 * through a scripted path. Each order must be released at the first quote that reaches its trigger (the price seen is
 * stored with the release), filled once, and the contingencies must hold: the OCO stop ends when its sibling fills,
 * the OTO child waits for its parent's fill, the bracket's take-profit ends when its stop-loss fills.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventKinds, eventPayload, fillCounts, readOrders, ROOT, startDrivenSim, startEngine, until, writeSimConfig, type DrivenSim } from './crash/emulated-harness.js';
import { SCENARIO_PATH, SCENARIO_RELEASES } from './crash/scenario-placer.js';

describe('emulated orders in paper mode against the Apifiny simulator', () => {
  let sim: DrivenSim;
  let dir: string;

  beforeAll(async () => {
    sim = await startDrivenSim();
    dir = mkdtempSync(join(tmpdir(), 'engine-emulated-paper-'));
  }, 30_000);

  afterAll(() => {
    sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('releases each type where the path first reaches its trigger, fills it once, and keeps OCO, OTO and the bracket', async () => {
    const dbPath = join(dir, 'paper.db');
    const configPath = join(dir, 'paper.config.ts');
    writeSimConfig(configPath, sim, { mode: 'paper', portfolio: 'scenarios', strategies: [{ use: resolve(ROOT, 'test/kernel/crash/scenario-placer.ts'), id: 'sc' }] });
    const engine = startEngine('paper', configPath, dbPath);
    const ids = await until('the orders placed', () => {
      let db: Database.Database | undefined;
      try {
        db = new Database(dbPath, { readonly: true, fileMustExist: true });
        const row = db.prepare(`SELECT value_json FROM strategy_state WHERE strategy_id = 'sc' AND key = 'ids'`).get() as { value_json: string } | undefined;
        return row === undefined ? undefined : (JSON.parse(row.value_json) as Record<string, string>);
      } catch {
        return undefined;
      } finally {
        db?.close();
      }
    }, 30_000, engine);
    const status = (): Map<string, string> => new Map(readOrders(dbPath).map((r) => [r.client_order_id, r.status]));
    const step = async (mid: number, what: string, expected: Record<string, string>): Promise<void> => {
      sim.moveTo(mid);
      await until(`${what} at ${mid}`, () => {
        const s = status();
        return Object.entries(expected).every(([name, st]) => s.get(ids[name]!) === st) ? true : undefined;
      }, 15_000, engine);
    };

    for (const { mid, what, expect: expected } of SCENARIO_PATH) await step(mid, what, expected);
    engine.proc.kill('SIGTERM');
    await engine.exited;

    for (const [name, price] of Object.entries(SCENARIO_RELEASES)) {
      expect(eventPayload(dbPath, ids[name]!, 'OrderReleased'), name).toMatchObject({ triggerObserved: price });
      const kinds = eventKinds(dbPath, ids[name]!).filter((k) => k !== 'OrderUpdated');
      expect(kinds, name).toEqual(['OrderEmulated', 'OrderReleased', 'OrderSubmitted', 'OrderAccepted', 'OrderFilled']);
    }
    for (const name of ['ocoStop', 'bracketTp']) expect(eventKinds(dbPath, ids[name]!).filter((k) => k === 'OrderReleased'), name).toEqual([]);
    for (const [id, n] of fillCounts(dbPath)) expect(n, id).toBe(1);
  }, 120_000);
});
