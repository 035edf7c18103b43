/**
 * A minimal zip reader: end of central directory → central directory → local file header → data.
 * Supports stored (0) and deflate (8) entries and checks each entry's CRC-32. Encrypted entries, other compression
 * methods and split archives are refused with a DataError that says what was found. ZIP64 sizes and offsets are read
 * (Lean's sample zips use them).
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
const ZIP64_EOCD = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const METHOD_NAMES: Record<number, string> = { 1: 'shrink', 6: 'implode', 9: 'deflate64', 12: 'bzip2', 14: 'LZMA', 93: 'zstd', 95: 'xz', 98: 'PPMd', 99: 'AES' };

/** The file entries (not directories) of a zip archive (ZIP64 sizes and offsets included). */
export function listZipEntries(zip: Uint8Array, label: string): ZipEntry[] {
  const buf = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = findEocd(buf, label);
  if (buf.readUInt16LE(eocd + 4) !== 0) throw new DataError(`${label}: split (multi-disk) zip archives are not supported`);
  let count = buf.readUInt16LE(eocd + 10);
  let cdSize = buf.readUInt32LE(eocd + 12);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || buf.readUInt32LE(loc) !== ZIP64_LOCATOR) throw new DataError(`${label}: corrupt zip: ZIP64 end of central directory locator not found`);
    const rec = u64(buf, loc + 8, label);
    if (rec + 56 > buf.length || buf.readUInt32LE(rec) !== ZIP64_EOCD) throw new DataError(`${label}: corrupt zip: ZIP64 end of central directory not found`);
    count = u64(buf, rec + 32, label);
    cdSize = u64(buf, rec + 40, label);
    cdOffset = u64(buf, rec + 48, label);
  }
  if (cdOffset + cdSize > buf.length) throw new DataError(`${label}: corrupt zip: central directory lies outside the file`);
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
    let size = buf.readUInt32LE(p + 24);
    let compressedSize = buf.readUInt32LE(p + 20);
    let localOffset = buf.readUInt32LE(p + 42);
    if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      // ZIP64 extended information (header id 1): the 8-byte values of exactly the fields that are 0xffffffff, in order.
      let q = findExtra(buf, p + 46 + nameLen, extraLen, 0x0001);
      if (q < 0) throw new DataError(`${label}: corrupt zip: entry ${name} has no ZIP64 extra field`);
      const next = (): number => ((q += 8), u64(buf, q - 8, label));
      if (size === 0xffffffff) size = next();
      if (compressedSize === 0xffffffff) compressedSize = next();
      if (localOffset === 0xffffffff) localOffset = next();
    }
    const entry: ZipEntry = { name, flags: buf.readUInt16LE(p + 8), method: buf.readUInt16LE(p + 10), crc: buf.readUInt32LE(p + 16), compressedSize, size, localOffset };
    if (!name.endsWith('/')) entries.push(entry);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Offset of the data of extra field `id` within the extra block at [start, start + len), or -1. */
function findExtra(buf: Buffer, start: number, len: number, id: number): number {
  for (let q = start; q + 4 <= start + len; q += 4 + buf.readUInt16LE(q + 2)) {
    if (buf.readUInt16LE(q) === id) return q + 4;
  }
  return -1;
}

function u64(buf: Buffer, at: number, label: string): number {
  if (at + 8 > buf.length) throw new DataError(`${label}: corrupt zip: a ZIP64 field lies outside the file`);
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new DataError(`${label}: corrupt zip: a ZIP64 size or offset is out of range`);
  return Number(v);
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
