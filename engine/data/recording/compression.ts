/** Payload compression with node:zlib: DEFLATE (the gzip algorithm, raw stream: the chunk carries its own CRC) or brotli. */
import { brotliCompressSync, brotliDecompressSync, constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { CODEC_BROTLI, CODEC_GZIP, CODEC_NONE, type Compression } from './format.js';

/**
 * Levels chosen by measurement (data/FORMAT.md): DEFLATE level 9 is no smaller than level 6 on these payloads and
 * 4× slower to encode; brotli 10 is as small as 11 (10-13% under DEFLATE) at half of 11's encode time.
 */
export const GZIP_LEVEL = 6;
export const BROTLI_QUALITY = 10;

export function codecOf(c: Compression): number {
  return c === 'brotli' ? CODEC_BROTLI : CODEC_GZIP;
}

export function compress(codec: number, raw: Uint8Array): Uint8Array {
  switch (codec) {
    case CODEC_NONE: return raw;
    case CODEC_GZIP: return deflateRawSync(raw, { level: GZIP_LEVEL });
    case CODEC_BROTLI: return brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
        [constants.BROTLI_PARAM_LGWIN]: 22,
      },
    });
    default: throw new RangeError(`unknown codec ${codec}`);
  }
}

/** Throws on a bad stream or when the output is not exactly `rawLength` bytes long. */
export function decompress(codec: number, data: Uint8Array, rawLength: number): Uint8Array {
  let out: Uint8Array;
  const maxOutputLength = Math.max(1, rawLength);
  switch (codec) {
    case CODEC_NONE: out = data; break;
    case CODEC_GZIP: out = inflateRawSync(data, { maxOutputLength }); break;
    case CODEC_BROTLI: out = brotliDecompressSync(data, { maxOutputLength }); break;
    default: throw new RangeError(`unknown compression codec ${codec}`);
  }
  if (out.length !== rawLength) throw new RangeError(`decompressed to ${out.length} bytes, header says ${rawLength}`);
  return out;
}
