/**
 * Options are checked before any work: a wrong strategy name, worker count, sweep grid, param or date is one readable
 * line on stderr, no stack trace, exit code 2, and no backtest has started (no database, no run). Each case runs the
 * real CLI as a child process.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { expectOneLine, runEngine } from './engine-process.js';

const dir = mkdtempSync(join(tmpdir(), 'engine-usage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let dbs = 0;
/** A backtest of the first ten minutes of the sample recording into a database file of its own (returned). */
function backtest(...args: string[]): { args: string[]; db: string } {
  const db = join(dir, `run-${++dbs}.db`);
  return { db, args: ['backtest', '--data', 'data/sample/eurusd-fxcm-quotes.tkr', '--to', '2014-05-05T00:10:00Z', '--db', db, ...args] };
}

const runsIn = (db: string): Array<{ id: number; status: string }> => {
  const sqlite = new BetterSqlite3(db, { readonly: true });
  try {
    return sqlite.prepare('SELECT id, status FROM runs').all() as Array<{ id: number; status: string }>;
  } finally {
    sqlite.close();
  }
};

describe('engine with a wrong strategy name', () => {
  it('says the strategy is unknown, suggests the closest name and lists the known ones', async () => {
    const { args, db } = backtest('--strategy', 'sma-cros');
    expectOneLine(await runEngine(args), /^engine: .*strategy "sma-cros" is unknown: did you mean "sma-cross"\? The strategies in strategies\/ are deriv-contracts, flip-flop, minute-momentum, quoter, sma-cross/);
    expect(existsSync(db)).toBe(false);
  });

  it('suggests nothing when no name is close, and still lists the known ones', async () => {
    const exit = await runEngine(backtest('--strategy', 'zzz').args);
    expectOneLine(exit, /^engine: .*strategy "zzz" is unknown\. The strategies in strategies\/ are deriv-contracts, flip-flop, minute-momentum, quoter, sma-cross/);
    expect(exit.stderr).not.toMatch(/did you mean/);
  });
});

describe('engine backtest --sweep checks everything before the first run', () => {
  it('refuses --workers that is not a number', async () => {
    const { args, db } = backtest('--strategy', 'sma-cross', '--sweep', 'fast=5..20:5,slow=50,100', '--workers', 'abc');
    expectOneLine(await runEngine(args), /--workers <n>' argument 'abc' is invalid\. expected a whole number, 1 or more$/);
    expect(existsSync(db)).toBe(false);
  });

  it('refuses --workers 0', async () => {
    const { args, db } = backtest('--strategy', 'sma-cross', '--sweep', 'fast=5..20:5', '--workers', '0');
    expectOneLine(await runEngine(args), /--workers <n>' argument '0' is invalid\. expected a whole number, 1 or more$/);
    expect(existsSync(db)).toBe(false);
  });

  it('refuses a grid with values of the wrong type, naming every bad value, before any of its 24 runs', async () => {
    const { args, db } = backtest('--strategy', 'sma-cross', '--sweep', 'fast=5..20:5,slow=50..200:50,bogus,x');
    expectOneLine(await runEngine(args), /^engine: config is not valid: --sweep slow: expected a number, got "bogus"; --sweep slow: expected a number, got "x"$/);
    expect(existsSync(db)).toBe(false);
  });

  it('refuses a grid over a param the strategy does not have', async () => {
    const { args, db } = backtest('--strategy', 'sma-cross', '--sweep', 'fst=5..20:5,slow=50,100');
    expectOneLine(await runEngine(args), /^engine: config is not valid: --sweep fst: unknown param \(known: instrument, fast, slow, quantity\)$/);
    expect(existsSync(db)).toBe(false);
  });

  it('refuses a --from that is not a date', async () => {
    const { args, db } = backtest('--strategy', 'sma-cross', '--sweep', 'fast=5..20:5', '--from', 'yesterday');
    expectOneLine(await runEngine(args), /--from <date>' argument 'yesterday' is invalid\. expected an ISO date .* or epoch milliseconds$/);
    expect(existsSync(db)).toBe(false);
  });
});

describe('engine backtest and export dates', () => {
  it('refuses a day that does not exist (2014-02-30) instead of running to March 2', async () => {
    const { args, db } = backtest('--strategy', 'sma-cross', '--to', '2014-02-30');
    expectOneLine(await runEngine(args), /--to <date>' argument '2014-02-30' is invalid/);
    expect(existsSync(db)).toBe(false);
  });

  it('refuses an export --from that is not a date instead of exporting everything', async () => {
    const exit = await runEngine(['export', 'data/sample/eurusd-fxcm-quotes.tkr', '--from', 'last week', '--out', join(dir, 'out.csv')]);
    expectOneLine(exit, /--from <date>' argument 'last week' is invalid/);
    expect(existsSync(join(dir, 'out.csv'))).toBe(false);
  });
});

describe('engine backtest with a wrong param', () => {
  it('says so in one line before it creates a run (none is left "running" in the database)', async () => {
    const { args, db } = backtest('--strategy', 'sma-cross', '--params', '{"slow":"x"}');
    expectOneLine(await runEngine(args), /^engine: config is not valid: strategies\[0\]\.params\.slow: expected a number, got "x"$/);
    expect(existsSync(db) ? runsIn(db) : []).toEqual([]);
  });
});
