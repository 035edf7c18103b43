import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingFile } from '../../../engine/data/recording/chunk-file.js';
import { crc32, tableCrc32 } from '../../../engine/data/recording/crc32.js';
import { columnBytes, readChunks } from '../../../engine/data/recording/index.js';
import { mixedTicks, prng, sampleQuotes, tempDir, writeRecording } from './fixtures.js';

const dir = tempDir();

/** The sample day, written once for the tests that only read it. */
let sampleDir = '';
let samplePath = '';
beforeAll(() => {
  sampleDir = mkdtempSync(join(tmpdir(), 'recording-sample-'));
  samplePath = join(sampleDir, 'eurusd.tkr');
  writeRecording(samplePath, sampleQuotes());
});
afterAll(() => rmSync(sampleDir, { recursive: true, force: true }));

describe('columnar decoding', () => {
  it('holds a decoded chunk of 50k quotes in at most 40 bytes a tick, with or without sizes', () => {
    const quotes = sampleQuotes().slice(0, 50_000);
    const plain = samplePath;
    const sized = join(dir(), 'sized.tkr');
    writeRecording(sized, quotes.map((q, i) => ({ kind: 'quote', instrumentId: q.instrumentId, tsEvent: q.tsEvent, tsInit: q.tsInit, bid: q.bid, ask: q.ask, bidSize: 1e6 + (i % 7) * 1e5, askSize: 2.5 })));
    for (const path of [plain, sized]) {
      const first = readChunks(path).next();
      expect(first.done).toBe(false);
      const { chunk } = first.value!;
      expect(chunk.ticks).toBe(50_000);
      expect(columnBytes(chunk) / chunk.ticks).toBeLessThanOrEqual(40);
    }
    // tsEvent + tsInit as float64, bid and ask as int32 at scale 5: 24 bytes; sizes add a flag byte and two int32s.
    expect(columnBytes(readChunks(plain).next().value!.chunk) / 50_000).toBe(24);
    expect(columnBytes(readChunks(sized).next().value!.chunk) / 50_000).toBe(33);
  });

  it('gives every column its own memory, so a decoded chunk does not pin the decompressed payload', () => {
    const path = join(dir(), 'own.tkr');
    writeRecording(path, mixedTicks(700));
    const { chunk } = readChunks(path).next().value!;
    const arrays = [chunk.kind, chunk.instrument, chunk.tsEvent.data, chunk.quotes?.sizeFlags, chunk.quotes?.bid.data, chunk.trades?.flags, chunk.books?.start, chunk.bars?.close.data];
    expect(arrays.every((a) => a !== undefined)).toBe(true);
    for (const a of arrays) expect(a!.buffer.byteLength).toBe(a!.byteLength);
  });

  it('keeps the quote columns as scaled integers that give back the exact prices', () => {
    const quotes = sampleQuotes();
    const path = join(dir(), 'cols.tkr');
    writeRecording(path, quotes.slice(0, 1_000));
    const { chunk } = readChunks(path).next().value!;
    const q = chunk.quotes!;
    expect(q.bid.data).toBeInstanceOf(Int32Array);
    expect(q.bid.div).toBe(1e5);
    expect(q.bid.data[0]).toBe(138756);
    for (let i = 0; i < 1_000; i++) expect(q.ask.data[i]! / q.ask.div).toBe(quotes[i]!.ask);
  });

  it('decodes raw quote columns at well over a million quotes a second', () => {
    const quotes = sampleQuotes();
    const path = samplePath;
    let best = Infinity;
    for (let run = 0; run < 3; run++) {
      const t0 = performance.now();
      let n = 0;
      for (const { chunk } of readChunks(path)) n += chunk.quotes!.count;
      best = Math.min(best, performance.now() - t0);
      expect(n).toBe(quotes.length);
    }
    // A loose floor that only a gross regression trips (measured ~15M quotes/s; see decode-bench.ts).
    expect(quotes.length / (best / 1000)).toBeGreaterThan(1_000_000);
  });

  it('reads only the chunks in range when replaying from a time', () => {
    const quotes = sampleQuotes().slice(0, 5_000);
    const path = join(dir(), 'skip.tkr');
    writeRecording(path, quotes, { chunkTicks: 1_000 });
    const from = quotes[3_500]!.tsInit;
    const offsets = [...readChunks(path, { from })].map(({ entry }) => entry.offset);
    const file = new RecordingFile(path);
    const all = [...file.chunks()].map((e) => e.offset);
    file.close();
    expect(offsets).toEqual(all.slice(3));
  });

  it('computes the same CRC-32 natively and with the table fallback', () => {
    const rnd = prng(3);
    const data = new Uint8Array(10_000).map(() => Math.floor(rnd() * 256));
    expect(tableCrc32(data)).toBe(crc32(data));
    expect(tableCrc32(data.subarray(5_000), tableCrc32(data.subarray(0, 5_000)))).toBe(crc32(data));
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
});
