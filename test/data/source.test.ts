import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../../engine/data/csv-ticks.js';
import { instrumentsOf, openTicks } from '../../engine/data/source.js';
import { createRecordingWriter } from '../../engine/data/recording/index.js';

const dir = mkdtempSync(join(tmpdir(), 'engine-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const QUOTE = { kind: 'quote', instrumentId: 'EURUSD.FXCM', tsEvent: 1, tsInit: 1, bid: 1.1, ask: 1.1002 } as const;

describe('backtest data sources', () => {
  it('reads a .tkr file whose magic is damaged as a recording, and says it is not one, instead of reading it as CSV', () => {
    const file = join(dir, 'damaged.tkr');
    writeFileSync(file, 'ts,bid,ask\n1,1.1,1.2\n');
    const read = () => [...openTicks([{ file, instrument: 'EURUSD.FXCM' }])];
    expect(read).toThrow(DataError);
    expect(read).toThrow(`${file}: not a tick recording`);
    expect(instrumentsOf({ file, instrument: 'EURUSD.FXCM' }, () => ['read from the recording'])).toEqual(['read from the recording']);
  });

  it('still knows a recording by its magic whatever its name', () => {
    const file = join(dir, 'quotes.bin');
    const w = createRecordingWriter(file);
    w.append(QUOTE);
    w.close();
    expect([...openTicks([{ file }])]).toEqual([QUOTE]);
  });

  it('still reads a CSV file named .csv as CSV', () => {
    const file = join(dir, 'quotes.csv');
    writeFileSync(file, 'ts,bid,ask\n1,1.1,1.1002\n');
    expect([...openTicks([{ file, instrument: 'EURUSD.FXCM' }])]).toEqual([expect.objectContaining({ kind: 'quote', bid: 1.1, ask: 1.1002 })]);
  });
});
