/**
 * The level a command logs at: `--log-level` on any verb > `LOG_LEVEL` > the config's `log.level` > the verb's default
 * (info for paper, live and record; warn for backtests). A wrong value is one line and exit 2. The CLI cases run the
 * real `engine` as a child process on the first two hours of the sample EUR/USD recording.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LOG_LEVEL, resolveLogLevel, setLogLevelFlag } from '../../engine/cli/log-level.js';
import { ConfigError } from '../../engine/config/config.js';

describe('resolveLogLevel', () => {
  afterEach(() => setLogLevelFlag(undefined));

  it('takes the verb\'s default when nothing is set: info for sessions, warn for backtests', () => {
    expect(resolveLogLevel(undefined, DEFAULT_LOG_LEVEL.session, {})).toBe('info');
    expect(resolveLogLevel(undefined, DEFAULT_LOG_LEVEL.backtest, {})).toBe('warn');
  });

  it('takes the config\'s log.level over the verb\'s default', () => {
    expect(resolveLogLevel('debug', 'warn', {})).toBe('debug');
  });

  it('takes LOG_LEVEL over the config, in any case and with spaces', () => {
    expect(resolveLogLevel('debug', 'warn', { LOG_LEVEL: ' Error ' })).toBe('error');
  });

  it('counts an empty LOG_LEVEL as not set', () => {
    expect(resolveLogLevel('debug', 'warn', { LOG_LEVEL: '' })).toBe('debug');
  });

  it('takes --log-level over LOG_LEVEL and the config', () => {
    setLogLevelFlag('trace');
    expect(resolveLogLevel('debug', 'warn', { LOG_LEVEL: 'error' })).toBe('trace');
  });

  it('refuses a LOG_LEVEL that is not a level, naming the levels', () => {
    expect(() => resolveLogLevel('info', 'info', { LOG_LEVEL: 'verbose' })).toThrow(ConfigError);
    expect(() => resolveLogLevel('info', 'info', { LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL[\s\S]*"verbose" is not one of trace, debug, info, warn, error, fatal, silent/);
  });
});

const dir = mkdtempSync(join(tmpdir(), 'engine-log-level-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Exit {
  readonly code: number | null;
  readonly stderr: string;
  /** stderr lines that are JSON log lines, parsed. */
  readonly logs: Record<string, unknown>[];
}

/** `engine <args>` in the repo, stderr piped (so JSON lines), with LOG_LEVEL only as given. */
function engine(args: string[], env: Record<string, string> = {}): Promise<Exit> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'LOG_LEVEL'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', ...args], { env: { ...base, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  return new Promise((resolve) => {
    child.on('close', (code) => resolve({
      code,
      stderr,
      logs: stderr.split('\n').filter((l) => l.startsWith('{"level"')).map((l) => JSON.parse(l) as Record<string, unknown>),
    }));
  });
}

const FROM = '2014-05-05T00:00:00Z';
const TO = '2014-05-05T02:00:00Z';
const BACKTEST = [
  'backtest', '--strategy', 'sma-cross', '--params', '{"instrument":"EURUSD.FXCM","quantity":10000,"fast":20,"slow":100}',
  '--data', 'data/sample/eurusd-fxcm-quotes.tkr', '--to', TO, '--db', ':memory:',
];

describe('engine --log-level and LOG_LEVEL', () => {
  it('says in one line, exit 2, that --log-level has a wrong value, on any verb and before the verb', async () => {
    for (const args of [[...BACKTEST, '--log-level', 'verbose'], ['--log-level', 'verbose', 'report', 'latest']]) {
      const exit = await engine(args);
      expect(exit.code).toBe(2);
      expect(exit.stderr).toBe('engine: --log-level is not valid: "verbose" is not one of trace, debug, info, warn, error, fatal, silent\n');
    }
  });

  it('says in one line, exit 2, that LOG_LEVEL has a wrong value', async () => {
    const exit = await engine(BACKTEST, { LOG_LEVEL: 'loud' });
    expect(exit.code).toBe(2);
    expect(exit.stderr).toBe('engine: LOG_LEVEL is not valid: "loud" is not one of trace, debug, info, warn, error, fatal, silent\n');
  });

  it('keeps a backtest quiet by default, and LOG_LEVEL=info shows the strategy\'s info lines as JSON, each at its engine time', async () => {
    const quiet = await engine(BACKTEST);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');

    const info = await engine(BACKTEST, { LOG_LEVEL: 'info' });
    expect(info.code).toBe(0);
    expect(info.logs).toContainEqual(expect.objectContaining({ level: 30, strategy: 'sma-cross', msg: 'strategy stopped' }));
    for (const line of info.logs) {
      expect(line.engineTime, JSON.stringify(line)).toMatch(/^2014-05-05T0[01]:\d\d:\d\d\.\d{3}Z$/);
      expect((line.engineTime as string) >= FROM && (line.engineTime as string) < TO).toBe(true);
    }
  });

  it('takes --log-level over LOG_LEVEL', async () => {
    const exit = await engine([...BACKTEST, '--log-level', 'warn'], { LOG_LEVEL: 'info' });
    expect(exit.code).toBe(0);
    expect(exit.logs).toEqual([]);
  });

  it('gives the level to a sweep\'s worker threads too', async () => {
    const exit = await engine([...BACKTEST.filter((a) => a !== ':memory:' && a !== '--db'), '--db', join(dir, 'sweep.db'), '--sweep', 'fast=10,20', '--workers', '2', '--log-level', 'info']);
    expect(exit.code).toBe(0);
    expect(exit.logs.filter((l) => l.msg === 'strategy stopped')).toHaveLength(2);
  });
});
