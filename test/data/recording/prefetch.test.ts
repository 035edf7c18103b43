/**
 * Decoding on a second thread (engine/data/recording/prefetch.ts): the replay gets the same chunks, the same errors and
 * the same warning as when it decodes them itself, whether the thread takes over at once or after the replay decoded
 * some chunks on its own; a replay that stops early stops the thread.
 */
import { openSync, readSync, closeSync, writeSync, truncateSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../../engine/data/csv-ticks.js';
import { ChunkCursor } from '../../../engine/data/recording/chunk-cursor.js';
import type { DecodedChunk } from '../../../engine/data/recording/columns.js';
import { prefetchStats, readChunksAhead } from '../../../engine/data/recording/prefetch.js';
import { readChunks, replayRecordings } from '../../../engine/data/recording/index.js';
import { resolveConfig } from '../../../engine/config/config.js';
import { loadInstruments } from '../../../engine/config/load.js';
import { openTicks } from '../../../engine/data/source.js';
import { startBacktest } from '../../../engine/kernel/backtest.js';
import { loadStrategies } from '../../../engine/kernel/strategy-loader.js';
import { silentLogger } from '../../../engine/log/logger.js';
import type { Tick } from '../../../engine/model/tick.js';
import { openDatabase } from '../../../engine/persistence/index.js';
import { writeSyntheticQuotes } from '../../../bench/synthetic.js';
import { expectSameTicks, mixedTicks, tempDir, writeRecording } from './fixtures.js';

const dir = tempDir();
/** Long enough for the thread to start (about 150 ms here) on a loaded machine. */
const PAUSE_MS = 1_500;
/** The thread took over after the replay's first chunk, or (a slow start) a few chunks later. */
const tookOver = (n: number | undefined): void => {
  expect(n).toBeGreaterThanOrEqual(1);
  expect(n).toBeLessThan(10);
};

const ticksOf = (chunks: Iterable<{ chunk: DecodedChunk }>, pause?: (i: number) => void): Tick[] => {
  const out: Tick[] = [];
  let i = 0;
  for (const { chunk } of chunks) {
    pause?.(i++);
    const cur = new ChunkCursor(chunk);
    while (!cur.done) out.push(cur.next());
  }
  return out;
};
/** Blocks this thread (the decoding thread starts meanwhile: it needs nothing from this one). */
const sleepSync = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function recording(name = 'mixed.tkr'): { path: string; ticks: Tick[] } {
  const ticks = mixedTicks(12_000, 5); // quotes, books, trades and bars of two instruments
  const path = join(dir(), name);
  writeRecording(path, ticks, { chunkTicks: 400 }); // 30 chunks
  return { path, ticks };
}

/** Byte offsets of each chunk's end, from the reader (as damage.test.ts finds them). */
const chunkEnds = (path: string): number[] => [...readChunks(path)].map((c) => c.entry.end);

describe('decoding a recording on a second thread', () => {
  it('gives the ticks the replay thread decodes itself, when the thread takes over after the first chunk', () => {
    const { path, ticks } = recording();
    let handedOver: number | undefined;
    // the replay dawdles on its first chunk, so the thread is ready and takes over from the second
    const got = ticksOf(readChunksAhead(path, { onHandOver: (n) => (handedOver = n) }), (i) => i === 0 && sleepSync(PAUSE_MS));
    tookOver(handedOver);
    expectSameTicks(got, ticks);
  });

  it('keeps from ≤ tsInit < to as the reader does, chunk for chunk', () => {
    const { path, ticks } = recording();
    const from = ticks[2_500]!.tsInit;
    const to = ticks[9_100]!.tsInit;
    let handedOver: number | undefined;
    const got = ticksOf(readChunksAhead(path, { from, to, onHandOver: (n) => (handedOver = n) }), (i) => i === 0 && sleepSync(PAUSE_MS));
    tookOver(handedOver);
    expectSameTicks(got, ticksOf(readChunks(path, { from, to })));
  });

  it('throws the reader’s own error for a damaged chunk the thread decodes, after the chunks before it', () => {
    const { path, ticks } = recording();
    const ends = chunkEnds(path);
    const fd = openSync(path, 'r+');
    const at = ends[20]! - 10; // inside chunk 20's payload
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, at);
    b[0] = b[0]! ^ 0xff;
    writeSync(fd, b, 0, 1, at);
    closeSync(fd);
    const expected = (() => {
      try {
        ticksOf(readChunks(path));
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(expected).toBeInstanceOf(DataError);
    const got: Tick[] = [];
    let handedOver: number | undefined;
    const read = (): void => {
      let i = 0;
      for (const { chunk } of readChunksAhead(path, { onHandOver: (n) => (handedOver = n) })) {
        if (i++ === 0) sleepSync(PAUSE_MS);
        const cur = new ChunkCursor(chunk);
        while (!cur.done) got.push(cur.next());
      }
    };
    expect(read).toThrow(DataError);
    tookOver(handedOver); // before chunk 20
    expect(() => ticksOf(readChunksAhead(path))).toThrow(expected!.message);
    expectSameTicks(got, ticks.slice(0, 20 * 400));
  });

  it('passes on the reader’s warning for a cut-short last chunk, once', () => {
    const { path, ticks } = recording();
    truncateSync(path, statSync(path).size - 7);
    const expected: string[] = [];
    ticksOf(readChunks(path, { onWarning: (m) => expected.push(m) }));
    const warnings: string[] = [];
    const got = ticksOf(readChunksAhead(path, { onWarning: (m) => warnings.push(m) }), (i) => i === 0 && sleepSync(PAUSE_MS));
    expect(warnings).toEqual(expected);
    expect(warnings[0]).toContain('incomplete');
    expectSameTicks(got, ticks.slice(0, 29 * 400));
  });

  it('stops the thread when the replay stops early, and a new replay of the file starts afresh', () => {
    const { path, ticks } = recording();
    let n = 0;
    for (const { chunk } of readChunksAhead(path)) {
      n += chunk.ticks;
      if (n >= 2_000) break;
    }
    expect(n).toBe(2_000);
    expectSameTicks(ticksOf(readChunksAhead(path), (i) => i === 0 && sleepSync(PAUSE_MS)), ticks);
  });

  it('is what a replay of a recording of a million ticks or more uses by default, with the same ticks; an interrupted backtest stops it', async () => {
    const path = join(dir(), 'big.tkr');
    const first = writeSyntheticQuotes(path, 1_050_000);
    const digest = (ticks: Iterable<Tick>): string => {
      let n = 0;
      let sum = 0;
      let last = '';
      for (const t of ticks) {
        if (t.kind !== 'quote') throw new Error('quotes only');
        n++;
        sum += t.bid * 7 + t.ask * 3 + (t.bidSize ?? 0) + t.tsInit / 1e9;
        last = `${t.instrumentId} ${t.tsInit} ${t.bid} ${t.ask} ${t.bidSize} ${t.askSize}`;
      }
      return `${n} ${sum} ${last}`;
    };
    const opts = { from: first + 1_000, to: first + 100 * 1_040_000 };
    const threads = prefetchStats.threads;
    const own = digest(replayRecordings([path], Object.assign({ decodeThread: false }, opts)));
    expect(prefetchStats.threads).toBe(threads);
    expect(own.startsWith('1039990 ')).toBe(true);
    expect(digest(replayRecordings([path], opts))).toBe(own);
    expect(prefetchStats.threads).toBe(threads + 1);
    expect(prefetchStats.running).toBe(0);
    // a backtest of it that is interrupted lets its decoding thread go
    const config = resolveConfig({ instruments: 'data/instruments.json', strategies: [{ use: 'flip-flop' }] });
    const replay = startBacktest({
      config, definitions: await loadStrategies(['flip-flop']), instruments: loadInstruments(config), db: openDatabase(':memory:'),
      log: silentLogger(), ticks: openTicks([{ file: path }]),
    });
    replay.step(10_000);
    expect(prefetchStats.running).toBe(1);
    expect(replay.finish('stopped by the test').summary.ticks).toBe(10_000);
    expect(prefetchStats.running).toBe(0);
    // below the size where a thread pays, none is started
    const small = join(dir(), 'small.tkr');
    writeSyntheticQuotes(small, 20_000);
    expect([...replayRecordings([small])]).toHaveLength(20_000);
    expect(prefetchStats.threads).toBe(threads + 2);
  });
});
