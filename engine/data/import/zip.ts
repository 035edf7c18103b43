/**
 * A minimal zip reader: end of central directory → central directory → local file header → data.
 * Supports stored (0) and deflate (8) entries and checks each entry's CRC-32. Encrypted entries, other compression
 * methods, ZIP64 and split archives are refused with a DataError that says what was found.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { DataError } from '../csv-ticks.js';

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly crc: number;
  readonly localOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const METHOD_NAMES: Record<number, string> = { 1: 'shrink', 6: 'implode', 9: 'deflate64', 12: 'bzip2', 14: 'LZMA', 93: 'zstd', 95: 'xz', 98: 'PPMd', 99: 'AES' };

/** The file entries (not directories) of a zip archive. */
export function listZipEntries(zip: Uint8Array, label: string): ZipEntry[] {
  const buf = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = findEocd(buf, label);
  const disk = buf.readUInt16LE(eocd + 4);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (disk !== 0) throw new DataError(`${label}: split (multi-disk) zip archives are not supported`);
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) {
    throw new DataError(`${label}: ZIP64 archives are not supported; unzip it, or re-zip the CSV (< 4 GB) with plain deflate`);
  }
  if (cdOffset + cdSize > eocd) throw new DataError(`${label}: corrupt zip: central directory lies outside the file`);
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) {
      throw new DataError(`${label}: corrupt zip: central directory entry ${i + 1} of ${count} not found at offset ${p}`);
    }
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const entry: ZipEntry = {
      name,
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      crc: buf.readUInt32LE(p + 16),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
    };
    if (!name.endsWith('/')) entries.push(entry);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Picks the entry to read: the one named `entry`, else the only file in the archive. */
export function pickZipEntry(entries: readonly ZipEntry[], label: string, entry?: string): ZipEntry {
  const names = entries.map((e) => e.name).join(', ');
  if (entry !== undefined) {
    const found = entries.find((e) => e.name === entry) ?? entries.find((e) => e.name.split('/').pop() === entry);
    if (!found) throw new DataError(`${label}: no entry "${entry}" in the zip (it holds: ${names || 'nothing'})`);
    return found;
  }
  if (entries.length === 0) throw new DataError(`${label}: the zip holds no file`);
  if (entries.length > 1) {
    throw new DataError(`${label}: the zip holds ${entries.length} files (${names}); name the one to read with { path, entry }`);
  }
  return entries[0]!;
}

/** The uncompressed bytes of one entry, CRC-checked. */
export function readZipEntry(zip: Uint8Array, e: ZipEntry, label: string): Buffer {
  const buf = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  const where = `${label}!${e.name}`;
  if (e.flags & 0x1) throw new DataError(`${where}: the entry is encrypted; decrypt it first (encrypted zips are not supported)`);
  if (e.method !== 0 && e.method !== 8) {
    const nameOf = METHOD_NAMES[e.method] ? ` (${METHOD_NAMES[e.method]})` : '';
    throw new DataError(`${where}: compression method ${e.method}${nameOf} is not supported; only stored (0) and deflate (8) are: re-zip the file with deflate`);
  }
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOCAL) throw new DataError(`${where}: corrupt zip: no local file header at offset ${p}`);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const end = start + e.compressedSize;
  if (end > buf.length) throw new DataError(`${where}: corrupt zip: the entry's data runs past the end of the file`);
  const raw = buf.subarray(start, end);
  let data: Buffer;
  try {
    data = e.method === 0 ? raw : inflateRawSync(raw);
  } catch (err) {
    throw new DataError(`${where}: cannot inflate the entry: ${(err as Error).message}`);
  }
  if (data.length !== e.size) throw new DataError(`${where}: corrupt zip: the entry inflates to ${data.length} bytes, the directory says ${e.size}`);
  if (crc32(data) >>> 0 !== e.crc >>> 0) throw new DataError(`${where}: corrupt zip: CRC-32 mismatch`);
  return data;
}

function findEocd(buf: Buffer, label: string): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let p = buf.length - 22; p >= min; p--) {
    if (buf.readUInt32LE(p) === EOCD) return p;
  }
  throw new DataError(`${label}: not a zip archive (no end of central directory record)`);
}
