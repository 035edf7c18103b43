/**
 * Byte-level building blocks of the recording format: a growable writer and a bounds-checked reader of
 * unsigned LEB128 varints (up to 2^53), zigzag varints, little-endian float64 and length-prefixed UTF-8.
 * Varints beyond 28 bits use arithmetic instead of bit operations so the full safe-integer range round-trips.
 */

/** Thrown by ByteReader when a read runs past the end; the caller turns it into a DataError naming file and offset. */
export class OutOfBytes extends Error {
  constructor(readonly at: number) {
    super(`unexpected end of data at payload byte ${at}`);
    this.name = 'OutOfBytes';
  }
}

export function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

export class ByteWriter {
  buf: Uint8Array;
  pos = 0;
  private view: DataView;

  constructor(initial = 1024) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Unsigned varint; `n` must be a non-negative safe integer. */
  varint(n: number): void {
    if (this.pos + 8 > this.buf.length) this.ensure(8);
    const buf = this.buf;
    let p = this.pos;
    if (n < 0x80000000) {
      while (n >= 0x80) {
        buf[p++] = (n & 0x7f) | 0x80;
        n >>>= 7;
      }
      buf[p++] = n;
      this.pos = p;
      return;
    }
    while (n >= 0x80) {
      buf[p++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    buf[p++] = n;
    this.pos = p;
  }

  zigzag(n: number): void {
    this.varint(zigzag(n));
  }

  f64(x: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, x, true);
    this.pos += 8;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  string(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.varint(b.length);
    this.bytes(b);
  }

  result(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

export class ByteReader {
  pos: number;
  private readonly view: DataView;

  constructor(readonly buf: Uint8Array, pos = 0, readonly end = buf.length) {
    this.pos = pos;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  byte(): number {
    if (this.pos >= this.end) throw new OutOfBytes(this.pos);
    return this.buf[this.pos++]!;
  }

  varint(): number {
    const buf = this.buf;
    let p = this.pos;
    if (p + 8 <= this.end) {
      // Fast path: enough bytes are left for any varint we write, so no bounds check per byte.
      let b = buf[p++]!;
      let n = b & 0x7f;
      if (b >= 0x80) {
        b = buf[p++]!;
        n |= (b & 0x7f) << 7;
        if (b >= 0x80) {
          b = buf[p++]!;
          n |= (b & 0x7f) << 14;
          if (b >= 0x80) {
            b = buf[p++]!;
            n |= (b & 0x7f) << 21;
            if (b >= 0x80) {
              let mul = 0x10000000;
              do {
                b = buf[p++]!;
                n += (b & 0x7f) * mul;
                mul *= 0x80;
              } while (b >= 0x80 && p < this.end);
            }
          }
        }
      }
      this.pos = p;
      return n;
    }
    let n = 0;
    let mul = 1;
    for (;;) {
      if (p >= this.end) throw new OutOfBytes(p);
      const b = buf[p++]!;
      n += (b & 0x7f) * mul;
      if (b < 0x80) break;
      mul *= 0x80;
    }
    this.pos = p;
    return n;
  }

  zigzag(): number {
    const z = this.varint();
    if (z < 0x80000000) return (z >>> 1) ^ -(z & 1);
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  f64(): number {
    if (this.pos + 8 > this.end) throw new OutOfBytes(this.pos);
    const x = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return x;
  }

  string(): string {
    const len = this.varint();
    if (this.pos + len > this.end) throw new OutOfBytes(this.pos);
    const s = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.pos, len).toString('utf8');
    this.pos += len;
    return s;
  }
}
