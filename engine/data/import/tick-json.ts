/**
 * Kind 'ticks': NDJSON lines that are whole Tick objects (what exportTicks writes), of any kind and instrument. Each
 * object is checked field by field and rebuilt, so nothing unchecked or unknown passes into the engine.
 */
import type { BookLevel, Tick } from '../../model/tick.js';
import { BadRow } from './row-reader.js';

type Obj = Record<string, unknown>;

export function tickFromJson(line: string, defaultInstrument: string): Tick {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch (err) {
    throw new BadRow(`not valid JSON (${(err as Error).message})`);
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new BadRow('not a JSON object');
  const obj = o as Obj;
  const instrumentId = obj.instrumentId ?? defaultInstrument;
  if (typeof instrumentId !== 'string' || instrumentId === '') throw new BadRow('instrumentId must be a non-empty string');
  const tsEvent = num(obj, 'tsEvent', 'any');
  const tsInit = obj.tsInit === undefined ? tsEvent : num(obj, 'tsInit', 'any');
  const base = { instrumentId, tsEvent, tsInit };
  switch (obj.kind) {
    case 'quote': {
      const q = { kind: 'quote' as const, ...base, bid: num(obj, 'bid', 'positive'), ask: num(obj, 'ask', 'positive') };
      return { ...q, ...opt(obj, 'bidSize'), ...opt(obj, 'askSize') };
    }
    case 'trade': {
      const aggressor = obj.aggressor;
      if (aggressor !== undefined && aggressor !== 'buy' && aggressor !== 'sell') throw new BadRow(`aggressor must be buy or sell: ${JSON.stringify(aggressor)}`);
      const tradeId = obj.tradeId;
      if (tradeId !== undefined && typeof tradeId !== 'string') throw new BadRow(`tradeId must be a string: ${JSON.stringify(tradeId)}`);
      return {
        kind: 'trade', ...base, price: num(obj, 'price', 'positive'), size: num(obj, 'size', 'size'),
        ...(aggressor === undefined ? {} : { aggressor }), ...(tradeId === undefined ? {} : { tradeId }),
      };
    }
    case 'bar':
      return {
        kind: 'bar', ...base, periodMs: num(obj, 'periodMs', 'positive'), open: num(obj, 'open', 'positive'), high: num(obj, 'high', 'positive'),
        low: num(obj, 'low', 'positive'), close: num(obj, 'close', 'positive'), volume: obj.volume === undefined ? 0 : num(obj, 'volume', 'size'),
      };
    case 'book':
      return { kind: 'book', ...base, bids: levels(obj, 'bids'), asks: levels(obj, 'asks') };
    default:
      throw new BadRow(`kind must be quote, book, trade or bar: ${JSON.stringify(obj.kind)}`);
  }
}

function num(o: Obj, key: string, rule: 'any' | 'positive' | 'size'): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new BadRow(`${key} must be a number: ${JSON.stringify(v) ?? 'missing'}`);
  if (rule === 'positive' && !(v > 0)) throw new BadRow(`${key} must be above 0: ${v}`);
  if (rule === 'size' && v < 0) throw new BadRow(`${key} must not be negative: ${v}`);
  return v;
}

function opt(o: Obj, key: 'bidSize' | 'askSize'): { bidSize?: number; askSize?: number } {
  return o[key] === undefined ? {} : { [key]: num(o, key, 'size') };
}

function levels(o: Obj, key: 'bids' | 'asks'): BookLevel[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new BadRow(`${key} must be an array of { price, size }`);
  return v.map((l: unknown, i) => {
    if (typeof l !== 'object' || l === null) throw new BadRow(`${key}[${i}] must be { price, size }`);
    return { price: num(l as Obj, 'price', 'positive'), size: num(l as Obj, 'size', 'size') };
  });
}
