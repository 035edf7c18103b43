import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPrepared } from '../../engine/cli/backtest-command.js';
import { prepareBacktest, resolveBacktestConfig } from '../../engine/cli/prepare-backtest.js';
import { recordCommand, sessionCommand } from '../../engine/cli/session-command.js';
import { readInstrumentSidecar } from '../../engine/data/instrument-sidecar.js';
import { recordingInfo } from '../../engine/data/recording/index.js';
import { loadFills, openDatabase } from '../../engine/persistence/index.js';

const CONFIG = 'test/fixtures/fake-venue.config.ts';
const dir = mkdtempSync(join(tmpdir(), 'engine-session-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('engine paper / live / record on a venue adapter', () => {
  for (const mode of ['paper', 'live'] as const) {
    it(`${mode}: runs strategies on the adapter's feed for --duration, then stops, stores and summarises`, async () => {
      const lines: string[] = [];
      const db = join(dir, `${mode}.db`);
      const code = await sessionCommand(mode, { config: CONFIG, db, duration: '0.6' }, (s) => void lines.push(s));
      const text = lines.join('\n');
      expect(code).toBe(0);
      expect(text).toMatch(new RegExp(`${mode} session \\d+ running on FAKE`));
      expect(text).toMatch(/positions verified against stored fills: ok/);
      const d = openDatabase(db);
      // paper keeps a portfolio of its own (default-paper): its simulated fills never sit in the live one
      expect(loadFills(d, mode === 'paper' ? 'default-paper' : 'default').length).toBeGreaterThan(0);
      expect(loadFills(d, mode === 'paper' ? 'default' : 'default-paper')).toEqual([]);
      d.close();
    });
  }

  it('records the feed into a recording that engine backtest replays', async () => {
    const rec = join(dir, 'fake.tkr');
    const lines: string[] = [];
    await recordCommand({ config: CONFIG, out: rec, duration: '0.5' }, (s) => void lines.push(s));
    const info = recordingInfo(rec);
    expect(info.ticks).toBeGreaterThan(10);
    expect(info.instruments).toEqual(['BTCUSD.FAKE']);
    // the venue's instrument specs travel with the recording
    expect(readInstrumentSidecar(rec)).toEqual([expect.objectContaining({ id: 'BTCUSD.FAKE', tickSize: 0.01, stepSize: 0.001 })]);
    const config = await resolveBacktestConfig({ config: CONFIG, data: [rec], db: join(dir, 'bt.db') });
    const summary = await runPrepared(await prepareBacktest({ ...config, mode: 'backtest' }));
    expect(summary.ticks).toBe(info.ticks);
    expect(summary.positionsVerified).toBe(true);
  });
});
