/**
 * Reads ticks from a CSV file (optionally .gz) with a header row; the header says what the rows are:
 * - quotes: `ts,bid,ask` with optional `bid_size,ask_size`
 * - trades: `ts,price,size`
 * - bars:   `ts,open,high,low,close,volume` (ts = bar close; `period_ms` column optional, default: gap between rows)
 * `ts` is epoch milliseconds. A bad row stops the read with the file, line number and column in the message.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { InstrumentId } from '../model/ids.js';
import type { Tick } from '../model/tick.js';

export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

type Layout = 'quote' | 'trade' | 'bar';

function layoutOf(header: readonly string[], file: string): Layout {
  const has = (...cols: string[]) => cols.every((c) => header.includes(c));
  if (!has('ts')) throw new DataError(`${file}:1: header has no "ts" column (got: ${header.join(',')})`);
  if (has('bid', 'ask')) return 'quote';
  if (has('open', 'high', 'low', 'close')) return 'bar';
  if (has('price', 'size')) return 'trade';
  throw new DataError(`${file}:1: cannot tell quotes (ts,bid,ask), trades (ts,price,size) or bars (ts,open,high,low,close,volume) from the header: ${header.join(',')}`);
}

export function* readCsvTicks(file: string, instrumentId: InstrumentId): Generator<Tick> {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
    if (file.endsWith('.gz')) raw = gunzipSync(raw);
  } catch (e) {
    throw new DataError(`${file}: cannot read: ${(e as Error).message}`);
  }
  const text = raw.toString('utf8');
  let pos = 0;
  let lineNo = 0;
  const nextLine = (): string | undefined => {
    if (pos >= text.length) return undefined;
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end > pos && text[end - 1] === '\r' ? end - 1 : end);
    pos = end + 1;
    lineNo++;
    return line;
  };
  const header = (nextLine() ?? '').split(',').map((h) => h.trim().toLowerCase());
  const layout = layoutOf(header, file);
  const col = (name: string): number => header.indexOf(name);
  const iTs = col('ts');
  const idx = layout === 'quote' ? [col('bid'), col('ask'), col('bid_size'), col('ask_size')]
    : layout === 'trade' ? [col('price'), col('size')]
    : [col('open'), col('high'), col('low'), col('close'), col('volume'), col('period_ms')];
  let cells: string[] = [];
  const num = (i: number, optional = false): number => {
    if (i < 0) return NaN;
    const cell = cells[i];
    if ((cell === undefined || cell === '') && optional) return NaN;
    const v = Number(cell);
    if (cell === undefined || cell === '' || !Number.isFinite(v)) {
      throw new DataError(`${file}:${lineNo}: column ${header[i]} is not a number: ${JSON.stringify(cell ?? '')}`);
    }
    return v;
  };
  let lastTs = -Infinity;
  let lastBarTs: number | undefined;

  for (let line = nextLine(); line !== undefined; line = nextLine()) {
    if (line.length === 0) continue;
    cells = line.split(',');
    const ts = num(iTs);
    if (ts < lastTs) throw new DataError(`${file}:${lineNo}: ts ${ts} is earlier than the row before (${lastTs}); rows must be in time order`);
    lastTs = ts;
    if (layout === 'quote') {
      const bidSize = num(idx[2]!, true);
      const askSize = num(idx[3]!, true);
      yield {
        kind: 'quote', instrumentId, tsEvent: ts, tsInit: ts, bid: num(idx[0]!), ask: num(idx[1]!),
        ...(Number.isNaN(bidSize) ? {} : { bidSize }), ...(Number.isNaN(askSize) ? {} : { askSize }),
      };
    } else if (layout === 'trade') {
      yield { kind: 'trade', instrumentId, tsEvent: ts, tsInit: ts, price: num(idx[0]!), size: num(idx[1]!) };
    } else {
      const period = num(idx[5]!, true);
      const periodMs = Number.isNaN(period) ? (lastBarTs === undefined ? 60_000 : ts - lastBarTs) : period;
      lastBarTs = ts;
      yield {
        kind: 'bar', instrumentId, tsEvent: ts, tsInit: ts, periodMs,
        open: num(idx[0]!), high: num(idx[1]!), low: num(idx[2]!), close: num(idx[3]!), volume: idx[4]! >= 0 ? num(idx[4]!) : 0,
      };
    }
  }
}
