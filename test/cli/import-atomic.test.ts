/**
 * `engine import` of Lean files by their own names (the day anywhere in the file or zip entry name), all or nothing
 * (a failed import leaves the recording as it was, so a retry does not append twice), and in time order (an import
 * that would go back before the recording's last tick is refused, saying where).
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCommand } from '../../engine/cli/import-command.js';
import { leanDateOf } from '../../engine/data/import/index.js';
import { readRecording, recordingInfo } from '../../engine/data/recording/index.js';
import { makeZip } from '../data/import/zip-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'engine-import-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const quiet = (): void => undefined;
/** Lean fx quotes: ms since midnight, bid, ask. */
const LEAN_ROWS = '339,1.38715,1.38718\n1339,1.38716,1.38719\n2339,1.38717,1.3872\n';

describe('Lean file names', () => {
  it('reads the day from anywhere in the name, as Lean names it (forex_oanda_tick_nzdusd_20140506_quote.zip)', () => {
    expect(leanDateOf('forex_oanda_tick_nzdusd_20140506_quote.zip')).toBe('2014-05-06');
    expect(leanDateOf('/data/lean/forex/oanda/tick/nzdusd/20140506_quote.zip')).toBe('2014-05-06');
    expect(leanDateOf('x.zip!20140506_nzdusd_tick_quote.csv')).toBe('2014-05-06');
    expect(leanDateOf('trades_12345678_20140506.zip')).toBe('2014-05-06'); // 12345678 is no day
    expect(leanDateOf('nzdusd.zip')).toBeUndefined();
  });

  it('imports a Lean zip whose day is in the middle of its name, or only in its entry\'s name', () => {
    const named = join(dir, 'forex_oanda_tick_nzdusd_20140506_quote.zip');
    writeFileSync(named, makeZip([{ name: '20140506_nzdusd_tick_quote.csv', data: LEAN_ROWS }]));
    const out = join(dir, 'nzdusd.tkr');
    expect(importCommand(named, { preset: 'fx-quote', instrument: 'NZDUSD.OANDA', out }, quiet)).toBe(0);
    const entryOnly = join(dir, 'nzdusd-may.zip');
    writeFileSync(entryOnly, makeZip([{ name: '20140507_nzdusd_tick_quote.csv', data: LEAN_ROWS }]));
    expect(importCommand(entryOnly, { preset: 'fx-quote', instrument: 'NZDUSD.OANDA', out }, quiet)).toBe(0);
    const days = [...readRecording(out)].map((t) => new Date(t.tsEvent).toISOString());
    expect(days).toEqual([
      '2014-05-06T00:00:00.339Z', '2014-05-06T00:00:01.339Z', '2014-05-06T00:00:02.339Z',
      '2014-05-07T00:00:00.339Z', '2014-05-07T00:00:01.339Z', '2014-05-07T00:00:02.339Z',
    ]);
  });

  it('says to pass --date when no name has a day', () => {
    const nameless = join(dir, 'nzdusd.zip');
    writeFileSync(nameless, makeZip([{ name: 'nzdusd_tick_quote.csv', data: LEAN_ROWS }]));
    expect(() => importCommand(nameless, { preset: 'fx-quote', instrument: 'NZDUSD.OANDA', out: join(dir, 'none.tkr') }, quiet))
      .toThrow(/cannot read the day from the file or zip entry name .* \(--date on the command line\)/);
    expect(existsSync(join(dir, 'none.tkr'))).toBe(false);
    expect(importCommand(nameless, { preset: 'fx-quote', instrument: 'NZDUSD.OANDA', date: '2014-05-08', out: join(dir, 'dated.tkr') }, quiet)).toBe(0);
    expect(recordingInfo(join(dir, 'dated.tkr')).from).toBe(Date.UTC(2014, 4, 8) + 339);
  });
});

describe('a failed import', () => {
  const good = join(dir, 'good.csv');
  const bad = join(dir, 'bad.csv');
  writeFileSync(good, 'ts,bid,ask\n1399248003074,1.38756,1.38758\n1399248004074,1.38757,1.38759\n');
  // 20,000 good rows (more than a chunk), then a bad one: part of it was written before the failure
  writeFileSync(bad, `ts,bid,ask\n${Array.from({ length: 20_000 }, (_, i) => `${1399248005074 + i},1.3876,1.38762`).join('\n')}\n1399248030000,oops,1.3\n`);
  const args = (out: string) => ({ kind: 'quotes', instrument: 'EURUSD.FXCM', out });

  it('leaves an existing recording as it was, so the retry after the fix does not append twice', () => {
    const out = join(dir, 'eurusd.tkr');
    importCommand(good, args(out), quiet);
    const size = statSync(out).size;
    expect(() => importCommand(bad, args(out), quiet)).toThrow(/bad\.csv:20002: .*\nnothing was imported: .*eurusd\.tkr is as it was before/);
    expect(statSync(out).size).toBe(size);
    expect(recordingInfo(out).ticks).toBe(2);
  });

  it('leaves no file when there was none', () => {
    const out = join(dir, 'fresh.tkr');
    expect(() => importCommand(bad, args(out), quiet)).toThrow(/nothing was imported: no .*fresh\.tkr was written/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses ticks earlier than the recording\'s last, pointing at both, and writes none of them', () => {
    const out = join(dir, 'later.tkr');
    const later = join(dir, 'later.csv');
    writeFileSync(later, 'ts,bid,ask\n1399334400000,1.39,1.3901\n');
    importCommand(later, args(out), quiet);
    const size = statSync(out).size;
    expect(() => importCommand(good, args(out), quiet)).toThrow(
      /good\.csv: a tick at 2014-05-05T00:00:03\.074Z is earlier than 2014-05-06T00:00:00\.000Z, the last one already in .*later\.tkr: a recording must be in time order/,
    );
    expect(statSync(out).size).toBe(size);
  });
});

describe('the import progress line', () => {
  it('shows rows, ticks, rows a second and the latest tick time on a terminal, and nothing on a pipe', async () => {
    const { fakeStream } = await import('../log/fake-terminal.js');
    const { importProgress } = await import('../../engine/cli/import-command.js');
    const tty = fakeStream(true);
    const stats = { rows: 0, ticks: 0 };
    const p = importProgress(stats, tty)!;
    Object.assign(stats, { rows: 8_192, ticks: 8_190 });
    await new Promise((r) => setTimeout(r, 300));
    p.tick(Date.UTC(2014, 4, 5, 2, 57, 29));
    expect(tty.screen()).toEqual([expect.stringMatching(/^ {2}importing: 8,192 rows, 8,190 ticks, [\d,]+ rows\/s · at 2014-05-05 02:57:29 UTC$/)]);
    p.done();
    expect(tty.screen()).toEqual([]);
    expect(importProgress(stats, fakeStream(false))).toBeUndefined();
  });
});
