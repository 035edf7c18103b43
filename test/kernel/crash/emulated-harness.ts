/**
 * What the emulated-order crash tests share: the Apifiny simulator in a process of its own with a market the test
 * drives (`moveTo`, a book republished every 50 ms so the engine always has fresh quotes), an `engine paper|live`
 * process, and reads of the database it is writing (read-only, WAL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { ALICE } from '../../venues/apifiny/test-client.js';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

export interface DrivenSim {
  readonly proc: ChildProcess;
  readonly urls: { host: string; port: number; restBaseUrl: string; mdWsUrl: string; orderWsUrl: string };
  /** Sets the mid; the book around it is published now and every 50 ms. */
  moveTo(price: number): void;
  stop(): void;
}

/** The simulator with a market that moves only when the test says, starting at 30,000. */
export async function startDrivenSim(): Promise<DrivenSim> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/kernel/crash/sim-process.ts'], {
    cwd: ROOT, env: { ...process.env, SIM_SEED: '11', SIM_MARKET_MS: '0', SIM_CONTROL: '1' }, stdio: ['pipe', 'pipe', 'inherit'],
  });
  const urls = await new Promise<DrivenSim['urls']>((res, rej) => {
    createInterface({ input: proc.stdout! }).once('line', (line) => res(JSON.parse(line)));
    proc.once('exit', (code) => rej(new Error(`simulator exited early (${code})`)));
  });
  let mid = 30_000;
  const publish = (): void => void proc.stdin!.write(`moveTo BTCUSD ${mid}\n`);
  const feed = setInterval(publish, 50);
  return {
    proc, urls,
    moveTo(price) {
      mid = price;
      publish();
    },
    stop() {
      clearInterval(feed);
      proc.kill('SIGTERM');
    },
  };
}

/** Writes an engine config for `mode` on the simulator's Apifiny venue (market data; orders too in live). */
export function writeSimConfig(path: string, sim: Pick<DrivenSim, 'urls'>, c: {
  mode: 'paper' | 'live'; portfolio: string; strategies: readonly unknown[]; restBaseUrl?: string; extra?: Record<string, unknown>;
}): void {
  writeFileSync(path, `export default ${JSON.stringify({
    mode: c.mode,
    portfolio: c.portfolio,
    strategies: c.strategies,
    venues: {
      apifiny: {
        adapter: 'apifiny',
        options: {
          restBaseUrl: c.restBaseUrl ?? sim.urls.restBaseUrl, mdWsUrl: sim.urls.mdWsUrl,
          userWsBaseUrl: sim.urls.orderWsUrl.replace(/\/[^/]+\/order$/, ''), venue: 'VENUE1', requestTimeoutMs: 2_000,
        },
      },
    },
    storage: { flushIntervalMs: 5 },
    log: { level: 'warn' },
    ...c.extra,
  })};\n`);
}

export interface EngineProcess {
  readonly proc: ChildProcess;
  readonly exited: Promise<number | null>;
  /** Its log lines (stderr), for a failure's message. */
  readonly stderr: string[];
}

export function startEngine(mode: 'paper' | 'live', configPath: string, dbPath: string): EngineProcess {
  const env = { ...process.env, APIFINY_ACCOUNT_ID: ALICE.accountId, APIFINY_KEY_ID: ALICE.secretKeyId, APIFINY_SECRET: ALICE.secret, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
  const proc = spawn(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', mode, '--config', configPath, '--db', dbPath], {
    cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  createInterface({ input: proc.stderr! }).on('line', (l) => void stderr.push(l));
  proc.stdout!.resume();
  return { proc, stderr, exited: new Promise((r) => proc.once('exit', (code) => r(code))) };
}

export interface OrderRow {
  client_order_id: string; status: string; quantity: string; filled_qty: string; parent_id: string | null; oco_group: string | null;
  tag: string | null; trigger_price: string | null;
}

function read<T>(dbPath: string, query: (db: Database.Database) => T, empty: T): T {
  let db: Database.Database | undefined;
  try {
    db = new Database(dbPath, { readonly: true, fileMustExist: true });
    return query(db);
  } catch {
    return empty; // not created yet
  } finally {
    db?.close();
  }
}

/** The orders as stored. */
export const readOrders = (dbPath: string): OrderRow[] => read(dbPath, (db) =>
  db.prepare(`SELECT client_order_id, status, quantity, filled_qty, parent_id, oco_group, tag, trigger_price FROM orders ORDER BY ts_init, client_order_id`).all() as OrderRow[], []);

/** The kinds of an order's stored events, in order. */
export const eventKinds = (dbPath: string, id: string): string[] => read(dbPath, (db) =>
  (db.prepare(`SELECT kind FROM events WHERE client_order_id = ? ORDER BY seq`).all(id) as Array<{ kind: string }>).map((r) => r.kind), []);

/** The payload of an order's first stored event of `kind`. */
export const eventPayload = (dbPath: string, id: string, kind: string): Record<string, unknown> | undefined => read(dbPath, (db) => {
  const row = db.prepare(`SELECT payload FROM events WHERE client_order_id = ? AND kind = ? ORDER BY seq LIMIT 1`).get(id, kind) as { payload: string } | undefined;
  return row === undefined ? undefined : (JSON.parse(row.payload) as Record<string, unknown>);
}, undefined);

/** A trailing stop's stored moves (OrderUpdated with a trigger price), with the run that made each. */
export const trailingMoves = (dbPath: string, id: string): Array<{ run: number; trigger: number }> => read(dbPath, (db) =>
  (db.prepare(`SELECT run_id, payload FROM events WHERE client_order_id = ? AND kind = 'OrderUpdated' ORDER BY seq`).all(id) as Array<{ run_id: number; payload: string }>)
    .map((r) => ({ run: r.run_id, trigger: (JSON.parse(r.payload) as { triggerPrice: number }).triggerPrice })), []);

/** Fills stored per order. */
export const fillCounts = (dbPath: string): Map<string, number> => read(dbPath, (db) =>
  new Map((db.prepare(`SELECT client_order_id AS id, COUNT(*) AS n FROM fills GROUP BY client_order_id`).all() as Array<{ id: string; n: number }>).map((f) => [f.id, f.n])), new Map());

/** Polls `probe` every 50 ms until it gives a value; fails after `timeoutMs` with the engine's last log lines. */
export async function until<T>(what: string, probe: () => T | undefined, timeoutMs: number, engine: EngineProcess): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const got = probe();
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms; engine said:\n${engine.stderr.slice(-10).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
