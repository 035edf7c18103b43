/**
 * What the operator sees when `engine` cannot start: one readable line on stderr that names what to fix, exit code 2,
 * and no stack trace — for a database file that is not SQLite, missing credentials, a venue that is not running and a
 * recording that is damaged. Each case runs the real CLI as a child process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deadPort } from '../net/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'engine-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CREDENTIALS = { APIFINY_ACCOUNT_ID: 'STA-00000001', APIFINY_KEY_ID: 'key', APIFINY_SECRET: 'secret-0123456789' };

interface Exit {
  readonly code: number | null;
  /** stderr lines other than the engine's JSON log lines. */
  readonly lines: string[];
  readonly stderr: string;
}

/** Runs `engine <args>` in the repo with the given environment (no APIFINY_* from the parent). */
function engine(args: string[], env: Record<string, string> = {}): Promise<Exit> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('APIFINY_')));
  const child = spawn(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', ...args], { env: { ...base, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  return new Promise((resolve) => {
    child.on('close', (code) => resolve({ code, stderr, lines: stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{"level"')) }));
  });
}

function expectOneClearLine(exit: Exit, says: RegExp): void {
  expect(exit.code).toBe(2);
  expect(exit.lines).toEqual([expect.stringMatching(says)]);
  expect(exit.stderr).not.toMatch(/^\s+at /m);
}

describe('engine at start', () => {
  it('says in one line that a database file is not SQLite', async () => {
    const db = join(dir, 'garbage.db');
    writeFileSync(db, 'these are notes, not a database\n'.repeat(200));
    const exit = await engine(['live', '--config', 'adapters/apifiny/demo.config.ts', '--db', db], CREDENTIALS);
    expectOneClearLine(exit, new RegExp(`^engine: ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a SQLite database .*Point storage at a new file`));
  });

  it('says in one line which credentials are missing', async () => {
    const exit = await engine(['live', '--config', 'adapters/apifiny/demo.config.ts', '--db', join(dir, 'creds.db')], { APIFINY_ACCOUNT_ID: 'STA-00000001', APIFINY_KEY_ID: 'key' });
    expectOneClearLine(exit, /^engine: apifiny adapter options: environment variable APIFINY_SECRET is not set$/);
  });

  it('says in one line that the venue could not be reached, and where', async () => {
    const port = await deadPort();
    const config = join(dir, 'unreachable.config.mjs');
    writeFileSync(config, `export default ${JSON.stringify({
      mode: 'live',
      strategies: [{ use: 'quoter', params: { instrument: 'BTCUSD.VENUE1', halfSpread: 2, size: 0.01 } }],
      venues: {
        apifiny: {
          adapter: 'apifiny',
          options: { restBaseUrl: `http://127.0.0.1:${port}/ac/v2/VENUE1`, mdWsUrl: `ws://127.0.0.1:${port}/md/ws/v1`, userWsBaseUrl: `ws://127.0.0.1:${port}/ac/ws/v2`, venue: 'VENUE1', requestTimeoutMs: 2_000 },
        },
      },
      storage: { path: join(dir, 'unreachable.db') },
      log: { level: 'error' },
    })};\n`);
    const exit = await engine(['live', '--config', config], CREDENTIALS);
    expectOneClearLine(exit, new RegExp(`^engine: apifiny: could not reach the venue at http://127\\.0\\.0\\.1:${port}/ac/v2/VENUE1: check that it is running`));
  });

  it('calls a .tkr file with a bad magic a damaged recording, not a CSV file', async () => {
    const file = join(dir, 'bad.tkr');
    writeFileSync(file, 'ts,bid,ask\n1,1.1,1.2\n');
    const exit = await engine(['backtest', '--data', file, '--db', join(dir, 'bt.db')]);
    expectOneClearLine(exit, new RegExp(`^engine: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a tick recording`));
  });
});
