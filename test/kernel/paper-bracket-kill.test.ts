/**
 * Issue 13's restart case, in separate processes: `engine paper` trades on the Apifiny simulator's market data (its own
 * process, over loopback, its market driven by the test) and places a bracket and a trailing stop. The price rises a
 * little (the trailing stop follows it), the engine is killed with SIGKILL, started again on the same database, and the
 * price falls through the stop-loss and to a level that only the trailing stop's stored (moved) trigger reaches. Both
 * must be armed again exactly as stored: the stop-loss sells what the entry bought and its take-profit ends with it,
 * the trailing stop is released where its stored trigger says (its first trigger would not have been reached), and
 * every order is stored, released and sent once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventKinds, eventPayload, fillCounts, readOrders, ROOT, startDrivenSim, startEngine, trailingMoves, until, writeSimConfig, type DrivenSim } from './crash/emulated-harness.js';

describe('paper killed with SIGKILL in the middle of an armed bracket', () => {
  let sim: DrivenSim;
  let dir: string;

  beforeAll(async () => {
    sim = await startDrivenSim();
    dir = mkdtempSync(join(tmpdir(), 'engine-bracket-kill-'));
  }, 30_000);

  afterAll(() => {
    sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('re-arms the bracket and the trailing stop from the store: one exit fills the entry, the other ends, nothing twice', async () => {
    const dbPath = join(dir, 'paper.db');
    const configPath = join(dir, 'paper.config.ts');
    writeSimConfig(configPath, sim, {
      mode: 'paper', portfolio: 'bracket',
      strategies: [{ use: resolve(ROOT, 'test/kernel/crash/bracket-placer.ts'), id: 'placer', params: { instrument: 'BTCUSD.VENUE1', quantity: 0.01, band: 0.0015, trail: 0.004 } }],
    });

    // first session at 30,000: the entry fills, the exits and the trailing stop are armed; the price rises 0.1 %, the
    // trailing stop follows; all stored; then SIGKILL
    const first = startEngine('paper', configPath, dbPath);
    const placed = await until('the entry filled, its exits stored armed', () => {
      const rows = readOrders(dbPath);
      const entry = rows.find((r) => r.tag === 'bracket' && r.parent_id === null);
      const exits = rows.filter((r) => r.parent_id !== null);
      return entry?.status === 'FILLED' && exits.length === 2 && exits.every((r) => r.status === 'EMULATED') && rows.some((r) => r.tag === 'trailing') ? rows : undefined;
    }, 30_000, first);
    const startTrigger = Number(placed.find((r) => r.tag === 'trailing')!.trigger_price);
    sim.moveTo(30_030);
    const armed = await until('the trailing stop moved up with the price', () => {
      const rows = readOrders(dbPath);
      return Number(rows.find((r) => r.tag === 'trailing')?.trigger_price) > startTrigger ? rows : undefined;
    }, 10_000, first);
    first.proc.kill('SIGKILL');
    await first.exited;
    const entry = armed.find((r) => r.tag === 'bracket' && r.parent_id === null)!;
    const [tp, sl] = armed.filter((r) => r.parent_id === entry.client_order_id);
    expect(tp!.oco_group).toBeNull(); // the take-profit names the group
    expect(sl!.oco_group).toBe(tp!.client_order_id);
    const storedTrailing = readOrders(dbPath).find((r) => r.tag === 'trailing')!;
    const storedTrigger = Number(storedTrailing.trigger_price);
    expect(storedTrailing.status).toBe('EMULATED');

    // second session on the same database; the price falls through the stop-loss (29,955) to a level between the
    // trailing stop's first trigger (~29,880) and its stored one (~29,910)
    const second = startEngine('paper', configPath, dbPath);
    const low = Math.round(((startTrigger + storedTrigger) / 2) * 100) / 100;
    expect(low).toBeGreaterThan(startTrigger);
    expect(low).toBeLessThan(storedTrigger);
    sim.moveTo(low + 0.01); // the book's bid is a tick under the mid
    const done = await until('the stop-loss and the trailing stop filled', () => {
      const rows = readOrders(dbPath);
      const exits = rows.filter((r) => r.parent_id === entry.client_order_id);
      const trailing = rows.find((r) => r.tag === 'trailing');
      return exits.some((r) => r.status === 'FILLED') && exits.every((r) => r.status === 'FILLED' || r.status === 'CANCELED') && trailing?.status === 'FILLED' ? rows : undefined;
    }, 30_000, second);
    second.proc.kill('SIGTERM');
    await second.exited;

    const exits = done.filter((r) => r.parent_id === entry.client_order_id);
    expect(exits.map((r) => [r.client_order_id, r.status])).toEqual([[tp!.client_order_id, 'CANCELED'], [sl!.client_order_id, 'FILLED']]);
    expect(exits[1]!.filled_qty).toBe(entry.filled_qty); // it sold what the entry bought, no more
    // stored once each: one OrderEmulated (the restart announced nothing again), released once, sent once
    for (const id of [tp!.client_order_id, sl!.client_order_id, storedTrailing.client_order_id]) {
      const kinds = eventKinds(dbPath, id);
      expect(kinds.filter((k) => k === 'OrderEmulated'), id).toHaveLength(1);
      expect(kinds.filter((k) => k === 'OrderReleased').length, id).toBeLessThanOrEqual(1);
      expect(kinds.filter((k) => k === 'OrderSubmitted').length, id).toBeLessThanOrEqual(1);
    }
    expect(eventKinds(dbPath, sl!.client_order_id).filter((k) => k !== 'OrderUpdated')).toEqual(['OrderEmulated', 'OrderReleased', 'OrderSubmitted', 'OrderAccepted', 'OrderFilled']);
    expect(eventKinds(dbPath, entry.client_order_id)).toEqual(['OrderSubmitted', 'OrderAccepted', 'OrderFilled']);
    // the trailing stop went on from its stored trigger (the first session's last move): later moves are all above it
    const moves = trailingMoves(dbPath, storedTrailing.client_order_id);
    const firstRun = Math.min(...moves.map((m) => m.run));
    const beforeKill = moves.filter((m) => m.run === firstRun).map((m) => m.trigger);
    const afterRestart = moves.filter((m) => m.run !== firstRun).map((m) => m.trigger);
    expect(beforeKill.at(-1)).toBe(storedTrigger);
    for (const t of afterRestart) expect(t).toBeGreaterThan(storedTrigger);
    // released by the fall to `low`, which only its stored trigger reaches
    expect(eventPayload(dbPath, storedTrailing.client_order_id, 'OrderReleased')).toMatchObject({ triggerObserved: low });
    expect(eventKinds(dbPath, storedTrailing.client_order_id).filter((k) => k !== 'OrderUpdated')).toEqual(['OrderEmulated', 'OrderReleased', 'OrderSubmitted', 'OrderAccepted', 'OrderFilled']);
    // the strategy placed one bracket and one trailing stop in all: the restart did not place them again
    expect(done.filter((r) => r.tag === 'bracket')).toHaveLength(3);
    expect(done.filter((r) => r.tag === 'trailing')).toHaveLength(1);
    for (const [id, n] of fillCounts(dbPath)) expect(n, id).toBe(1);
  }, 120_000);
});
