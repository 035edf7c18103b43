/**
 * The recorder side: ticks are buffered and written as one self-contained chunk every `chunkTicks` appends or on
 * flush(), with one positioned write (header + meta + payload) followed by fdatasync, so a crash loses at most the
 * chunk being buffered or written. Opening an existing recording validates it and appends after its last complete
 * chunk (an incomplete tail left by a crash is cut off, with a warning). One writer per file at a time.
 */
import { closeSync, fdatasyncSync, ftruncateSync, openSync, statSync, writeSync } from 'node:fs';
import type { Tick } from '../../model/tick.js';
import { DataError } from '../csv-ticks.js';
import { RecordingFile, type ChunkEntry } from './chunk-file.js';
import { codecOf, compress } from './compression.js';
import { crc32 } from './crc32.js';
import { describeTick, encodeChunk, nonFiniteTime } from './encode-chunk.js';
import { encodeChunkHeader, fileHeader, KIND_CODES, RECORDING_VERSION, type Compression } from './format.js';
import { defaultWarning, truncationMessage } from './reader.js';

export interface RecordingWriter {
  /** Buffers a tick; writes a chunk when `chunkTicks` are buffered. A tick whose times are not finite is refused (RangeError). */
  append(tick: Tick): void;
  /** Writes the buffered ticks (if any) as one chunk and syncs it to disk. */
  flush(): void;
  /** Flushes and closes the file; appending afterwards throws. */
  close(): void;
  /** Ticks appended through this writer (buffered ones included). */
  readonly ticksWritten: number;
}

export interface WriterOptions {
  /** Ticks per chunk (default 50_000). */
  readonly chunkTicks?: number;
  /** Default gzip (see data/FORMAT.md for the measurement behind the choice). */
  readonly compression?: Compression;
  /** fdatasync after each chunk (default true). */
  readonly sync?: boolean;
  /** Receives the warning when an incomplete last chunk is cut off before appending; default process.emitWarning. */
  readonly onWarning?: (message: string) => void;
}

export const DEFAULT_CHUNK_TICKS = 50_000;
export const DEFAULT_COMPRESSION: Compression = 'gzip';

/** Byte offset where the next chunk goes, after validating an existing recording (or undefined for a new file). */
function appendOffset(path: string, onWarning: (m: string) => void): { end: number; cut: boolean } | undefined {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DataError(`${path}: cannot open recording: ${(e as Error).message}`);
  }
  if (size === 0) return undefined;
  const file = new RecordingFile(path);
  try {
    if (file.version !== RECORDING_VERSION) throw new DataError(`${path}: cannot append version ${RECORDING_VERSION} chunks to a version ${file.version} recording`);
    let last: ChunkEntry | undefined;
    let ticks = 0;
    for (const entry of file.chunks()) {
      last = entry;
      ticks += entry.header.ticks;
    }
    if (last) file.payload(last); // CRC check: never append behind a damaged chunk
    if (!file.truncated) return { end: file.size, cut: false };
    onWarning(`${truncationMessage(path, file.truncated, ticks)}; cutting it off before appending`);
    return { end: file.truncated.offset, cut: true };
  } finally {
    file.close();
  }
}

/** Creates the file, or appends chunks to an existing recording (validating its header). */
export function createRecordingWriter(path: string, opts: WriterOptions = {}): RecordingWriter {
  const chunkTicks = opts.chunkTicks ?? DEFAULT_CHUNK_TICKS;
  if (!Number.isInteger(chunkTicks) || chunkTicks < 1 || chunkTicks > 0xffffffff) {
    throw new RangeError(`chunkTicks must be an integer from 1 to 2^32-1, got ${chunkTicks}`);
  }
  const codec = codecOf(opts.compression ?? DEFAULT_COMPRESSION);
  const sync = opts.sync ?? true;
  const existing = appendOffset(path, opts.onWarning ?? defaultWarning);
  let fd: number | undefined = openSync(path, existing ? 'r+' : 'w');
  let end: number;
  if (existing) {
    end = existing.end;
    if (existing.cut) ftruncateSync(fd, end);
  } else {
    const head = fileHeader();
    writeSync(fd, head, 0, head.length, 0);
    end = head.length;
    if (sync) fdatasyncSync(fd);
  }
  let pending: Tick[] = [];
  let count = 0;

  const flush = (): void => {
    if (fd === undefined || pending.length === 0) return;
    const ticks = pending;
    const chunk = encodeChunk(ticks);
    const payload = compress(codec, chunk.payload);
    if (chunk.payload.length > 0xffffffff) throw new RangeError(`chunk of ${ticks.length} ticks is too large; use a smaller chunkTicks`);
    const header = encodeChunkHeader({
      codec, ticks: chunk.ticks, metaLength: chunk.meta.length, payloadLength: payload.length, rawLength: chunk.payload.length,
      minTs: chunk.minTs, maxTs: chunk.maxTs, metaCrc: crc32(chunk.meta), payloadCrc: crc32(payload),
    });
    const bytes = Buffer.concat([header, chunk.meta, payload]);
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written, end + written);
    if (sync) fdatasyncSync(fd);
    // Only now is the chunk on disk; a failed write keeps the ticks and `end`, so a retry rewrites the same bytes.
    end += bytes.length;
    pending = [];
  };

  return {
    append(tick: Tick): void {
      if (fd === undefined) throw new Error(`${path}: recording writer is closed`);
      if (!Object.hasOwn(KIND_CODES, tick.kind)) throw new TypeError(`${path}: cannot record a tick of kind ${String(tick.kind)}`);
      const bad = nonFiniteTime(tick);
      if (bad) throw new RangeError(`${path}: cannot record tick ${count + 1} (${describeTick(tick)}): ${bad}`);
      pending.push(tick);
      count++;
      if (pending.length >= chunkTicks) flush();
    },
    flush,
    close(): void {
      if (fd === undefined) return;
      try {
        flush();
      } finally {
        closeSync(fd);
        fd = undefined;
      }
    },
    get ticksWritten() {
      return count;
    },
  };
}
