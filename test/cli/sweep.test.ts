import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatSweep, runSweep, writeBestReport } from '../../engine/cli/sweep-command.js';
import { parseSweep, sweepGrid } from '../../engine/cli/sweep-grid.js';
import { ConfigError } from '../../engine/config/config.js';
import { openDatabase } from '../../engine/persistence/index.js';

describe('sweep grid', () => {
  it('reads ranges with steps, lists and several params', () => {
    expect(parseSweep('fast=5..20:5,slow=50,100')).toEqual([
      { name: 'fast', values: [5, 10, 15, 20] },
      { name: 'slow', values: [50, 100] },
    ]);
  });

  it('gives decimal steps without float residue', () => {
    expect(parseSweep('h=0.1..0.3:0.1')[0]!.values).toEqual([0.1, 0.2, 0.3]);
  });

  it('keeps strings and booleans as such', () => {
    expect(parseSweep('mode=fast,slow,hedge=true')).toEqual([
      { name: 'mode', values: ['fast', 'slow'] },
      { name: 'hedge', values: [true] },
    ]);
  });

  it('makes every combination, first param slowest', () => {
    expect(sweepGrid(parseSweep('a=1,2,b=x,y'))).toEqual([{ a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: 2, b: 'x' }, { a: 2, b: 'y' }]);
  });

  it('refuses malformed grids with a readable message', () => {
    expect(() => parseSweep('5..10')).toThrow(ConfigError);
    expect(() => parseSweep('fast=20..5')).toThrow(/from ≤ to and step > 0/);
    expect(() => parseSweep('fast=1,fast=2')).toThrow(/given twice/);
    expect(() => parseSweep('')).toThrow(/nothing to sweep/);
  });
});

describe('runSweep', () => {
  const dir = mkdtempSync(join(tmpdir(), 'engine-sweep-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs each combination on worker threads, stores every run and ranks them', async () => {
    const db = join(dir, 'sweep.db');
    const results = await runSweep(
      { config: 'engine.config.ts', strategy: 'sma-cross', db, from: '2014-05-05T08:00:00Z', to: '2014-05-05T11:00:00Z' },
      'fast=20,60,slow=200',
      { workers: 2, rank: 'netPnl' },
    );
    expect(results.map((r) => r.error)).toEqual([undefined, undefined]);
    expect(results.map((r) => r.params)).toEqual(expect.arrayContaining([{ fast: 20, slow: 200 }, { fast: 60, slow: 200 }]));
    expect(results[0]!.summary!.netPnl).toBeGreaterThanOrEqual(results[1]!.summary!.netPnl);
    expect(results.every((r) => r.summary!.fills > 0)).toBe(true);
    const stored = openDatabase(db).prepare(`SELECT count(*) n FROM runs WHERE status = 'finished'`).get() as { n: number };
    expect(stored.n).toBe(2);
    expect(formatSweep(results, 'netPnl')).toMatch(/^ranked by netPnl\n#\s+params/);
  });

  it('writes the HTML report of the best run with --html', async () => {
    const db = join(dir, 'html.db');
    const results = await runSweep(
      { config: 'engine.config.ts', strategy: 'sma-cross', db, from: '2014-05-05T08:00:00Z', to: '2014-05-05T10:00:00Z' },
      'fast=20,60,slow=200',
      { workers: 2, rank: 'netPnl' },
    );
    const html = join(dir, 'best.html');
    const best = results[0]!;
    expect(writeBestReport(results, html)).toBe(`report of the best run (${best.summary!.runId}: fast=${String(best.params.fast)} slow=200): ${html}`);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<html');
    expect(page).toContain(`run ${best.summary!.runId}`);
  });

  it('refuses a grid value the strategy cannot take before any combination runs', async () => {
    const db = join(dir, 'bad.db');
    const sweep = runSweep({ config: 'engine.config.ts', strategy: 'sma-cross', db, to: '2014-05-05T01:00:00Z' }, 'fast=20,slow=oops', { workers: 1 });
    await expect(sweep).rejects.toThrow(ConfigError);
    await expect(sweep).rejects.toThrow(/--sweep slow: expected a number, got "oops"/);
    expect(existsSync(db)).toBe(false);
  });
});
