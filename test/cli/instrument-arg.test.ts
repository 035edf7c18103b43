/**
 * Instruments declared on the command line (`--instrument`), and the error for data of an instrument nobody declared,
 * which now says how to declare it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseInstrumentArg } from '../../engine/cli/prepare-backtest.js';
import { ConfigError } from '../../engine/config/config.js';

const ROOT = resolve(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'engine-instrument-arg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--instrument', () => {
  it('reads an instrument from ID,key=value pairs, with the venue from the id', () => {
    expect(parseInstrumentArg('NZDUSD.OANDA,tick=0.00001,step=1,base=NZD,symbol=NZD/USD,takerFee=0.0001')).toEqual({
      id: 'NZDUSD.OANDA', venue: 'OANDA', venueSymbol: 'NZD/USD', base: 'NZD', quote: 'USD', tickSize: 0.00001, stepSize: 1, takerFee: 0.0001,
    });
  });

  it('says what is missing or wrong, all at once', () => {
    let problems: readonly string[] = [];
    try {
      parseInstrumentArg('NZDUSD,tick=abc,color=red');
    } catch (e) {
      problems = (e as ConfigError).problems;
    }
    expect(problems).toEqual([
      '--instrument NZDUSD,tick=abc,color=red: the id must be SYMBOL.VENUE, e.g. NZDUSD.OANDA',
      expect.stringMatching(/unknown key color/),
      '--instrument NZDUSD,tick=abc,color=red: step= is required (the price tick and quantity step)',
      '--instrument NZDUSD,tick=abc,color=red: tick=abc is not a number of 0 or more',
    ]);
  });

  it('lets a backtest run on data of an instrument the config does not know, and says how when it is missing', () => {
    const csv = join(dir, 'nzd.csv');
    writeFileSync(csv, `ts,bid,ask\n${Array.from({ length: 200 }, (_, i) => `${Date.UTC(2014, 4, 6) + i * 1000},0.8712${i % 10},0.8713${i % 10}`).join('\n')}\n`);
    const run = (...extra: string[]) => spawnSync(process.execPath, [
      '--import', 'tsx', 'engine/cli/main.ts', 'backtest', '--strategy', 'flip-flop', '--params', '{"instrument":"NZDUSD.OANDA","quantity":1000}',
      '--data', `NZDUSD.OANDA=${csv}`, '--db', ':memory:', '--json', ...extra,
    ], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    const missing = run();
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/instrument NZDUSD\.OANDA is not among the configured instruments .*: declare it in the config's instruments \(data\/instruments\.json\) or on the command line, e\.g\. --instrument NZDUSD\.OANDA,tick=0\.01,step=1/);
    const declared = run('--instrument', 'NZDUSD.OANDA,tick=0.00001,step=1000');
    expect(declared.status, declared.stderr).toBe(0);
    expect(JSON.parse(declared.stdout)).toMatchObject({ ticks: 200, positionsVerified: true });
    expect((JSON.parse(declared.stdout) as { fills: number }).fills).toBeGreaterThan(0);
  });
});
