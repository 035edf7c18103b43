import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPrepared } from '../../engine/cli/backtest-command.js';
import { exportCommand, importCommand, parseMap } from '../../engine/cli/import-command.js';
import { prepareBacktest, resolveBacktestConfig } from '../../engine/cli/prepare-backtest.js';
import { ConfigError } from '../../engine/config/config.js';
import { DataError } from '../../engine/data/csv-ticks.js';
import { readRecording } from '../../engine/data/recording/index.js';

const dir = mkdtempSync(join(tmpdir(), 'engine-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const lines: string[] = [];
const out = (s: string) => void lines.push(s);

async function backtest(strategy: string, data: string, params?: Record<string, unknown>) {
  const config = await resolveBacktestConfig({ config: 'engine.config.ts', strategy, data: [data], db: ':memory:', ...(params ? { params: JSON.stringify(params) } : {}) });
  return runPrepared(await prepareBacktest(config));
}

describe('engine import', () => {
  it('reads --map as column=field', () => {
    expect(parseMap('time=ts,b=bid, a=ask')).toEqual({ ts: 'time', bid: 'b', ask: 'a' });
    expect(() => parseMap('time')).toThrow(ConfigError);
  });

  it('imports CSV bars from outside and backtests them', async () => {
    const csv = join(dir, 'btc-bars.csv');
    const rows = ['time,o,h,l,c,v'];
    let price = 7_400;
    for (let i = 0; i < 300; i++) {
      const o = price;
      price += ((i * 7919) % 13) - 6; // a deterministic wiggle
      rows.push(`${Date.UTC(2018, 3, 4) + i * 60_000},${o},${Math.max(o, price) + 2},${Math.min(o, price) - 2},${price},${(i % 5) + 1}`);
    }
    writeFileSync(csv, rows.join('\n'));
    const rec = join(dir, 'btc-bars.tkr');
    expect(importCommand(csv, { kind: 'bars', instrument: 'BTCUSD.COINBASE', out: rec, map: 'time=ts,o=open,h=high,l=low,c=close,v=volume' }, out)).toBe(0);
    const bars = [...readRecording(rec)];
    expect(bars).toHaveLength(300);
    expect(bars[0]).toMatchObject({ kind: 'bar', open: 7_400, tsEvent: Date.UTC(2018, 3, 4) + 60_000, periodMs: 60_000 });
    const summary = await backtest('test/fixtures/bar-breakout.ts', rec);
    expect(summary.ticks).toBe(300);
    expect(summary.fills).toBeGreaterThan(2);
    expect(summary.positionsVerified).toBe(true);
  });

  it('imports NDJSON quotes with seconds timestamps and backtests them', async () => {
    const nd = join(dir, 'eurusd.ndjson');
    const rows: string[] = [];
    for (let i = 0; i < 2_000; i++) {
      const bid = (1.1 + ((i * 37) % 200) / 100_000).toFixed(5);
      rows.push(JSON.stringify({ t: 1_600_000_000 + i, b: Number(bid), a: Number((Number(bid) + 0.00002).toFixed(5)) }));
    }
    writeFileSync(nd, rows.join('\n'));
    const rec = join(dir, 'eurusd-nd.tkr');
    importCommand(nd, { kind: 'quotes', instrument: 'EURUSD.FXCM', out: rec, map: 't=ts,b=bid,a=ask', tsUnit: 's' }, out);
    const first = [...readRecording(rec)][0];
    expect(first).toMatchObject({ kind: 'quote', tsEvent: 1_600_000_000_000, bid: 1.1, ask: 1.10002 });
    const summary = await backtest('flip-flop', rec);
    expect(summary.ticks).toBe(2_000);
    expect(summary.fills).toBeGreaterThan(0);
  });

  it('stops at a bad row naming the file and line, or counts it with --skip-bad', () => {
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, 'ts,bid,ask\n1000,1.1,1.2\n2000,abc,1.2\n3000,1.1,1.2\n');
    expect(() => importCommand(csv, { kind: 'quotes', instrument: 'EURUSD.FXCM', out: join(dir, 'bad.tkr') }, out)).toThrow(DataError);
    expect(() => importCommand(csv, { kind: 'quotes', instrument: 'EURUSD.FXCM', out: join(dir, 'bad2.tkr') }, out)).toThrow(/bad\.csv:3: .*bid/);
    lines.length = 0;
    importCommand(csv, { kind: 'quotes', instrument: 'EURUSD.FXCM', out: join(dir, 'skipped.tkr'), skipBad: true }, out);
    expect(lines.join('\n')).toMatch(/wrote 2 ticks/);
    expect(lines.join('\n')).toMatch(/skipped 1 bad rows/);
  });

  it('refuses a corrupt recording at backtest time, naming the file and the byte offset', async () => {
    const rec = join(dir, 'corrupt.tkr');
    importCommand('data/sample/eurusd-fxcm-20140505.quotes.csv.gz', { kind: 'quotes', instrument: 'EURUSD.FXCM', out: rec }, out);
    const bytes = readFileSync(rec);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 100) ^ 0xff, bytes.length - 100);
    writeFileSync(rec, bytes);
    await expect(backtest('flip-flop', rec)).rejects.toThrow(/corrupt\.tkr: chunk at byte \d+: payload CRC mismatch/);
  });
});

describe('engine export', () => {
  it('writes a recording out as CSV that imports back to the same ticks', async () => {
    const csv = join(dir, 'ibm-trades.csv');
    await exportCommand(['data/sample/ibm-20131007-trades.tkr'], { out: csv }, out);
    const back = join(dir, 'ibm-back.tkr');
    importCommand(csv, { kind: 'trades', instrument: 'IBM.US', out: back }, out);
    expect(JSON.stringify([...readRecording(back)])).toBe(JSON.stringify([...readRecording('data/sample/ibm-20131007-trades.tkr')]));
  });
});
