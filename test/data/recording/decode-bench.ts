/**
 * Write and decode rates of the recording format on the sample day (58k EUR/USD quotes), best of 15 runs (3 for writes):
 *   node --import tsx test/data/recording/decode-bench.ts
 * - raw: read + CRC + inflate + varints → typed columns (readChunks), no Tick objects
 * - ticks: readRecording, a Tick object per quote
 * - csv: readCsvTicks on the same day, for comparison
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readCsvTicks } from '../../../engine/data/csv-ticks.js';
import { createRecordingWriter, readChunks, readRecording, type Compression } from '../../../engine/data/recording/index.js';
import type { Quote } from '../../../engine/model/tick.js';
import { SAMPLE, sampleQuotes, sampleQuotesWithSizes } from './sample-ticks.js';

const RUNS = 15;
const best = (work: () => number, runs = RUNS): { ms: number; n: number } => {
  let ms = Infinity;
  let n = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    n = work();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, n };
};
const rate = ({ ms, n }: { ms: number; n: number }): string => `${(n / ms / 1000).toFixed(1)}M ticks/s (${ms.toFixed(1)} ms)`;

const dir = mkdtempSync(join(tmpdir(), 'recording-bench-'));
try {
  for (const [name, quotes] of [['no sizes', sampleQuotes()], ['with sizes', sampleQuotesWithSizes()]] as [string, Quote[]][]) {
    for (const compression of ['gzip', 'brotli'] as Compression[]) {
      const path = join(dir, `${name}-${compression}.tkr`);
      const write = best(() => {
        rmSync(path, { force: true });
        const w = createRecordingWriter(path, { compression, sync: false });
        for (const q of quotes) w.append(q);
        w.close();
        return quotes.length;
      }, 3);
      const raw = best(() => {
        let n = 0;
        for (const { chunk } of readChunks(path)) n += chunk.ticks;
        return n;
      });
      const ticks = best(() => {
        let n = 0;
        for (const _ of readRecording(path)) n++;
        return n;
      });
      console.log(`${name}, ${compression}: ${(statSync(path).size / quotes.length).toFixed(2)} B/quote, write ${rate(write)}, raw decode ${rate(raw)}, ticks ${rate(ticks)}`);
    }
  }
  console.log(`csv: ${rate(best(() => {
    let n = 0;
    for (const _ of readCsvTicks(SAMPLE, 'EURUSD.FXCM')) n++;
    return n;
  }))}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
