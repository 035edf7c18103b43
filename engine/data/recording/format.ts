/** Constants and the fixed-size headers of the recording format (see data/FORMAT.md; all integers little-endian). */
import type { TickKind } from '../../model/tick.js';
import { crc32 } from './crc32.js';

export const RECORDING_VERSION = 1;

/** File header: magic "TKREC\r\n\x1a" (text-mode and truncation damage show up in the magic), u16 version, u16 reserved. */
export const FILE_MAGIC = Buffer.from('TKREC\r\n\x1a', 'latin1');
export const FILE_HEADER_SIZE = 12;

/** Chunk header magic "TKCH". */
export const CHUNK_MAGIC = 0x4843_4b54;
export const CHUNK_HEADER_SIZE = 52;

export type Compression = 'gzip' | 'brotli';
export const CODEC_NONE = 0;
export const CODEC_GZIP = 1;
export const CODEC_BROTLI = 2;

export const KIND_CODES: Readonly<Record<TickKind, number>> = { quote: 0, book: 1, trade: 2, bar: 3 };
export const KINDS: readonly TickKind[] = ['quote', 'book', 'trade', 'bar'];

export function fileHeader(version = RECORDING_VERSION): Buffer {
  const b = Buffer.alloc(FILE_HEADER_SIZE);
  FILE_MAGIC.copy(b, 0);
  b.writeUInt16LE(version, 8);
  return b;
}

export interface ChunkHeader {
  readonly codec: number;
  readonly ticks: number;
  readonly metaLength: number;
  readonly payloadLength: number;
  readonly rawLength: number;
  /** Smallest and largest tsInit in the chunk. */
  readonly minTs: number;
  readonly maxTs: number;
  readonly metaCrc: number;
  readonly payloadCrc: number;
}

/**
 * Chunk header (52 bytes):
 *  0 u32 magic "TKCH" | 4 u8 codec | 5 u8 reserved | 6 u16 reserved | 8 u32 ticks | 12 u32 meta length
 * 16 u32 payload length (compressed) | 20 u32 payload length uncompressed | 24 f64 min tsInit | 32 f64 max tsInit
 * 40 u32 CRC32 of the meta | 44 u32 CRC32 of the compressed payload | 48 u32 CRC32 of header bytes 0..47.
 * The header's own CRC lets a reader tell a chunk cut short by a crash (valid header, bytes missing) from a damaged one.
 */
export function encodeChunkHeader(h: ChunkHeader): Buffer {
  const b = Buffer.alloc(CHUNK_HEADER_SIZE);
  b.writeUInt32LE(CHUNK_MAGIC, 0);
  b.writeUInt8(h.codec, 4);
  b.writeUInt32LE(h.ticks, 8);
  b.writeUInt32LE(h.metaLength, 12);
  b.writeUInt32LE(h.payloadLength, 16);
  b.writeUInt32LE(h.rawLength, 20);
  b.writeDoubleLE(h.minTs, 24);
  b.writeDoubleLE(h.maxTs, 32);
  b.writeUInt32LE(h.metaCrc >>> 0, 40);
  b.writeUInt32LE(h.payloadCrc >>> 0, 44);
  b.writeUInt32LE(crc32(b.subarray(0, 48)) >>> 0, 48);
  return b;
}

/** The header in `b`, or a reason it is not a valid chunk header. */
export function decodeChunkHeader(b: Buffer): ChunkHeader | string {
  if (b.readUInt32LE(0) !== CHUNK_MAGIC) return 'no chunk magic';
  if (crc32(b.subarray(0, 48)) >>> 0 !== b.readUInt32LE(48)) return 'chunk header CRC mismatch';
  return {
    codec: b.readUInt8(4),
    ticks: b.readUInt32LE(8),
    metaLength: b.readUInt32LE(12),
    payloadLength: b.readUInt32LE(16),
    rawLength: b.readUInt32LE(20),
    minTs: b.readDoubleLE(24),
    maxTs: b.readDoubleLE(32),
    metaCrc: b.readUInt32LE(40),
    payloadCrc: b.readUInt32LE(44),
  };
}
