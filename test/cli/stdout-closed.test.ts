/**
 * `engine export … | head -1`: when the reader closes standard output early, the engine stops writing and exits 0
 * without a word (no EPIPE stack trace). The real CLI runs with a pipe for stdout that the test closes after the first
 * chunk, as head does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runEngine } from './engine-process.js';

const dir = mkdtempSync(join(tmpdir(), 'engine-stdout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `engine <args>` and closes its standard output as soon as the first bytes arrive. */
function readFirstChunk(args: string[]): ReturnType<typeof runEngine> {
  return runEngine(args, {
    onStart: (child) => child.stdout!.once('data', () => child.stdout!.destroy()),
  });
}

describe('engine writing to a pipe its reader closes', () => {
  it('export of a whole recording (250,329 ticks) stops quietly with exit code 0', async () => {
    const exit = await readFirstChunk(['export', 'data/sample/eurusd-fxcm-quotes.tkr']);
    expect(exit.stdout).toMatch(/^\{"kind":"quote","instrumentId":"EURUSD\.FXCM"/);
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
  });

  it('export as CSV stops quietly with exit code 0', async () => {
    const exit = await readFirstChunk(['export', 'data/sample/eurusd-fxcm-quotes.tkr', '--format', 'csv']);
    expect(exit.stdout).toMatch(/^ts_event,ts_init,bid,ask/);
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
  });

  it('any verb (report --json) exits 0 without a word when standard output is already closed', async () => {
    const db = join(dir, 'report.db');
    const run = await runEngine(['backtest', '--strategy', 'sma-cross', '--data', 'data/sample/eurusd-fxcm-quotes.tkr', '--to', '2014-05-05T00:10:00Z', '--db', db]);
    expect(run.code, run.stderr).toBe(0);
    const exit = await runEngine(['report', 'latest', '--db', db, '--json'], { onStart: (child) => child.stdout!.destroy() });
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
  });
});
