/** Reading recordings: ticks in file order (one chunk decoded at a time), columnar chunks, file info, magic sniffing. */
import { closeSync, openSync, readSync } from 'node:fs';
import type { Tick } from '../../model/tick.js';
import { ChunkCursor } from './chunk-cursor.js';
import { RecordingFile, type ChunkEntry, type Truncation } from './chunk-file.js';
import type { DecodedChunk } from './columns.js';
import { FILE_MAGIC, KINDS } from './format.js';

export interface ReadOptions {
  /** Receives the truncated-last-chunk warning; default: process.emitWarning. */
  readonly onWarning?: (message: string) => void;
}

export function defaultWarning(message: string): void {
  process.emitWarning(message, 'RecordingWarning');
}

export function truncationMessage(path: string, t: Truncation, ticksBefore: number): string {
  const got = t.need === undefined ? `${t.have} bytes, not even a whole chunk header` : `${t.have} of its ${t.need} bytes`;
  return `${path}: the last chunk (at byte ${t.offset}) is incomplete (${got}): the recording was cut short, e.g. by a crash; ` +
    `the ${ticksBefore} ticks before it were kept`;
}

/**
 * Decoded chunks in file order, one at a time (only the chunk being used is in memory). Chunks whose tsInit range
 * lies wholly before `from` are skipped unread; the walk stops at a chunk starting at or after `to`.
 */
export function* readChunks(path: string, opts: ReadOptions & { from?: number; to?: number; skip?: number } = {}): Generator<{ entry: ChunkEntry; chunk: DecodedChunk }> {
  const from = opts.from ?? -Infinity;
  const to = opts.to ?? Infinity;
  // the first `skip` chunks it would yield are passed over undecoded (prefetch.ts: the replay thread decoded them)
  let skip = opts.skip ?? 0;
  const file = new RecordingFile(path);
  try {
    let ticks = 0;
    for (const entry of file.chunks()) {
      if (entry.header.minTs >= to) return;
      ticks += entry.header.ticks;
      if (entry.header.maxTs < from || entry.header.ticks === 0) continue;
      if (skip > 0) {
        skip--;
        continue;
      }
      yield { entry, chunk: file.decode(entry) };
    }
    if (file.truncated) (opts.onWarning ?? defaultWarning)(truncationMessage(path, file.truncated, ticks));
  } finally {
    file.close();
  }
}

/** Lazily decodes one chunk at a time and yields ticks in file order. */
export function readRecording(path: string, opts: ReadOptions = {}): Iterable<Tick> {
  return {
    *[Symbol.iterator]() {
      for (const { chunk } of readChunks(path, opts)) {
        const cur = new ChunkCursor(chunk);
        const n = chunk.ticks;
        while (cur.i < n) yield cur.next();
      }
    },
  };
}

export interface RecordingInfo {
  readonly version: number;
  /** Complete chunks. */
  readonly chunks: number;
  readonly ticks: number;
  /** File size in bytes. */
  readonly bytes: number;
  readonly instruments: string[];
  /** First and last tsInit (both inclusive); absent when the recording has no ticks. */
  readonly from?: number;
  readonly to?: number;
  /** Ticks per kind (every kind listed, zero included). */
  readonly kinds: Record<string, number>;
  /** Set when the last chunk is incomplete (not counted above). */
  readonly truncated?: Truncation;
}

/** Reads only chunk headers and metas (payloads are neither read nor CRC-checked). */
export function recordingInfo(path: string): RecordingInfo {
  const file = new RecordingFile(path);
  try {
    let chunks = 0, ticks = 0;
    let from = Infinity, to = -Infinity;
    const instruments = new Set<string>();
    const kinds: Record<string, number> = Object.fromEntries(KINDS.map((k) => [k, 0]));
    for (const { header, meta } of file.chunks()) {
      chunks++;
      ticks += header.ticks;
      if (header.ticks > 0) {
        from = Math.min(from, header.minTs);
        to = Math.max(to, header.maxTs);
      }
      for (const id of meta.instruments) instruments.add(id);
      KINDS.forEach((k, i) => (kinds[k]! += meta.counts[i]!));
    }
    return {
      version: file.version, chunks, ticks, bytes: file.size, instruments: [...instruments], kinds,
      ...(ticks > 0 ? { from, to } : {}),
      ...(file.truncated ? { truncated: file.truncated } : {}),
    };
  } finally {
    file.close();
  }
}

/** True when the file starts with the recording magic (false for a missing or unreadable file). */
export function isRecording(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(FILE_MAGIC.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(FILE_MAGIC);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
