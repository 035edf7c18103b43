/**
 * Opens an import source as a sequence of byte chunks. Plain files are read lazily in 4 MB chunks; a .gz file or a
 * zip entry is inflated into one Buffer (then handed out as chunks without copying).
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DataError } from '../csv-ticks.js';
import type { ImportFormat, ImportSource } from './types.js';
import { listZipEntries, pickZipEntry, readZipEntry } from './zip.js';

export const CHUNK_BYTES = 4 << 20;

export interface OpenedSource {
  /** For error messages: the path, `path!entry` for a zip entry. */
  readonly label: string;
  /** The path or name the source was given by. */
  readonly outer: string;
  /** Name of the innermost file (zip entry name, else the file name), to tell the format and the day. */
  readonly name: string;
  readonly chunks: Iterable<Buffer>;
}

/** The label of a source before it is opened (a zip's entry is known only once it is opened). */
export function sourceLabel(src: ImportSource): string {
  return typeof src === 'string' ? src : 'path' in src ? src.path : src.name;
}

export function openSource(src: ImportSource): OpenedSource {
  const outer = sourceLabel(src);
  const entry = typeof src === 'string' ? undefined : src.entry;
  const lower = outer.toLowerCase();
  if (typeof src !== 'string' && 'data' in src) {
    const bytes = typeof src.data === 'string' ? Buffer.from(src.data, 'utf8') : Buffer.from(src.data.buffer, src.data.byteOffset, src.data.byteLength);
    return fromBuffer(outer, lower, bytes, entry);
  }
  if (lower.endsWith('.gz') || lower.endsWith('.zip')) return fromBuffer(outer, lower, readAll(outer), entry);
  return { label: outer, outer, name: outer, chunks: fileChunks(outer) };
}

function fromBuffer(label: string, lower: string, bytes: Buffer, entry: string | undefined): OpenedSource {
  if (lower.endsWith('.zip')) {
    const e = pickZipEntry(listZipEntries(bytes, label), label, entry);
    return { label: `${label}!${e.name}`, outer: label, name: e.name, chunks: bufferChunks(readZipEntry(bytes, e, label)) };
  }
  if (lower.endsWith('.gz')) {
    let data: Buffer;
    try {
      data = gunzipSync(bytes);
    } catch (err) {
      throw new DataError(`${label}: cannot gunzip: ${(err as Error).message}`);
    }
    return { label, outer: label, name: label.slice(0, -3), chunks: bufferChunks(data) };
  }
  return { label, outer: label, name: label, chunks: bufferChunks(bytes) };
}

function readAll(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new DataError(`${path}: cannot read: ${(err as Error).message}`);
  }
}

function* bufferChunks(data: Buffer): Generator<Buffer> {
  for (let p = 0; p < data.length; p += CHUNK_BYTES) yield data.subarray(p, Math.min(data.length, p + CHUNK_BYTES));
}

function* fileChunks(path: string): Generator<Buffer> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new DataError(`${path}: cannot read: ${(err as Error).message}`);
  }
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const n = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      if (n === 0) return;
      yield n === CHUNK_BYTES ? chunk : chunk.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/** The format a file name implies (`.gz` looked through; a `.zip` is judged by its entry), or undefined. */
export function formatOfName(name: string): ImportFormat | undefined {
  let n = name.toLowerCase();
  if (n.endsWith('.gz')) n = n.slice(0, -3);
  if (n.endsWith('.csv')) return 'csv';
  if (n.endsWith('.ndjson') || n.endsWith('.jsonl')) return 'ndjson';
  return undefined;
}
