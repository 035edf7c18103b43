/**
 * `engine list strategies` shows what --strategy can name, with the defaults --params overrides; `engine list runs`
 * shows what a database holds, newest first, without writing to it. Each case runs the real CLI.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLine, runEngine } from './engine-process.js';

const dir = mkdtempSync(join(tmpdir(), 'engine-list-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('engine list strategies', () => {
  it('prints one line per strategy in strategies/ with its default params', async () => {
    const exit = await runEngine(['list', 'strategies']);
    expect(exit.code).toBe(0);
    const [head, ...lines] = exit.stdout.trim().split('\n');
    expect(head).toMatch(/^strategy\s+default params$/);
    const names = readdirSync('strategies').filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(names);
    expect(lines.find((l) => l.startsWith('sma-cross'))).toMatch(/^sma-cross\s+instrument=EURUSD\.FXCM fast=50 slow=400 quantity=10000$/);
    expect(lines.find((l) => l.startsWith('flip-flop'))).toMatch(/^flip-flop\s+instrument=EURUSD\.FXCM streak=5 quantity=10000$/);
  });
});

describe('engine list runs', () => {
  const db = join(dir, 'runs.db');
  const backtest = (strategy: string, to: string): string[] =>
    ['backtest', '--strategy', strategy, '--data', 'data/sample/eurusd-fxcm-quotes.tkr', '--to', to, '--db', db, '--json'];
  const summaries: Array<{ runId: number; ticks: number; fills: number }> = [];

  beforeAll(async () => {
    for (const args of [backtest('sma-cross', '2014-05-05T00:10:00Z'), backtest('flip-flop', '2014-05-05T00:20:00Z'), backtest('quoter', '2014-05-05T00:30:00Z')]) {
      const exit = await runEngine(args);
      expect(exit.code, exit.stderr).toBe(0);
      summaries.push(JSON.parse(exit.stdout) as { runId: number; ticks: number; fills: number });
    }
  }, 60_000);

  it('prints the newest runs first, at most --limit, with mode, status, start, ticks, fills and strategies', async () => {
    const exit = await runEngine(['list', 'runs', '--db', db, '--limit', '2']);
    expect(exit.code).toBe(0);
    const [head, ...rows] = exit.stdout.trim().split('\n');
    expect(head).toMatch(/^run\s+mode\s+status\s+started\s+ticks\s+fills\s+strategies$/);
    expect(rows).toHaveLength(2);
    const [quoter, flipFlop] = [summaries[2]!, summaries[1]!];
    expect(rows[0]!.trim().split(/\s+/)).toEqual([String(quoter.runId), 'backtest', 'finished', '2014-05-05T00:00:03.074Z', quoter.ticks.toLocaleString('en-US'), quoter.fills.toLocaleString('en-US'), 'quoter']);
    expect(rows[1]!.trim().split(/\s+/)).toEqual([String(flipFlop.runId), 'backtest', 'finished', '2014-05-05T00:00:03.074Z', flipFlop.ticks.toLocaleString('en-US'), flipFlop.fills.toLocaleString('en-US'), 'flip-flop']);
  });

  it('lists every run without --limit (up to 20), and leaves the database file as it was', async () => {
    const before = createHash('sha256').update(readFileSync(db)).digest('hex');
    const exit = await runEngine(['list', 'runs', '--db', db]);
    expect(exit.code).toBe(0);
    expect(exit.stdout.trim().split('\n').slice(1).map((r) => Number(r.trim().split(/\s+/)[0]))).toEqual(summaries.map((s) => s.runId).reverse());
    expect(createHash('sha256').update(readFileSync(db)).digest('hex')).toBe(before);
  });

  it('says in one line, exit 2, that there is no database at the path, and creates none', async () => {
    const missing = join(dir, 'missing.db');
    expectOneLine(await runEngine(['list', 'runs', '--db', missing]), /^engine: no database at .*missing\.db .*run a backtest first, or pass --db/);
    expect(readdirSync(dir)).not.toContain('missing.db');
  });

  it('refuses a --limit that is not a whole number from 1, in one line, exit 2', async () => {
    expectOneLine(await runEngine(['list', 'runs', '--db', db, '--limit', '0']), /--limit <n>' argument '0' is invalid\. expected a whole number, 1 or more$/);
  });
});
