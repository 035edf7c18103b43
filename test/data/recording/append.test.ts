import { readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRecordingWriter, readRecording, recordingInfo } from '../../../engine/data/recording/index.js';
import { expectSameTicks, mixedTicks, tempDir, writeRecording } from './fixtures.js';

const dir = tempDir();

describe('recording writer', () => {
  it('appends in several sessions to the same ticks as writing them in one go', () => {
    const ticks = mixedTicks(2_500);
    const once = join(dir(), 'once.tkr');
    writeRecording(once, ticks, { chunkTicks: 1_000 });
    const sessions = join(dir(), 'sessions.tkr');
    writeRecording(sessions, ticks.slice(0, 700), { chunkTicks: 300 });
    writeRecording(sessions, ticks.slice(700, 701));
    const w = createRecordingWriter(sessions, { compression: 'brotli', sync: false });
    for (const t of ticks.slice(701, 1_900)) w.append(t);
    w.flush();
    w.flush(); // nothing buffered: no empty chunk
    w.close();
    writeRecording(sessions, ticks.slice(1_900));
    expectSameTicks([...readRecording(sessions)], [...readRecording(once)]);
    expectSameTicks([...readRecording(sessions)], ticks);
    expect(recordingInfo(sessions)).toMatchObject({ chunks: 3 + 1 + 1 + 1, ticks: 2_500 });
  });

  it('cuts a chunk left incomplete by a crash before appending, and warns', () => {
    const ticks = mixedTicks(900);
    const path = join(dir(), 'crashed.tkr');
    writeRecording(path, ticks.slice(0, 600), { chunkTicks: 200 });
    truncateSync(path, readFileSync(path).length - 7);
    const warnings: string[] = [];
    writeRecording(path, ticks.slice(600), { onWarning: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(path);
    expect(warnings[0]).toContain('cutting it off before appending');
    const readWarnings: string[] = [];
    const back = [...readRecording(path, { onWarning: (m) => readWarnings.push(m) })];
    expectSameTicks(back, [...ticks.slice(0, 400), ...ticks.slice(600)]);
    expect(readWarnings).toEqual([]);
  });

  it('writes a chunk every chunkTicks appends and counts the ticks appended', () => {
    const ticks = mixedTicks(1_050);
    const path = join(dir(), 'count.tkr');
    const w = createRecordingWriter(path, { chunkTicks: 500, sync: false });
    for (const t of ticks) w.append(t);
    expect(w.ticksWritten).toBe(1_050);
    expect(recordingInfo(path)).toMatchObject({ chunks: 2, ticks: 1_000 });
    w.close();
    w.close();
    expect(recordingInfo(path)).toMatchObject({ chunks: 3, ticks: 1_050 });
    expect(() => w.append(ticks[0]!)).toThrow(/closed/);
  });

  it('creates a valid empty recording when nothing is appended', () => {
    const path = join(dir(), 'empty.tkr');
    createRecordingWriter(path).close();
    expect([...readRecording(path)]).toEqual([]);
    expect(recordingInfo(path)).toEqual({ version: 1, chunks: 0, ticks: 0, bytes: 12, instruments: [], kinds: { quote: 0, book: 0, trade: 0, bar: 0 } });
  });

  it('rejects a tick of an unknown kind without losing the ticks already buffered', () => {
    const ticks = mixedTicks(10);
    const path = join(dir(), 'bad-kind.tkr');
    const w = createRecordingWriter(path, { sync: false });
    for (const t of ticks) w.append(t);
    expect(() => w.append({ ...ticks[0]!, kind: 'news' } as never)).toThrow(/kind news/);
    w.close();
    expectSameTicks([...readRecording(path)], ticks);
  });
});
