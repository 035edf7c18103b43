/**
 * Ctrl-C (SIGINT) during a backtest or a sweep: the replay stops, what it did is stored and verified, the run is
 * interrupted (not left "running"), and the exit code is 130. The real CLI runs the three days of the sample recording
 * (about 3 s) and gets SIGINT once its run is in the database.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runEngine } from './engine-process.js';

const dir = mkdtempSync(join(tmpdir(), 'engine-sigint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RECORDING_TICKS = 250_329;

function runs(db: string): Array<{ id: number; status: string; summary_json: string | null }> {
  if (!existsSync(db)) return [];
  const sqlite = new BetterSqlite3(db, { readonly: true });
  try {
    return sqlite.prepare('SELECT id, status, summary_json FROM runs ORDER BY id').all() as Array<{ id: number; status: string; summary_json: string | null }>;
  } catch {
    return []; // the engine is still creating the schema
  } finally {
    sqlite.close();
  }
}

/** Sends SIGINT to the child once `count` runs are in progress in its database. */
function interruptWhenRunning(db: string, count: number): (child: ChildProcess) => void {
  return (child) => {
    const poll = setInterval(() => {
      if (runs(db).filter((r) => r.status === 'running').length >= count) {
        clearInterval(poll);
        setTimeout(() => child.kill('SIGINT'), 200);
      }
    }, 20);
    child.on('close', () => clearInterval(poll));
  };
}

describe('engine backtest on Ctrl-C', () => {
  it('stops, stores the run as interrupted with what it replayed, and exits 130', async () => {
    const db = join(dir, 'single.db');
    const exit = await runEngine(['backtest', '--db', db], { onStart: interruptWhenRunning(db, 1) });
    expect(exit.signal, exit.stderr).toBeNull();
    expect(exit.code, exit.stderr).toBe(130);
    expect(exit.stdout).toMatch(/^INTERRUPTED \(SIGINT\) at \S+: replayed and stored up to there/m);
    expect(exit.stdout).toMatch(/^positions verified against stored fills: ok$/m);

    const [run, ...others] = runs(db);
    expect(others).toEqual([]);
    expect(run!.status).toBe('interrupted');
    const summary = JSON.parse(run!.summary_json!) as { interrupted: string; ticks: number; fills: number };
    expect(summary.interrupted).toBe('SIGINT');
    expect(summary.ticks).toBeGreaterThan(0);
    expect(summary.ticks).toBeLessThan(RECORDING_TICKS);
    expect(exit.stdout).toContain(`ticks ${summary.ticks.toLocaleString('en-US')} in `);

    const list = await runEngine(['list', 'runs', '--db', db]);
    expect(list.stdout.split('\n')[1]!.trim().split(/\s+/).slice(0, 3)).toEqual([String(run!.id), 'backtest', 'interrupted']);
    const report = await runEngine(['report', 'latest', '--db', db]);
    expect(report.stdout).toMatch(/^INTERRUPTED \(SIGINT\)/m);
  }, 30_000);
});

describe('engine backtest --sweep on Ctrl-C', () => {
  it('stops the runs in progress as interrupted, starts no more, prints what it has and exits 130', async () => {
    const db = join(dir, 'sweep.db');
    const exit = await runEngine(['backtest', '--strategy', 'sma-cross', '--sweep', 'fast=10..80:10', '--workers', '2', '--db', db], {
      onStart: interruptWhenRunning(db, 2),
    });
    expect(exit.signal, exit.stderr).toBeNull();
    expect(exit.code, exit.stderr).toBe(130);
    const stored = runs(db);
    expect(stored.length).toBeGreaterThanOrEqual(2);
    expect(stored.length).toBeLessThan(8);
    expect(stored.filter((r) => r.status === 'running')).toEqual([]);
    const interrupted = stored.filter((r) => (JSON.parse(r.summary_json!) as { interrupted?: string }).interrupted === 'SIGINT');
    expect(interrupted.length).toBeGreaterThanOrEqual(1);
    expect(new Set(interrupted.map((r) => r.status))).toEqual(new Set(['interrupted']));
    const rows = exit.stdout.trim().split('\n').slice(2);
    expect(rows).toHaveLength(8);
    expect(rows.filter((r) => /\(interrupted\)$/.test(r))).toHaveLength(interrupted.length);
    expect(rows.filter((r) => /^\s*\d+\s+fast=\d+\s+not run\s*$/.test(r))).toHaveLength(8 - stored.length);
  }, 30_000);
});
