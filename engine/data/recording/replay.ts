/**
 * Replay of several recordings merged by tsInit. Each file must be in time order (checked: a tick earlier than the
 * one before it in the same file is a DataError). Ties go to the file listed first, then to file position, so the
 * same inputs always replay in the same order. Ticks are compared on the columns; an object is built only for the
 * tick yielded. One file takes a direct path without the merge.
 */
import { isMainThread } from 'node:worker_threads';
import { DataError } from '../csv-ticks.js';
import type { Tick } from '../../model/tick.js';
import { ChunkCursor } from './chunk-cursor.js';
import type { DecodedChunk } from './columns.js';
import { readChunksAhead } from './prefetch.js';
import { readChunks, recordingInfo, type ReadOptions } from './reader.js';

export interface ReplayOptions extends ReadOptions {
  /** Keep ticks with from ≤ tsInit < to. */
  readonly from?: number;
  readonly to?: number;
  /**
   * Decode each recording on a worker thread, chunks ahead of the replay (prefetch.ts), when it holds at least
   * PREFETCH_MIN_TICKS ticks and this is the main thread (a sweep's workers use their own cores already). Default true.
   */
  readonly decodeThread?: boolean;
}

/** A smaller recording decodes in less time than a thread takes to start. */
export const PREFETCH_MIN_TICKS = 1_000_000;

/** One file's position: the cursor of its current chunk, positioned on a tick inside [from, to). */
class Source {
  cur: ChunkCursor | undefined;
  ts = -Infinity;
  private last = -Infinity;
  private readonly chunks: Generator<{ chunk: DecodedChunk }>;

  constructor(readonly path: string, readonly order: number, private readonly from: number, private readonly to: number, opts: ReplayOptions) {
    const ahead = (opts.decodeThread ?? true) && isMainThread && recordingInfo(path).ticks >= PREFETCH_MIN_TICKS;
    this.chunks = (ahead ? readChunksAhead : readChunks)(path, { onWarning: opts.onWarning, from, to });
  }

  /** Moves to the next tick in range; false (and the file closed) when there is none. */
  advance(): boolean {
    for (;;) {
      const cur = this.cur;
      if (cur && !cur.done) {
        const ts = cur.ts();
        if (ts < this.last) {
          this.chunks.return(undefined);
          throw new DataError(`${this.path}: tick at tsInit ${ts} comes after one at ${this.last}; a recording must be in time order to be replayed`);
        }
        this.last = ts;
        if (ts < this.from) {
          cur.skip();
          continue;
        }
        if (ts >= this.to) break;
        this.ts = ts;
        return true;
      }
      const next = this.chunks.next();
      if (next.done) break;
      this.cur = new ChunkCursor(next.value.chunk);
    }
    this.cur = undefined;
    this.chunks.return(undefined);
    return false;
  }

  close(): void {
    this.chunks.return(undefined);
  }
}

const before = (a: Source, b: Source): boolean => a.ts < b.ts || (a.ts === b.ts && a.order < b.order);

/** One file: a plain iterator (a generator's resume costs more than a tick's whole decode on this path). */
function single(src: Source): IterableIterator<Tick> {
  let open = true;
  const end = (): IteratorResult<Tick> => {
    if (open) {
      open = false;
      src.close();
    }
    return { done: true, value: undefined };
  };
  const it: IterableIterator<Tick> = {
    next() {
      if (!open) return { done: true, value: undefined };
      try {
        if (src.advance()) return { done: false, value: src.cur!.next() };
      } catch (error) {
        end();
        throw error;
      }
      return end();
    },
    return: end,
    [Symbol.iterator]: () => it,
  };
  return it;
}

function* merged(sources: Source[]): Generator<Tick> {
  // A binary min-heap of the sources that still have ticks, keyed by (ts, order).
  const heap: Source[] = [];
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  try {
    for (const s of sources) if (s.advance()) heap.push(s);
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
    while (heap.length > 0) {
      const top = heap[0]!;
      yield top.cur!.next();
      if (!top.advance()) {
        const last = heap.pop()!;
        if (heap.length === 0) break;
        if (last !== top) heap[0] = last;
      }
      down(0);
    }
  } finally {
    for (const s of sources) s.close();
  }
}

/** Several recordings (each in time order) merged by tsInit, ties by file order then file position; optional [from, to). */
export function replayRecordings(paths: readonly string[], opts: ReplayOptions = {}): Iterable<Tick> {
  const from = opts.from ?? -Infinity;
  const to = opts.to ?? Infinity;
  return {
    [Symbol.iterator]: () => {
      const sources = paths.map((p, i) => new Source(p, i, from, to, opts));
      return sources.length === 1 ? single(sources[0]!) : merged(sources);
    },
  };
}
