import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCommand } from '../../engine/cli/report-command.js';
import type { RunSummary } from '../../engine/kernel/summary.js';
import { openDatabase } from '../../engine/persistence/index.js';
import { flipFlopRun } from './fixtures.js';

describe('engine report', () => {
  let dir: string;
  let dbPath: string;
  let summary: RunSummary;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'engine-report-'));
    dbPath = join(dir, 'engine.db');
    const db = openDatabase(dbPath);
    ({ summary } = await flipFlopRun(db, { to: Date.UTC(2014, 4, 5, 8, 20) }));
    db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, o: (s: string) => out.push(s), e: (s: string) => err.push(s) };
  };

  it('prints the stored summary and writes the HTML report into a new folder', async () => {
    const c = capture();
    const html = join(dir, 'reports', 'nested', 'run.html');
    expect(await reportCommand({ runId: 'latest', db: dbPath, html }, c.o, c.e)).toBe(0);
    expect(c.err).toEqual([]);
    const text = c.out.join('\n');
    expect(text).toContain(`run ${summary.runId} (backtest, portfolio ${summary.portfolioId})`);
    expect(text).toContain('status finished');
    expect(text).toContain(`ticks ${summary.ticks.toLocaleString('en-US')}\n`);
    expect(text).not.toContain('ticks/s');
    expect(text).toContain('positions verified against stored fills: ok');
    expect(text).toContain(`report: ${html}`);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('id="equity-chart"');
    expect(page).toContain(`Run ${summary.runId}`);
  });

  it('prints the run, summary and per-instrument figures as JSON with --json', async () => {
    const c = capture();
    expect(await reportCommand({ runId: String(summary.runId), db: dbPath, json: true }, c.o, c.e)).toBe(0);
    const json = JSON.parse(c.out.join('\n')) as Record<string, any>;
    expect(json.run.id).toBe(summary.runId);
    expect(json.summary.netPnl).toBe(summary.netPnl);
    expect(json.instruments[0].fills).toBe(summary.fills);
    expect(json.fills).toBe(summary.fills);
    // flip-flop alone: its trips per strategy are the summary's round trips
    expect(json.tradeStats.trips).toBe(summary.trades);
    expect(Object.keys(json.tradeStatsByStrategy)).toEqual(['flip-flop']);
    expect(json.tradeStatsByStrategy['flip-flop'].netPnl).toBe(json.tradeStats.netPnl);
  });

  it('refuses a missing database file without creating one', async () => {
    const c = capture();
    const missing = join(dir, 'nowhere', 'engine.db');
    expect(await reportCommand({ runId: 'latest', db: missing }, c.o, c.e)).toBe(2);
    expect(c.err.join('\n')).toMatch(/no database at .*nowhere\/engine\.db/);
    expect(c.out).toEqual([]);
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });

  it('names an unknown run and the database it looked in', async () => {
    const c = capture();
    expect(await reportCommand({ runId: '42', db: dbPath }, c.o, c.e)).toBe(2);
    expect(c.err).toEqual([`engine report: no run 42 in ${dbPath}`]);
  });

  it('refuses a run id that is neither a number nor latest', async () => {
    const c = capture();
    expect(await reportCommand({ runId: 'last', db: dbPath }, c.o, c.e)).toBe(2);
    expect(c.err.join('\n')).toMatch(/a run id \(a whole number\) or "latest", got "last"/);
  });

  it('says so when the database has no runs yet', async () => {
    const empty = join(dir, 'empty.db');
    openDatabase(empty).close();
    const c = capture();
    expect(await reportCommand({ runId: 'latest', db: empty }, c.o, c.e)).toBe(2);
    expect(c.err).toEqual([`engine report: the database ${empty} has no runs yet`]);
  });

  it('reports a file that is not a database as such', async () => {
    const c = capture();
    expect(await reportCommand({ runId: 'latest', db: 'README.md' }, c.o, c.e)).toBe(2);
    expect(c.err.join('\n')).toMatch(/README\.md is not a SQLite database/);
  });
});
