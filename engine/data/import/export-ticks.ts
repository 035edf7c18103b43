/**
 * exportTicks: writes ticks as CSV (one kind of one instrument, with a header; what importTicks reads back by its
 * default column names) or NDJSON (one Tick object a line, any mix; importTicks reads it back with the matching kind,
 * or kind 'ticks' for a mix). Numbers are written in their shortest round-trip form, so export → import is lossless.
 *
 * CSV layouts (times are the Tick's tsEvent / tsInit in epoch ms; a bar's ts_event is its close):
 *   quote  ts_event,ts_init,bid,ask,bid_size,ask_size
 *   trade  ts_event,ts_init,price,size,aggressor,trade_id
 *   bar    ts_event,ts_init,period_ms,open,high,low,close,volume
 * Book snapshots have no CSV layout (export them as NDJSON).
 */
import type { Tick } from '../../model/tick.js';
import { DataError } from '../csv-ticks.js';
import { csvCell } from './csv-line.js';

export type ExportFormat = 'csv' | 'ndjson';

const HEADER = {
  quote: 'ts_event,ts_init,bid,ask,bid_size,ask_size',
  trade: 'ts_event,ts_init,price,size,aggressor,trade_id',
  bar: 'ts_event,ts_init,period_ms,open,high,low,close,volume',
} as const;

const FLUSH_AT = 1 << 16;

/** Writes the ticks through `write` in chunks of whole lines; returns how many ticks were written. */
export function exportTicks(ticks: Iterable<Tick>, format: ExportFormat, write: (chunk: string) => void): number {
  if (format !== 'csv' && format !== 'ndjson') throw new DataError(`exportTicks: format must be csv or ndjson (got ${JSON.stringify(format)})`);
  let buf = '';
  let n = 0;
  let first: Tick | undefined;
  for (const t of ticks) {
    if (format === 'ndjson') {
      buf += `${JSON.stringify(t)}\n`;
    } else {
      if (!first) {
        first = t;
        if (t.kind === 'book') throw new DataError(`exportTicks: book snapshots (${t.instrumentId}) have no CSV layout: export them as NDJSON`);
        buf += `${HEADER[t.kind]}\n`;
      } else if (t.kind !== first.kind || t.instrumentId !== first.instrumentId) {
        throw new DataError(
          `exportTicks: a CSV file holds one kind of tick for one instrument, but tick ${n + 1} is a ${t.kind} of ${t.instrumentId} after ${first.kind}s of ${first.instrumentId}: ` +
            `filter the ticks first (kind === '${first.kind}' && instrumentId === '${first.instrumentId}'), or export NDJSON`,
        );
      }
      buf += `${csvRow(t)}\n`;
    }
    n++;
    if (buf.length >= FLUSH_AT) {
      write(buf);
      buf = '';
    }
  }
  if (buf.length > 0) write(buf);
  return n;
}

const opt = (x: number | undefined): string => (x === undefined ? '' : String(x));

function csvRow(t: Tick): string {
  switch (t.kind) {
    case 'quote':
      return `${t.tsEvent},${t.tsInit},${t.bid},${t.ask},${opt(t.bidSize)},${opt(t.askSize)}`;
    case 'trade':
      return `${t.tsEvent},${t.tsInit},${t.price},${t.size},${t.aggressor ?? ''},${t.tradeId === undefined ? '' : csvCell(t.tradeId)}`;
    case 'bar':
      return `${t.tsEvent},${t.tsInit},${t.periodMs},${t.open},${t.high},${t.low},${t.close},${t.volume}`;
    case 'book':
      throw new DataError(`exportTicks: book snapshots (${t.instrumentId}) have no CSV layout: export them as NDJSON`);
  }
}
