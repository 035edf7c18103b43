/**
 * The prices a backtest replayed, read again from the data files its stored config names (backtest.data: recordings
 * or CSV files, relative to the directory the report runs in, as to the backtest) over the run's span: for the price
 * chart and the buy-and-hold benchmark. A quote gives its mid, a trade its price, a bar its close, a book its best mid;
 * an instrument with several kinds (quotes and trades) is priced by the first of quotes, book, trades, bars.
 * Data that cannot be read (a file moved or deleted, no data in the config: a paper or live run) is a value saying
 * why, never a throw: the report is written without the prices.
 */
import { D } from '../model/decimal.js';
import { midOf, type BookSnapshot, type Quote, type Tick } from '../model/tick.js';
import { expandData, openTicks, type DataSpec } from '../data/source.js';
import { downsampleMinMax } from './downsample.js';
import { isObject } from './is-object.js';

/**
 * Most price points kept per instrument: ten times a chart's, so a chart zoomed in to a tenth of the run or less still
 * follows the price closely (about 400 kB of JSON an instrument at most).
 */
export const MAX_PRICE_POINTS = 20_000;

export interface PricePoint {
  readonly ts: number;
  readonly price: number;
}

export interface PriceSeries {
  readonly instrumentId: string;
  readonly kind: string;
  /** Downsampled for drawing (first, last, each bucket's min and max). */
  readonly points: readonly PricePoint[];
  /** How many prices were read. */
  readonly count: number;
  /** First and last price of the run, exact decimal text (a mid to 15 significant digits). */
  readonly first: { ts: number; price: string };
  readonly last: { ts: number; price: string };
  /** Holding the instrument from the first price to the last: last / first − 1 (no fees). */
  readonly buyHoldReturn: number | undefined;
}

export type RunPrices =
  | { readonly ok: true; readonly files: readonly string[]; readonly series: readonly PriceSeries[] }
  | { readonly ok: false; readonly problem: string };


/** The data specs of a stored config (backtest.data), or why there are none. */
export function dataSpecsOf(config: unknown): DataSpec[] | string {
  const data = isObject(config) && isObject(config.backtest) ? config.backtest.data : undefined;
  if (!Array.isArray(data) || data.length === 0) return 'the run\'s config names no data files (backtest.data)';
  const specs = data.filter(isObject).filter((d) => typeof d.file === 'string')
    .map((d): DataSpec => ({ file: d.file as string, ...(typeof d.instrument === 'string' && { instrument: d.instrument }) }));
  return specs.length > 0 ? specs : 'the run\'s config has no readable backtest.data entry';
}

/** The engine's mid (midOf) read to 15 significant digits, as positions are marked, so the float sum leaves no residue. */
const mid = (t: Quote | BookSnapshot): number | undefined => {
  const m = midOf(t);
  return m === undefined ? undefined : Number(m.toPrecision(15));
};

function priceOf(t: Tick): number | undefined {
  switch (t.kind) {
    case 'quote':
      return Number.isFinite(t.bid) && Number.isFinite(t.ask) && t.bid > 0 && t.ask > 0 ? mid(t) : undefined;
    case 'trade':
      return t.price;
    case 'bar':
      return t.close;
    case 'book':
      return mid(t);
  }
}

const PREFERRED: readonly Tick['kind'][] = ['quote', 'book', 'trade', 'bar'];
const KIND: Readonly<Record<Tick['kind'], string>> = { quote: 'mid', trade: 'trade price', bar: 'bar close', book: 'book mid' };

export function loadRunPrices(
  config: unknown,
  instruments: readonly string[],
  span: { from: number; to: number },
  maxPoints: number,
): RunPrices {
  const specs = dataSpecsOf(config);
  if (typeof specs === 'string') return { ok: false, problem: specs };
  const wanted = new Set(instruments);
  // per instrument and kind of tick: an instrument recorded as quotes and trades gets one series, of its quotes' mids
  const byKind = new Map<string, Map<Tick['kind'], PricePoint[]>>();
  try {
    const files = expandData(specs);
    // the replay's span: from its first tick to its end (inclusive; `to` is the engine time of the last event)
    for (const t of openTicks(files, { from: span.from, to: span.to + 1 })) {
      if (!wanted.has(t.instrumentId)) continue;
      const price = priceOf(t);
      if (price === undefined || !Number.isFinite(price)) continue;
      let kinds = byKind.get(t.instrumentId);
      if (!kinds) byKind.set(t.instrumentId, (kinds = new Map()));
      let points = kinds.get(t.kind);
      if (!points) kinds.set(t.kind, (points = []));
      points.push({ ts: t.tsInit, price });
    }
    const read = new Map([...byKind].map(([id, kinds]) => {
      const kind = PREFERRED.find((k) => kinds.has(k))!;
      return [id, { kind: KIND[kind], points: kinds.get(kind)! }] as const;
    }));
    const series = [...read].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([instrumentId, s]): PriceSeries => {
      const first = s.points[0]!;
      const last = s.points.at(-1)!;
      return {
        instrumentId, kind: s.kind, count: s.points.length, points: downsampleMinMax(s.points, maxPoints, (p) => p.price),
        first: { ts: first.ts, price: D(first.price).toString() }, last: { ts: last.ts, price: D(last.price).toString() },
        buyHoldReturn: first.price > 0 ? D(last.price).div(first.price).minus(1).toNumber() : undefined,
      };
    });
    if (series.length === 0) return { ok: false, problem: `no prices of ${instruments.join(', ')} in ${files.map((f) => f.file).join(', ')} over the run's span` };
    return { ok: true, files: files.map((f) => f.file), series };
  } catch (e) {
    return { ok: false, problem: `the run's data cannot be read: ${(e as Error).message}` };
  }
}
