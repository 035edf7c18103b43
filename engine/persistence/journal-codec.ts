/**
 * The backtest event journal's chunk format (data/FORMAT.md "Event journal"): a run's order events, in order, as
 * compact binary chunks, each one SQLite blob row (table event_journal). A backtest is reproducible from its inputs,
 * so its events need not be rows as they happen (DESIGN.md "Reliability rules"); this costs about a microsecond an
 * event where a row with a JSON copy cost ten.
 *
 * A chunk, before deflate (raw, level 1):
 *   "EVJ1"                       magic and version
 *   u32 events, u32 strings      little-endian
 *   strings                      each: varint byte length, UTF-8 bytes (every string of the chunk, once)
 *   events                       each: u8 kind code, varint presence bits of its optional fields, then its fields in
 *                                the order of EVENT_FIELDS: a string as the varint index of its table entry, a number
 *                                as a float64 (little-endian), an absent optional field not at all
 * Kind codes and field orders are fixed by EVENT_FIELDS: append to it, never reorder.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { OrderEvent, OrderEventKind } from '../model/events.js';

type FieldType = 's' | 'n' | 's?' | 'n?';
/** Every field of the event but its kind, with its type: the compiler refuses a schema that misses one. */
type FieldsOf<E> = {
  readonly [K in Exclude<keyof E, 'kind'>]-?: undefined extends E[K]
    ? (NonNullable<E[K]> extends number ? 'n?' : 's?')
    : (E[K] extends number ? 'n' : 's');
};
type Schema = { readonly [K in OrderEventKind]: FieldsOf<Extract<OrderEvent, { kind: K }>> };

const BASE = { clientOrderId: 's', strategyId: 's', instrumentId: 's', tsEvent: 'n', tsInit: 'n' } as const;

/** The journal's schema, version 1: kind codes are the order of these keys. */
export const EVENT_FIELDS: Schema = {
  OrderDenied: { ...BASE, code: 's', message: 's' },
  OrderSubmitted: { ...BASE, venue: 's' },
  OrderAccepted: { ...BASE, venueOrderId: 's' },
  OrderRejected: { ...BASE, reason: 's' },
  OrderPendingCancel: BASE,
  OrderPendingUpdate: BASE,
  OrderCanceled: { ...BASE, reason: 's?' },
  OrderCancelRejected: { ...BASE, reason: 's' },
  OrderUpdated: { ...BASE, price: 'n?', quantity: 'n' },
  OrderModifyRejected: { ...BASE, reason: 's' },
  OrderExpired: BASE,
  OrderFilled: {
    ...BASE, venue: 's', venueOrderId: 's', tradeId: 's', side: 's', lastQty: 'n', lastPrice: 'n', fee: 'n', feeCurrency: 's', liquidity: 's',
  },
  OrderAdopted: { ...BASE, venue: 's', venueOrderId: 's', reason: 's' },
};

interface KindCodec {
  readonly kind: OrderEventKind;
  readonly names: readonly string[];
  readonly types: readonly FieldType[];
  /** Bit of each optional field in the presence bits, or -1. */
  readonly optionalBit: readonly number[];
}

const KINDS: readonly KindCodec[] = (Object.keys(EVENT_FIELDS) as OrderEventKind[]).map((kind) => {
  const fields = EVENT_FIELDS[kind] as Readonly<Record<string, FieldType>>;
  const names = Object.keys(fields);
  const types = names.map((n) => fields[n]!);
  let bit = 0;
  return { kind, names, types, optionalBit: types.map((t) => (t.endsWith('?') ? bit++ : -1)) };
});
const CODE = new Map<string, number>(KINDS.map((k, i) => [k.kind, i]));

const MAGIC = 0x314a5645; // "EVJ1" little-endian

/**
 * Builds one chunk event by event: `snapshot()` gives the chunk so far, `clear()` starts an empty one.
 */
export class JournalChunkEncoder {
  private buf = Buffer.allocUnsafe(1 << 16);
  private len = 0;
  private strings: string[] = [];
  private index = new Map<string, number>();
  private count = 0;

  get events(): number {
    return this.count;
  }

  add(event: OrderEvent): void {
    const code = CODE.get(event.kind);
    if (code === undefined) throw new Error(`event journal: unknown event kind ${JSON.stringify(event.kind)}`);
    const k = KINDS[code]!;
    const e = event as unknown as Readonly<Record<string, unknown>>;
    this.ensure(16 + 9 * k.names.length);
    this.buf[this.len++] = code;
    let presence = 0;
    for (let i = 0; i < k.names.length; i++) if (k.optionalBit[i]! >= 0 && e[k.names[i]!] !== undefined) presence |= 1 << k.optionalBit[i]!;
    this.varint(presence);
    for (let i = 0; i < k.names.length; i++) {
      const v = e[k.names[i]!];
      const t = k.types[i]!;
      if (v === undefined) {
        if (t.length === 1) throw new Error(`event journal: ${event.kind} without its ${k.names[i]}`);
        continue;
      }
      if (t[0] === 'n') {
        if (typeof v !== 'number') throw new Error(`event journal: ${event.kind}.${k.names[i]} is not a number: ${JSON.stringify(v)}`);
        this.buf.writeDoubleLE(v, this.len);
        this.len += 8;
      } else {
        if (typeof v !== 'string') throw new Error(`event journal: ${event.kind}.${k.names[i]} is not a string: ${JSON.stringify(v)}`);
        let s = this.index.get(v);
        if (s === undefined) {
          s = this.strings.length;
          this.strings.push(v);
          this.index.set(v, s);
        }
        this.varint(s);
      }
    }
    this.count++;
  }

  /** The chunk so far, deflated (the encoder keeps it until `clear`). */
  snapshot(): { events: number; data: Buffer } {
    const parts: Buffer[] = [];
    const head = Buffer.allocUnsafe(12);
    head.writeUInt32LE(MAGIC, 0);
    head.writeUInt32LE(this.count, 4);
    head.writeUInt32LE(this.strings.length, 8);
    parts.push(head);
    for (const s of this.strings) {
      const bytes = Buffer.from(s, 'utf8');
      parts.push(varintBytes(bytes.length), bytes);
    }
    parts.push(this.buf.subarray(0, this.len));
    return { events: this.count, data: deflateRawSync(Buffer.concat(parts), { level: 1 }) };
  }

  /** Starts over empty. */
  clear(): void {
    this.len = 0;
    this.strings = [];
    this.index = new Map();
    this.count = 0;
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  private varint(x: number): void {
    while (x >= 0x80) {
      this.buf[this.len++] = (x & 0x7f) | 0x80;
      x >>>= 7;
    }
    this.buf[this.len++] = x;
  }
}

function varintBytes(x: number): Buffer {
  const out: number[] = [];
  while (x >= 0x80) {
    out.push((x & 0x7f) | 0x80);
    x >>>= 7;
  }
  out.push(x);
  return Buffer.from(out);
}

/** A chunk's events, in order; a chunk that is not one (bad magic, cut short, unknown kind) is an error saying so. */
export function decodeJournalChunk(data: Buffer): OrderEvent[] {
  let raw: Buffer;
  try {
    raw = inflateRawSync(data);
  } catch (e) {
    throw new Error(`event journal chunk is not deflate data: ${(e as Error).message}`);
  }
  let pos = 0;
  const need = (n: number): void => {
    if (pos + n > raw.length) throw new Error(`event journal chunk is cut short at byte ${pos} of ${raw.length}`);
  };
  const varint = (): number => {
    let x = 0;
    let shift = 0;
    for (;;) {
      need(1);
      const b = raw[pos++]!;
      x += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return x;
      shift += 7;
    }
  };
  need(12);
  if (raw.readUInt32LE(0) !== MAGIC) throw new Error('event journal chunk has a wrong magic number: not format EVJ1');
  const count = raw.readUInt32LE(4);
  const nStrings = raw.readUInt32LE(8);
  pos = 12;
  const strings: string[] = new Array<string>(nStrings);
  for (let i = 0; i < nStrings; i++) {
    const n = varint();
    need(n);
    strings[i] = raw.toString('utf8', pos, pos + n);
    pos += n;
  }
  const events: OrderEvent[] = new Array<OrderEvent>(count);
  for (let i = 0; i < count; i++) {
    need(1);
    const k = KINDS[raw[pos++]!];
    if (k === undefined) throw new Error(`event journal chunk: unknown kind code ${raw[pos - 1]} at event ${i}`);
    const presence = varint();
    const e: Record<string, unknown> = { kind: k.kind };
    for (let f = 0; f < k.names.length; f++) {
      const bit = k.optionalBit[f]!;
      if (bit >= 0 && (presence & (1 << bit)) === 0) continue;
      if (k.types[f]![0] === 'n') {
        need(8);
        e[k.names[f]!] = raw.readDoubleLE(pos);
        pos += 8;
      } else {
        const s = varint();
        if (s >= nStrings) throw new Error(`event journal chunk: string ${s} of ${nStrings} at event ${i}`);
        e[k.names[f]!] = strings[s];
      }
    }
    events[i] = e as unknown as OrderEvent;
  }
  if (pos !== raw.length) throw new Error(`event journal chunk has ${raw.length - pos} bytes after its ${count} events`);
  return events;
}
