/**
 * Ticks whose times are NaN or infinite: the writer refuses them, naming the tick, and a reader that meets a chunk of
 * them (written by an engine that did not refuse them) raises a named error instead of ending the replay early.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../../engine/data/csv-ticks.js';
import { compress } from '../../../engine/data/recording/compression.js';
import { crc32 } from '../../../engine/data/recording/crc32.js';
import { encodeChunk } from '../../../engine/data/recording/encode-chunk.js';
import { CODEC_GZIP, encodeChunkHeader, FILE_HEADER_SIZE, fileHeader } from '../../../engine/data/recording/format.js';
import { createRecordingWriter, readRecording, recordingInfo, replayRecordings } from '../../../engine/data/recording/index.js';
import type { Quote, Tick } from '../../../engine/model/tick.js';
import { expectSameTicks, tempDir, writeRecording } from './fixtures.js';

const dir = tempDir();

const quote = (tsInit: number, tsEvent = tsInit): Quote => ({ kind: 'quote', instrumentId: 'EURUSD.FXCM', tsEvent, tsInit, bid: 1.1, ask: 1.2 });
const quotes = (from: number, n: number): Quote[] => Array.from({ length: n }, (_, i) => quote(from + i));

/**
 * One chunk as an engine that recorded any time wrote it: times stored as raw float64 (1/3 + i has no decimal form,
 * so the time columns are raw), then overwritten with `time`; the header range computed the way that writer did.
 */
function chunkWithTimes(n: number, time: number): Buffer {
  const ticks = Array.from({ length: n }, (_, i) => quote(1 / 3 + i));
  const chunk = encodeChunk(ticks);
  const raw = Buffer.from(chunk.payload);
  expect(raw[0]).toBe(0x0f); // raw float64 time columns: tsEvent × n, then tsInit × n
  for (let i = 0; i < 2 * n; i++) raw.writeDoubleLE(time, 1 + 8 * i);
  // that writer's running min and max, which NaN never updated
  const minTs = time < Infinity ? time : Infinity;
  const maxTs = time > -Infinity ? time : -Infinity;
  const payload = compress(CODEC_GZIP, raw);
  const header = encodeChunkHeader({
    codec: CODEC_GZIP, ticks: n, metaLength: chunk.meta.length, payloadLength: payload.length, rawLength: raw.length,
    minTs, maxTs, metaCrc: crc32(chunk.meta), payloadCrc: crc32(payload),
  });
  return Buffer.concat([header, chunk.meta, payload]);
}

/** good chunk, a chunk of `time` times, good chunk; the byte offset of the bad one. */
function recordingWithBadChunk(name: string, time: number): { path: string; before: Quote[]; at: number } {
  const path = join(dir(), name);
  const before = quotes(1_000, 5);
  writeRecording(path, before);
  const good = readFileSync(path);
  const after = readFileSync(path).subarray(FILE_HEADER_SIZE); // the same chunk again
  writeFileSync(path, Buffer.concat([good, chunkWithTimes(4, time), after]));
  return { path, before, at: good.length };
}

describe('non-finite tick times', () => {
  it('refuses a tick whose tsInit is NaN, naming the file and the tick, and keeps the ticks before it', () => {
    const path = join(dir(), 'nan.tkr');
    const w = createRecordingWriter(path, { sync: false });
    w.append(quote(1));
    w.append(quote(2));
    expect(() => w.append(quote(NaN, 3))).toThrow(
      new RangeError(`${path}: cannot record tick 3 (quote of EURUSD.FXCM at tsInit NaN): tsInit is NaN; times must be finite numbers`),
    );
    w.close();
    expectSameTicks([...readRecording(path)], [quote(1), quote(2)]);
  });

  it('refuses infinite times, tsInit and tsEvent alike', () => {
    const w = createRecordingWriter(join(dir(), 'inf.tkr'), { sync: false });
    expect(() => w.append(quote(Infinity))).toThrow(/tick 1 \(quote of EURUSD\.FXCM at tsInit Infinity\): tsInit is Infinity/);
    expect(() => w.append(quote(5, -Infinity))).toThrow(/tick 1 \(quote of EURUSD\.FXCM at tsInit 5\): tsEvent is -Infinity/);
    w.close();
  });

  it('refuses to encode a chunk with a non-finite time, naming the tick', () => {
    const ticks: Tick[] = [quote(1), quote(2), quote(NaN)];
    expect(() => encodeChunk(ticks)).toThrow(new RangeError('cannot record tick 2 of the chunk (quote of EURUSD.FXCM at tsInit NaN): tsInit is NaN; times must be finite numbers'));
  });

  for (const [what, time] of [['NaN', NaN], ['+Infinity', Infinity], ['-Infinity', -Infinity]] as const) {
    it(`reads a chunk whose times are all ${what} as a corrupt chunk named by file and byte, after the ticks before it`, () => {
      const { path, before, at } = recordingWithBadChunk(`all-${what}.tkr`, time);
      const seen: Tick[] = [];
      const read = (): void => {
        for (const t of readRecording(path)) seen.push(t);
      };
      expect(read).toThrow(DataError);
      expect(read).toThrow(`${path}: chunk at byte ${at}: its tsInit range`);
      expectSameTicks(seen.slice(0, before.length), before);
      expect(() => [...replayRecordings([path])]).toThrow(`chunk at byte ${at}`);
      expect(() => [...replayRecordings([path], { from: 0, to: 10_000 })]).toThrow(`chunk at byte ${at}`);
      expect(() => recordingInfo(path)).toThrow(`chunk at byte ${at}`);
    });
  }

  it('reads a tick whose tsInit lies outside its chunk header range as corruption, not as a tick to skip', () => {
    const path = join(dir(), 'outside.tkr');
    const bytes = chunkWithTimes(3, 7);
    bytes.writeDoubleLE(1_000, 24); // header says [1000, 7000]: the ticks at 7 lie outside it
    bytes.writeDoubleLE(7_000, 32);
    bytes.writeUInt32LE(crc32(bytes.subarray(0, 48)) >>> 0, 48);
    writeFileSync(path, Buffer.concat([fileHeader(), bytes]));
    expect(() => [...readRecording(path)]).toThrow(`${path}: chunk at byte ${FILE_HEADER_SIZE}: tick 0 has tsInit 7, outside the chunk's range [1000, 7000]`);
  });
});
