/**
 * FIX 4.2 tag=value encoding (issue 16): messages as SOH-separated `tag=value` fields, framed by BeginString (8),
 * BodyLength (9: the bytes from after the 9 field to the start of the 10 field) and CheckSum (10: the byte sum of
 * everything before the 10 field, modulo 256, three digits).
 *
 * The framer cuts a TCP byte stream into messages and tells garbled ones apart (a wrong BodyLength or CheckSum, a
 * stream that does not start with a header): a garbled message is reported and skipped, never parsed, so it consumes
 * no sequence number (the session layer's rule). Data fields (RawData 96, and the other `…Data` fields) may hold SOH
 * bytes: their length comes from the field before them, as the standard says.
 */

export const SOH = 0x01;
const SOH_CHAR = '\u0001';

/** Data fields and the length fields that precede them (FIX 4.2: the data types "data" and "Length"). */
const DATA_FIELD_LENGTH: ReadonlyMap<number, number> = new Map([
  [91, 90], // SecureData ← SecureDataLen
  [96, 95], // RawData ← RawDataLength
  [213, 212], // XmlData ← XmlDataLen
  [351, 350], // EncodedSecurityDesc ← EncodedSecurityDescLen
  [355, 354], // EncodedText ← EncodedTextLen
  [357, 356], // EncodedSubject ← EncodedSubjectLen
  [359, 358], // EncodedHeadline ← EncodedHeadlineLen
]);

/** The largest message the framer accepts: beyond it the stream is taken as garbage and resynchronised. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export type FixField = readonly [tag: number, value: string];

/** A parsed message: its fields in order (header, body, trailer), with lookups by tag. */
export class FixMessage {
  private index: Map<number, string> | undefined;
  constructor(readonly fields: readonly FixField[]) {}

  /** The first value of `tag`, or undefined. */
  get(tag: number): string | undefined {
    if (this.index === undefined) {
      this.index = new Map();
      for (const [t, v] of this.fields) if (!this.index.has(t)) this.index.set(t, v);
    }
    return this.index.get(tag);
  }

  has(tag: number): boolean {
    return this.get(tag) !== undefined;
  }

  get msgType(): string {
    return this.get(35) ?? '';
  }

  /** MsgSeqNum (34) as a number; NaN when missing or not a positive integer. */
  get seqNum(): number {
    const v = this.get(34);
    return v !== undefined && /^[1-9]\d{0,17}$/.test(v) ? Number(v) : Number.NaN;
  }
}

/** Sum of the bytes modulo 256, as FIX's three-digit CheckSum. */
export function checksum(bytes: Uint8Array, end = bytes.length): string {
  let sum = 0;
  for (let i = 0; i < end; i++) sum += bytes[i]!;
  return String(sum % 256).padStart(3, '0');
}

/**
 * Encodes a message: `8=<beginString>`, `9=<BodyLength>`, then `fields` in the order given (MsgType 35 first, as the
 * standard wants; the caller puts the rest of the header before the body), then `10=<CheckSum>`. A value holding SOH is
 * refused unless its tag is a data field (whose length field the caller gives just before it).
 */
export function encodeFix(beginString: string, fields: readonly FixField[]): Buffer {
  if (fields.length === 0 || fields[0]![0] !== 35) throw new Error('a FIX message starts with MsgType (35)');
  let body = '';
  for (const [tag, value] of fields) {
    if (!Number.isInteger(tag) || tag <= 0) throw new Error(`bad FIX tag ${tag}`);
    if (value.includes(SOH_CHAR) && !DATA_FIELD_LENGTH.has(tag)) throw new Error(`FIX field ${tag} holds a SOH byte`);
    body += `${tag}=${value}${SOH_CHAR}`;
  }
  const bodyBytes = Buffer.byteLength(body, 'latin1');
  const head = `8=${beginString}${SOH_CHAR}9=${bodyBytes}${SOH_CHAR}`;
  const withoutTrailer = Buffer.from(head + body, 'latin1');
  return Buffer.concat([withoutTrailer, Buffer.from(`10=${checksum(withoutTrailer)}${SOH_CHAR}`, 'latin1')]);
}

/** Why the framer dropped bytes. */
export interface Garbled {
  readonly reason: string;
  /** The dropped bytes, for a log line (at most 200, SOH shown as |). */
  readonly excerpt: string;
}

const excerptOf = (b: Uint8Array): string => Buffer.from(b.subarray(0, 200)).toString('latin1').replaceAll(SOH_CHAR, '|');
const BEGIN = Buffer.from('8=FIX', 'latin1');
const NEXT_BEGIN = Buffer.from('\u00018=FIX', 'latin1');

/**
 * Cuts a byte stream into whole messages. `push` takes what the socket gave and returns, in order, each whole message
 * (parsed) and each garbled one (reported, skipped). Bytes of a message not yet whole are kept for the next push.
 */
export class FixFramer {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): Array<FixMessage | Garbled> {
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    const out: Array<FixMessage | Garbled> = [];
    for (;;) {
      const r = this.next();
      if (r === undefined) break;
      out.push(r);
    }
    return out;
  }

  /** Bytes held for an incomplete message. */
  get pending(): number {
    return this.buf.length;
  }

  private drop(n: number, reason: string): Garbled {
    const g = { reason, excerpt: excerptOf(this.buf.subarray(0, n)) };
    this.buf = this.buf.subarray(n);
    return g;
  }

  /** The next message or garbled run, or undefined when more bytes are needed. */
  private next(): FixMessage | Garbled | undefined {
    const buf = this.buf;
    if (buf.length === 0) return undefined;
    // resynchronise on the next header
    const start = buf.indexOf(BEGIN);
    if (start < 0) return buf.length > BEGIN.length ? this.drop(buf.length - (BEGIN.length - 1), 'bytes before a FIX header') : undefined;
    if (start > 0) return this.drop(start, 'bytes before a FIX header');
    // 8=FIX.x.y SOH 9=<n> SOH
    const end8 = buf.indexOf(SOH);
    if (end8 < 0) return buf.length > 32 ? this.drop(1, 'a BeginString without its end') : undefined;
    const at9 = end8 + 1;
    if (buf.length < at9 + 3) return undefined;
    if (buf[at9] !== 0x39 || buf[at9 + 1] !== 0x3d) return this.drop(1, 'BodyLength (9) does not follow BeginString');
    const end9 = buf.indexOf(SOH, at9);
    if (end9 < 0) return buf.length - at9 > 12 ? this.drop(1, 'a BodyLength without its end') : undefined;
    const lenText = buf.toString('latin1', at9 + 2, end9);
    if (!/^\d{1,6}$/.test(lenText)) return this.drop(1, `BodyLength ${JSON.stringify(lenText)} is not a number`);
    const bodyLength = Number(lenText);
    const bodyStart = end9 + 1;
    const trailerAt = bodyStart + bodyLength;
    if (trailerAt + 7 > MAX_MESSAGE_BYTES) return this.drop(1, `BodyLength ${bodyLength} is larger than ${MAX_MESSAGE_BYTES} bytes`);
    if (buf.length < trailerAt + 7) {
      // a BodyLength that reaches over the next message's header is wrong: drop up to that header rather than wait
      const next = buf.indexOf(NEXT_BEGIN, bodyStart);
      if (next >= 0 && next + 1 < trailerAt) return this.drop(next + 1, `BodyLength ${bodyLength} reaches over the next message`);
      return undefined; // 10=NNN SOH still to come
    }
    if (buf[trailerAt - 1] !== SOH || buf[trailerAt] !== 0x31 || buf[trailerAt + 1] !== 0x30 || buf[trailerAt + 2] !== 0x3d || buf[trailerAt + 6] !== SOH) {
      // BodyLength does not end where the CheckSum field starts: drop up to the next header after this one
      const again = buf.indexOf(BEGIN, 1);
      return this.drop(again < 0 ? buf.length : again, `BodyLength ${bodyLength} does not end at the CheckSum (10) field`);
    }
    const given = buf.toString('latin1', trailerAt + 3, trailerAt + 6);
    const want = checksum(buf, trailerAt);
    const whole = trailerAt + 7;
    if (given !== want) return this.drop(whole, `CheckSum ${given} is not ${want}`);
    const fields = parseFields(buf.subarray(0, whole));
    this.buf = buf.subarray(whole);
    if (typeof fields === 'string') return { reason: fields, excerpt: excerptOf(buf.subarray(0, whole)) };
    return new FixMessage(fields);
  }
}

/**
 * The fields of one whole message, or why it cannot be read (a field without `=`, a tag that is not a number). Tags are
 * read from the bytes (no string per tag): this is on every message the venue sends.
 */
export function parseFields(bytes: Uint8Array): FixField[] | string {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  const n = b.length;
  const fields: FixField[] = [];
  let i = 0;
  let prevTag = 0;
  let prevValue = '';
  while (i < n) {
    let tag = 0;
    let j = i;
    for (; j < n; j++) {
      const c = b[j]!;
      if (c === 0x3d) break;
      if (c < 0x30 || c > 0x39 || (j === i && c === 0x30) || j - i >= 9) {
        const eq = b.indexOf(0x3d, i);
        if (eq < 0) return `a field without "=" at byte ${i}`;
        return `tag ${JSON.stringify(b.toString('latin1', i, Math.min(eq, i + 12)))} at byte ${i} is not a number`;
      }
      tag = tag * 10 + (c - 0x30);
    }
    if (j >= n) return `a field without "=" at byte ${i}`;
    if (j === i) return `tag "" at byte ${i} is not a number`;
    let end: number;
    const lengthTag = DATA_FIELD_LENGTH.get(tag);
    if (lengthTag !== undefined && prevTag === lengthTag && /^\d{1,6}$/.test(prevValue)) {
      end = j + 1 + Number(prevValue); // a data field: its length was given, it may hold SOH
      if (b[end] !== SOH) return `data field ${tag} is not ${prevValue} bytes long`;
    } else {
      end = b.indexOf(SOH, j + 1);
      if (end < 0) return `field ${tag} is not ended by SOH`;
    }
    const value = b.toString('latin1', j + 1, end);
    fields.push([tag, value]);
    prevTag = tag;
    prevValue = value;
    i = end + 1;
  }
  return fields;
}

/** Whether a framer result is a garbled run. */
export const isGarbled = (r: FixMessage | Garbled): r is Garbled => !(r instanceof FixMessage);

/** FIX's UTCTimestamp with milliseconds: YYYYMMDD-HH:MM:SS.sss. */
export function fixTimestamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}`;
}

/** Reads a UTCTimestamp (with or without milliseconds) as epoch ms; NaN when it is not one. */
export function parseFixTimestamp(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}))?$/.exec(s);
  if (m === null) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7] ?? 0));
}
