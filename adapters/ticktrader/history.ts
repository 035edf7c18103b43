/**
 * Quote history for warming strategies up: the last `count` closed bars before `to` (default now), fetched backward in
 * QuoteHistoryBars pages of at most 1000 (Count -1000 … -1), returned oldest first as engine Bars.
 */
import type { Clock } from '../../engine/clock/clock.js';
import type { InstrumentId } from '../../engine/model/ids.js';
import type { Bar } from '../../engine/model/tick.js';
import type { TickTraderSession } from './client.js';
import { MAX_HISTORY_COUNT, PERIODICITY_MS, isPeriodicity, type TickTraderPeriodicity } from './constants.js';
import { historyBarsRequest } from './format.js';
import { toHistoryBar } from './parse.js';
import { parseHistoryBars } from './wire.js';

export interface HistoryOptions {
  /** Exclusive end (bars opening before it); default: now. */
  readonly to?: number;
  /** Default: the adapter's barPriceType. */
  readonly priceType?: 'Bid' | 'Ask';
}

export type HistoryFn = (instrumentId: InstrumentId, periodicity: TickTraderPeriodicity, count: number, opts?: HistoryOptions) => Promise<Bar[]>;

export function createHistory(deps: {
  session: TickTraderSession;
  clock: Clock;
  symbolOf: (id: InstrumentId) => string | undefined;
  priceType: 'Bid' | 'Ask';
}): HistoryFn {
  return async (instrumentId, periodicity, count, opts = {}) => {
    const symbol = deps.symbolOf(instrumentId);
    if (symbol === undefined) throw new Error(`ticktrader history: unknown instrument ${instrumentId}`);
    if (!isPeriodicity(periodicity)) throw new Error(`ticktrader history: unknown periodicity ${String(periodicity)}`);
    if (!Number.isInteger(count) || count < 1) throw new Error(`ticktrader history: count must be a positive integer, got ${count}`);
    const periodMs = PERIODICITY_MS[periodicity];
    const now = deps.clock.now();
    const out: Bar[] = [];
    let to = opts.to ?? now;
    while (out.length < count) {
      const n = Math.min(MAX_HISTORY_COUNT, count - out.length);
      const answer = await deps.session.request(historyBarsRequest(symbol, periodicity, opts.priceType ?? deps.priceType, to, -n));
      const page = parseHistoryBars(answer.result);
      if (!page.ok) throw new Error(`ticktrader history: unreadable QuoteHistoryBars answer (${page.error})`);
      const bars = page.value.filter((b) => b.Timestamp < to).sort((a, b) => a.Timestamp - b.Timestamp);
      if (bars.length === 0) break;
      out.unshift(...bars.map((b) => toHistoryBar(instrumentId, b, periodMs, now)));
      to = bars[0]!.Timestamp;
      if (bars.length < n) break;
    }
    return out.filter((b) => b.tsEvent <= now).slice(-count);
  };
}
