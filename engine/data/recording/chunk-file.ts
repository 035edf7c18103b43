/**
 * Reading the chunk structure of a recording file with positioned reads: the file header, then chunk by chunk
 * header + meta, and a chunk's payload only when asked. Damage is a DataError naming the file and byte offset; a
 * last chunk cut short (a crash while it was being written) ends the scan and is reported in `truncated`.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { DataError } from '../csv-ticks.js';
import { OutOfBytes } from './bytes.js';
import type { DecodedChunk } from './columns.js';
import { decompress } from './compression.js';
import { crc32 } from './crc32.js';
import { decodeChunk, decodeMeta, type ChunkMeta } from './decode-chunk.js';
import {
  CHUNK_HEADER_SIZE, decodeChunkHeader, FILE_HEADER_SIZE, FILE_MAGIC, RECORDING_VERSION, type ChunkHeader,
} from './format.js';

export interface ChunkEntry {
  /** Byte offset of the chunk header. */
  readonly offset: number;
  readonly header: ChunkHeader;
  readonly meta: ChunkMeta;
  /** Byte offset just past the chunk. */
  readonly end: number;
}

export interface Truncation {
  readonly offset: number;
  /** Bytes present from the offset to the end of the file, and bytes the chunk needs (undefined: header incomplete). */
  readonly have: number;
  readonly need: number | undefined;
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

export class RecordingFile {
  readonly version: number;
  readonly size: number;
  /** Set once a scan met an incomplete last chunk. */
  truncated: Truncation | undefined;
  private fd: number | undefined;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'r');
    } catch (e) {
      throw new DataError(`${path}: cannot open recording: ${(e as Error).message}`);
    }
    try {
      this.size = fstatSync(this.fd).size;
      const head = this.read(0, Math.min(FILE_HEADER_SIZE, this.size));
      if (head.length < FILE_MAGIC.length || !head.subarray(0, FILE_MAGIC.length).equals(FILE_MAGIC)) {
        throw new DataError(`${path}: not a tick recording (no recording magic at byte 0)`);
      }
      if (head.length < FILE_HEADER_SIZE) throw new DataError(`${path}: file header is cut short (${this.size} bytes)`);
      this.version = head.readUInt16LE(8);
      if (this.version > RECORDING_VERSION) {
        throw new DataError(`${path}: recording format version ${this.version} is newer than this engine reads (${RECORDING_VERSION}); upgrade the engine`);
      }
      if (this.version < 1) throw new DataError(`${path}: invalid recording format version ${this.version}`);
    } catch (e) {
      this.close();
      throw e;
    }
  }

  read(offset: number, length: number): Buffer {
    if (this.fd === undefined) throw new Error(`${this.path}: recording is closed`);
    const buf = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, buf, got, length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return got === length ? buf : buf.subarray(0, got);
  }

  /** Headers and metas of the complete chunks in file order; damage throws, an incomplete last chunk ends the scan. */
  *chunks(): Generator<ChunkEntry> {
    let offset = FILE_HEADER_SIZE;
    while (offset < this.size) {
      const have = this.size - offset;
      if (have < CHUNK_HEADER_SIZE) {
        this.truncated = { offset, have, need: undefined };
        return;
      }
      const header = decodeChunkHeader(this.read(offset, CHUNK_HEADER_SIZE));
      if (typeof header === 'string') throw new DataError(`${this.path}: chunk at byte ${offset}: ${header}; the file is corrupt`);
      if (header.ticks > 0 && !(Number.isFinite(header.minTs) && Number.isFinite(header.maxTs) && header.minTs <= header.maxTs)) {
        // what an engine that recorded NaN or infinite times wrote: replay would skip or stop at it, dropping data
        throw new DataError(`${this.path}: chunk at byte ${offset}: its tsInit range [${header.minTs}, ${header.maxTs}] is not a finite ` +
          `range (ticks without finite times cannot be replayed); the file is corrupt`);
      }
      const need = CHUNK_HEADER_SIZE + header.metaLength + header.payloadLength;
      if (have < need) {
        this.truncated = { offset, have, need };
        return;
      }
      const metaBytes = this.read(offset + CHUNK_HEADER_SIZE, header.metaLength);
      if (crc32(metaBytes) >>> 0 !== header.metaCrc) throw new DataError(`${this.path}: chunk at byte ${offset}: meta CRC mismatch; the file is corrupt`);
      const meta = this.wrap(offset, () => decodeMeta(metaBytes));
      if (meta.counts.reduce((a, b) => a + b, 0) !== header.ticks) {
        throw new DataError(`${this.path}: chunk at byte ${offset}: tick counts disagree; the file is corrupt`);
      }
      yield { offset, header, meta, end: offset + need };
      offset += need;
    }
  }

  /** The compressed payload, CRC-checked. */
  payload(entry: ChunkEntry): Buffer {
    const { header, offset } = entry;
    const data = this.read(offset + CHUNK_HEADER_SIZE + header.metaLength, header.payloadLength);
    const crc = crc32(data) >>> 0;
    if (crc !== header.payloadCrc) {
      throw new DataError(`${this.path}: chunk at byte ${offset}: payload CRC mismatch (stored ${hex(header.payloadCrc)}, computed ${hex(crc)}); the file is corrupt`);
    }
    return data;
  }

  /** The chunk's columnar form (reads, checks, decompresses and decodes its payload; every tsInit within the header's range). */
  decode(entry: ChunkEntry): DecodedChunk {
    const data = this.payload(entry);
    const chunk = this.wrap(entry.offset, () => {
      const raw = decompress(entry.header.codec, data, entry.header.rawLength);
      return decodeChunk(entry.meta, raw, entry.header.ticks);
    });
    const { minTs, maxTs } = entry.header;
    const { data: ts, div } = chunk.tsInit;
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i]! / div;
      if (!(t >= minTs && t <= maxTs)) {
        // skipping and stopping go by the header's range: a tick outside it (NaN included) could be dropped unseen
        throw new DataError(`${this.path}: chunk at byte ${entry.offset}: tick ${i} has tsInit ${t}, outside the chunk's range ` +
          `[${minTs}, ${maxTs}]; the file is corrupt`);
      }
    }
    return chunk;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private wrap<T>(offset: number, work: () => T): T {
    try {
      return work();
    } catch (e) {
      if (e instanceof DataError) throw e;
      const why = e instanceof OutOfBytes ? 'data ends early' : (e as Error).message;
      throw new DataError(`${this.path}: chunk at byte ${offset}: cannot decode (${why}); the file is corrupt`);
    }
  }
}
