import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPrepared } from '../../engine/cli/backtest-command.js';
import { prepareBacktest, resolveBacktestConfig } from '../../engine/cli/prepare-backtest.js';
import { ConfigError } from '../../engine/config/config.js';
import { readCsvTicks } from '../../engine/data/csv-ticks.js';
import { between } from '../../engine/data/merge.js';
import { createRecordingWriter } from '../../engine/data/recording/index.js';
import { loadEvents, loadFills, openDatabase } from '../../engine/persistence/index.js';

const CSV = 'data/sample/eurusd-fxcm-20140505.quotes.csv.gz';
const FROM = Date.UTC(2014, 4, 5, 6);
const TO = Date.UTC(2014, 4, 5, 9);
const dir = mkdtempSync(join(tmpdir(), 'engine-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(data: string[], db: string) {
  const config = await resolveBacktestConfig({ config: 'engine.config.ts', strategy: 'flip-flop', data, db, from: String(FROM), to: String(TO) });
  const summary = await runPrepared(await prepareBacktest(config));
  const d = openDatabase(db);
  const out = {
    summary,
    events: loadEvents(d, summary.runId).map((e) => e.event),
    fills: loadFills(d, summary.portfolioId).map(({ id: _id, ...f }) => f),
  };
  d.close();
  return out;
}

describe('backtest data sources', () => {
  it('replays a recording made in several appending sessions exactly like the CSV it came from', async () => {
    const rec = join(dir, 'eurusd.tkr');
    const ticks = [...between(readCsvTicks(CSV, 'EURUSD.FXCM'), FROM, TO)];
    const third = Math.floor(ticks.length / 3);
    for (const part of [ticks.slice(0, third), ticks.slice(third, 2 * third), ticks.slice(2 * third)]) {
      const w = createRecordingWriter(rec, { chunkTicks: 1_000 });
      for (const t of part) w.append(t);
      w.close();
    }
    const fromCsv = await run([`EURUSD.FXCM=${CSV}`], join(dir, 'a.db'));
    const fromRecording = await run([rec], join(dir, 'b.db'));
    expect(fromCsv.summary.ticks).toBe(ticks.length);
    expect(fromCsv.summary.fills).toBeGreaterThan(10);
    expect(fromRecording.summary.ticks).toBe(fromCsv.summary.ticks);
    expect(JSON.stringify(fromRecording.events)).toBe(JSON.stringify(fromCsv.events));
    expect(JSON.stringify(fromRecording.fills)).toBe(JSON.stringify(fromCsv.fills));
  });

  it('expands a glob of recordings and refuses one that matches nothing', async () => {
    const ticks = [...between(readCsvTicks(CSV, 'EURUSD.FXCM'), FROM, TO)];
    const half = Math.floor(ticks.length / 2);
    for (const [name, part] of [['p1.tkr', ticks.slice(0, half)], ['p2.tkr', ticks.slice(half)]] as const) {
      const w = createRecordingWriter(join(dir, name));
      for (const t of part) w.append(t);
      w.close();
    }
    const globbed = await run([join(dir, 'p*.tkr')], join(dir, 'c.db'));
    expect(globbed.summary.ticks).toBe(ticks.length);
    await expect(run([join(dir, 'none*.tkr')], join(dir, 'd.db'))).rejects.toThrow(/no file matches/);
  });

  it('refuses a recording whose instruments the config does not know', async () => {
    const rec = join(dir, 'other.tkr');
    const w = createRecordingWriter(rec);
    w.append({ kind: 'trade', instrumentId: 'XYZ.NOWHERE', tsEvent: FROM, tsInit: FROM, price: 1, size: 1 });
    w.close();
    await expect(run([rec], join(dir, 'e.db'))).rejects.toThrow(ConfigError);
    await expect(run([rec], join(dir, 'e.db'))).rejects.toThrow(/instrument XYZ\.NOWHERE is not among the configured instruments/);
  });
});
