import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../../engine/data/csv-ticks.js';
import { RecordingFile } from '../../../engine/data/recording/chunk-file.js';
import { crc32 } from '../../../engine/data/recording/crc32.js';
import { encodeChunk } from '../../../engine/data/recording/encode-chunk.js';
import { CODEC_GZIP, encodeChunkHeader, fileHeader } from '../../../engine/data/recording/format.js';
import { createRecordingWriter, isRecording, readRecording, recordingInfo, replayRecordings } from '../../../engine/data/recording/index.js';
import { expectSameTicks, mixedTicks, tempDir, writeRecording } from './fixtures.js';

const dir = tempDir();

/** A recording of 1,000 mixed ticks in 4 chunks of 250, and the byte offsets of its chunks. */
function recording(name = 'day.tkr'): { path: string; ticks: ReturnType<typeof mixedTicks>; offsets: number[]; ends: number[] } {
  const ticks = mixedTicks(1_000);
  const path = join(dir(), name);
  writeRecording(path, ticks, { chunkTicks: 250 });
  const file = new RecordingFile(path);
  const entries = [...file.chunks()];
  file.close();
  return { path, ticks, offsets: entries.map((e) => e.offset), ends: entries.map((e) => e.end) };
}

function flipByte(path: string, at: number): void {
  const b = readFileSync(path);
  b[at] = b[at]! ^ 0x5a;
  writeFileSync(path, b);
}

function readAll(path: string): { ticks: ReturnType<typeof mixedTicks>; warnings: string[] } {
  const warnings: string[] = [];
  return { ticks: [...readRecording(path, { onWarning: (m) => warnings.push(m) })], warnings };
}

describe('damaged recordings', () => {
  it('replays every complete chunk of a file cut mid-chunk and warns with the file name', () => {
    const { path, ticks, offsets, ends } = recording();
    truncateSync(path, offsets[3]! + Math.floor((ends[3]! - offsets[3]!) / 2));
    const { ticks: back, warnings } = readAll(path);
    expectSameTicks(back, ticks.slice(0, 750));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(path);
    expect(warnings[0]).toContain(`at byte ${offsets[3]}`);
    expect(warnings[0]).toContain('750 ticks before it were kept');
    expect(recordingInfo(path)).toMatchObject({ chunks: 3, ticks: 750, truncated: { offset: offsets[3] } });
  });

  it('treats a chunk header cut short like any other incomplete last chunk', () => {
    const { path, ticks, offsets } = recording();
    truncateSync(path, offsets[3]! + 20);
    const { ticks: back, warnings } = readAll(path);
    expectSameTicks(back, ticks.slice(0, 750));
    expect(warnings[0]).toMatch(/not even a whole chunk header/);
  });

  it('warns through process warnings when no handler is given', () => {
    const { path, offsets } = recording();
    truncateSync(path, offsets[3]! + 100);
    const seen: string[] = [];
    const listener = (w: Error): void => void seen.push(w.message);
    process.on('warning', listener);
    const emit = process.emitWarning;
    process.emitWarning = ((w: string | Error) => seen.push(String(w))) as typeof process.emitWarning;
    try {
      expect([...readRecording(path)]).toHaveLength(750);
    } finally {
      process.emitWarning = emit;
      process.off('warning', listener);
    }
    expect(seen.some((m) => m.includes(path) && m.includes('incomplete'))).toBe(true);
  });

  it('rejects a corrupted byte inside a chunk payload naming the file and the chunk offset', () => {
    const { path, offsets, ends } = recording();
    flipByte(path, ends[1]! - 10);
    const read = (): unknown => [...readRecording(path)];
    expect(read).toThrow(DataError);
    expect(read).toThrow(`${path}: chunk at byte ${offsets[1]}: payload CRC mismatch`);
  });

  it('yields the chunks before a corrupted one and then throws', () => {
    const { path, ticks, ends } = recording();
    flipByte(path, ends[2]! - 10);
    const got: unknown[] = [];
    expect(() => {
      for (const t of readRecording(path)) got.push(t);
    }).toThrow(/chunk at byte \d+: payload CRC mismatch/);
    expectSameTicks(got as typeof ticks, ticks.slice(0, 500));
  });

  it('rejects a corrupted chunk header or meta as corruption, not as truncation', () => {
    const { path, offsets } = recording();
    flipByte(path, offsets[2]! + 17);
    expect(() => [...readRecording(path)]).toThrow(`${path}: chunk at byte ${offsets[2]}: chunk header CRC mismatch`);
    const second = recording('second.tkr');
    flipByte(second.path, second.offsets[1]! + 52 + 2);
    expect(() => recordingInfo(second.path)).toThrow(`chunk at byte ${second.offsets[1]}: meta CRC mismatch`);
  });

  it('rejects a chunk whose payload passes its CRC but does not decode', () => {
    const path = join(dir(), 'forged.tkr');
    const chunk = encodeChunk(mixedTicks(10));
    const payload = Buffer.from('definitely not deflate data');
    const header = encodeChunkHeader({
      codec: CODEC_GZIP, ticks: chunk.ticks, metaLength: chunk.meta.length, payloadLength: payload.length, rawLength: chunk.payload.length,
      minTs: chunk.minTs, maxTs: chunk.maxTs, metaCrc: crc32(chunk.meta), payloadCrc: crc32(payload),
    });
    writeFileSync(path, Buffer.concat([fileHeader(), header, chunk.meta, payload]));
    expect(() => [...readRecording(path)]).toThrow(`${path}: chunk at byte 12: cannot decode`);
  });

  it('refuses a file that is not a recording, reading or appending, with a clear message', () => {
    const path = join(dir(), 'quotes.csv');
    writeFileSync(path, 'ts,bid,ask\n1,1.1,1.2\n');
    expect(isRecording(path)).toBe(false);
    expect(() => [...readRecording(path)]).toThrow(`${path}: not a tick recording`);
    expect(() => createRecordingWriter(path)).toThrow(`${path}: not a tick recording`);
    expect(readFileSync(path, 'utf8')).toBe('ts,bid,ask\n1,1.1,1.2\n');
    expect(() => [...readRecording(join(dir(), 'missing.tkr'))]).toThrow(/missing\.tkr: cannot open recording/);
  });

  it('refuses a recording of a newer format version', () => {
    const { path } = recording();
    const b = readFileSync(path);
    b.writeUInt16LE(2, 8);
    writeFileSync(path, b);
    expect(isRecording(path)).toBe(true);
    expect(() => [...readRecording(path)]).toThrow(`${path}: recording format version 2 is newer than this engine reads (1)`);
    expect(() => replayRecordings([path])[Symbol.iterator]().next()).toThrow(/version 2 is newer/);
    expect(() => createRecordingWriter(path)).toThrow(/version 2 is newer/);
  });
});
