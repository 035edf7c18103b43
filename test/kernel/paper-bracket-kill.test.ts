/**
 * Issue 13's restart case, in separate processes: `engine paper` trades on the Apifiny simulator's market data (its own
 * process, over loopback, its market driven by the test) and places a bracket and a trailing stop. The price rises a
 * little (the trailing stop follows it), the engine is killed with SIGKILL, started again on the same database, and the
 * price falls through the stop-loss and to a level that only the trailing stop's stored (moved) trigger reaches. Both
 * must be armed again exactly as stored: the stop-loss sells what the entry bought and its take-profit ends with it,
 * the trailing stop is released where its stored trigger says (its first trigger would not have been reached), and
 * every order is stored, released and sent once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE } from '../venues/apifiny/test-client.js';

const ROOT = resolve(__dirname, '../..');

interface Sim { readonly proc: ChildProcess; readonly urls: { restBaseUrl: string; mdWsUrl: string; orderWsUrl: string } }

/** The simulator with a market that moves only when the test says (`moveTo`). */
function startSim(): Promise<Sim> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/kernel/crash/sim-process.ts'], {
    cwd: ROOT, env: { ...process.env, SIM_SEED: '11', SIM_MARKET_MS: '0', SIM_CONTROL: '1' }, stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((res, rej) => {
    createInterface({ input: proc.stdout! }).once('line', (line) => res({ proc, urls: JSON.parse(line) }));
    proc.once('exit', (code) => rej(new Error(`simulator exited early (${code})`)));
  });
}

function startPaper(configPath: string, dbPath: string): { proc: ChildProcess; exited: Promise<number | null>; stderr: string[] } {
  const env = { ...process.env, APIFINY_ACCOUNT_ID: ALICE.accountId, APIFINY_KEY_ID: ALICE.secretKeyId, APIFINY_SECRET: ALICE.secret, LOG_LEVEL: 'warn' };
  const proc = spawn(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', 'paper', '--config', configPath, '--db', dbPath], {
    cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  createInterface({ input: proc.stderr! }).on('line', (l) => void stderr.push(l));
  proc.stdout!.resume();
  return { proc, stderr, exited: new Promise((r) => proc.once('exit', (code) => r(code))) };
}

interface Row { client_order_id: string; status: string; quantity: string; filled_qty: string; parent_id: string | null; oco_group: string | null; tag: string | null; trigger_price: string | null }

/** The orders as stored, read from the database the engine is writing (read-only, WAL). */
function readOrders(dbPath: string): Row[] {
  let db: Database.Database | undefined;
  try {
    db = new Database(dbPath, { readonly: true, fileMustExist: true });
    return db.prepare(`SELECT client_order_id, status, quantity, filled_qty, parent_id, oco_group, tag, trigger_price FROM orders ORDER BY ts_init, client_order_id`).all() as Row[];
  } catch {
    return []; // not created yet
  } finally {
    db?.close();
  }
}

/** A trailing stop's stored moves (OrderUpdated with a trigger price), with the run that made each. */
function movesOf(dbPath: string, id: string): Array<{ run: number; trigger: number }> {
  let db: Database.Database | undefined;
  try {
    db = new Database(dbPath, { readonly: true, fileMustExist: true });
    const rows = db.prepare(`SELECT run_id, payload FROM events WHERE client_order_id = ? AND kind = 'OrderUpdated' ORDER BY seq`).all(id) as Array<{ run_id: number; payload: string }>;
    return rows.map((r) => ({ run: r.run_id, trigger: (JSON.parse(r.payload) as { triggerPrice: number }).triggerPrice }));
  } catch {
    return [];
  } finally {
    db?.close();
  }
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs: number, stderr: string[]): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const got = probe();
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms; engine said:\n${stderr.slice(-10).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('paper killed with SIGKILL in the middle of an armed bracket', () => {
  let sim: Sim;
  let dir: string;
  /** The market's mid now; a book around it is published every 50 ms, so the engine always has fresh quotes. */
  let mid = 30_000;
  let feed: ReturnType<typeof setInterval> | undefined;
  const moveTo = (price: number): void => {
    mid = price;
    sim.proc.stdin!.write(`moveTo BTCUSD ${price}\n`);
  };

  beforeAll(async () => {
    sim = await startSim();
    dir = mkdtempSync(join(tmpdir(), 'engine-bracket-kill-'));
  }, 30_000);

  afterAll(() => {
    clearInterval(feed);
    sim?.proc.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('re-arms the bracket and the trailing stop from the store: one exit fills the entry, the other ends, nothing twice', async () => {
    const dbPath = join(dir, 'paper.db');
    const configPath = join(dir, 'paper.config.ts');
    writeFileSync(configPath, `export default ${JSON.stringify({
      mode: 'paper',
      portfolio: 'bracket',
      strategies: [{ use: resolve(ROOT, 'test/kernel/crash/bracket-placer.ts'), id: 'placer', params: { instrument: 'BTCUSD.VENUE1', quantity: 0.01, band: 0.0015, trail: 0.004 } }],
      venues: {
        apifiny: {
          adapter: 'apifiny',
          options: { restBaseUrl: sim.urls.restBaseUrl, mdWsUrl: sim.urls.mdWsUrl, userWsBaseUrl: sim.urls.orderWsUrl.replace(/\/[^/]+\/order$/, ''), venue: 'VENUE1' },
        },
      },
      storage: { flushIntervalMs: 5 },
      log: { level: 'warn' },
    })};\n`);

    feed = setInterval(() => moveTo(mid), 50);
    // first session at 30,000: the entry fills, the exits and the trailing stop are armed; the price rises 0.1 %, the
    // trailing stop follows; all stored; then SIGKILL
    const first = startPaper(configPath, dbPath);
    const placed = await until('the entry filled, its exits stored armed', () => {
      const rows = readOrders(dbPath);
      const entry = rows.find((r) => r.tag === 'bracket' && r.parent_id === null);
      const exits = rows.filter((r) => r.parent_id !== null);
      return entry?.status === 'FILLED' && exits.length === 2 && exits.every((r) => r.status === 'EMULATED') && rows.some((r) => r.tag === 'trailing') ? rows : undefined;
    }, 30_000, first.stderr);
    const startTrigger = Number(placed.find((r) => r.tag === 'trailing')!.trigger_price);
    moveTo(30_030);
    const armed = await until('the trailing stop moved up with the price', () => {
      const rows = readOrders(dbPath);
      return Number(rows.find((r) => r.tag === 'trailing')?.trigger_price) > startTrigger ? rows : undefined;
    }, 10_000, first.stderr);
    first.proc.kill('SIGKILL');
    await first.exited;
    const entry = armed.find((r) => r.tag === 'bracket' && r.parent_id === null)!;
    const [tp, sl] = armed.filter((r) => r.parent_id === entry.client_order_id);
    expect(tp!.oco_group).toBeNull(); // the take-profit names the group
    expect(sl!.oco_group).toBe(tp!.client_order_id);
    const storedTrailing = readOrders(dbPath).find((r) => r.tag === 'trailing')!;
    const storedTrigger = Number(storedTrailing.trigger_price);
    expect(storedTrailing.status).toBe('EMULATED');

    // second session on the same database; once it has quotes, the price falls through the stop-loss (29,955) to a
    // level between the trailing stop's first trigger (~29,880) and its stored one (~29,910)
    const second = startPaper(configPath, dbPath);
    await new Promise((r) => setTimeout(r, 3_000)); // started, subscribed, quoting at 30,030
    const low = Math.round(((startTrigger + storedTrigger) / 2) * 100) / 100;
    expect(low).toBeGreaterThan(startTrigger);
    expect(low).toBeLessThan(storedTrigger);
    moveTo(low + 0.01); // the book's bid is a tick under the mid
    const done = await until('the stop-loss and the trailing stop filled', () => {
      const rows = readOrders(dbPath);
      const exits = rows.filter((r) => r.parent_id === entry.client_order_id);
      const trailing = rows.find((r) => r.tag === 'trailing');
      return exits.some((r) => r.status === 'FILLED') && exits.every((r) => r.status === 'FILLED' || r.status === 'CANCELED') && trailing?.status === 'FILLED' ? rows : undefined;
    }, 30_000, second.stderr);
    second.proc.kill('SIGTERM');
    await second.exited;

    const db = new Database(dbPath, { readonly: true });
    try {
      const exits = done.filter((r) => r.parent_id === entry.client_order_id);
      expect(exits.map((r) => [r.client_order_id, r.status])).toEqual([[tp!.client_order_id, 'CANCELED'], [sl!.client_order_id, 'FILLED']]);
      const filledExit = exits.find((r) => r.status === 'FILLED')!;
      expect(filledExit.filled_qty).toBe(entry.filled_qty); // it sold what the entry bought, no more
      const events = (id: string) => (db.prepare(`SELECT kind FROM events WHERE client_order_id = ? ORDER BY seq`).all(id) as Array<{ kind: string }>).map((r) => r.kind);
      // stored once each: one OrderEmulated (the restart announced nothing again), released once, sent once
      for (const id of [tp!.client_order_id, sl!.client_order_id, storedTrailing.client_order_id]) {
        const kinds = events(id);
        expect(kinds.filter((k) => k === 'OrderEmulated'), id).toHaveLength(1);
        expect(kinds.filter((k) => k === 'OrderReleased').length, id).toBeLessThanOrEqual(1);
        expect(kinds.filter((k) => k === 'OrderSubmitted').length, id).toBeLessThanOrEqual(1);
      }
      expect(events(filledExit.client_order_id).filter((k) => k !== 'OrderUpdated')).toEqual(['OrderEmulated', 'OrderReleased', 'OrderSubmitted', 'OrderAccepted', 'OrderFilled']);
      expect(events(entry.client_order_id)).toEqual(['OrderSubmitted', 'OrderAccepted', 'OrderFilled']);
      // the trailing stop went on from its stored trigger (the first session's last move): later moves are all above it
      const moves = movesOf(dbPath, storedTrailing.client_order_id);
      const firstRun = Math.min(...moves.map((m) => m.run));
      const beforeKill = moves.filter((m) => m.run === firstRun).map((m) => m.trigger);
      const afterRestart = moves.filter((m) => m.run !== firstRun).map((m) => m.trigger);
      expect(beforeKill.at(-1)).toBe(Number(storedTrailing.trigger_price));
      for (const t of afterRestart) expect(t).toBeGreaterThan(Number(storedTrailing.trigger_price));
      const all = [...beforeKill, ...afterRestart];
      expect(all).toEqual([...all].sort((x, y) => x - y)); // it only ever rose
      // released by the fall to `low`, which only its stored trigger reaches
      const release = db.prepare(`SELECT payload FROM events WHERE client_order_id = ? AND kind = 'OrderReleased'`).get(storedTrailing.client_order_id) as { payload: string };
      expect((JSON.parse(release.payload) as { triggerObserved: number }).triggerObserved).toBe(low);
      // the strategy placed one bracket and one trailing stop in all: the restart did not place them again
      expect(done.filter((r) => r.tag === 'bracket')).toHaveLength(3);
      expect(done.filter((r) => r.tag === 'trailing')).toHaveLength(1);
      const fills = db.prepare(`SELECT client_order_id AS id, COUNT(*) AS n FROM fills GROUP BY client_order_id`).all() as Array<{ id: string; n: number }>;
      for (const f of fills) expect(f.n, f.id).toBe(1);
    } finally {
      db.close();
    }
  }, 120_000);
});
