/** SessionInfo, CurrencyTypes, Currencies, Symbols and the QuoteHistory* requests. */
import type { QuoteHistory, PriceType } from './bars.js';
import type { SimMarket } from './market.js';
import { ERRORS, MAX_HISTORY_COUNT, PERIODICITY_MS, QUOTE_HISTORY_VERSION } from './protocol.js';
import { isRecord, splitList, type Replier, type RequestId } from './reply.js';
import { CURRENCIES, CURRENCY_TYPES } from './symbols.js';

export interface ReferenceDeps {
  readonly market: SimMarket;
  readonly history: QuoteHistory;
  readonly session: { readonly id: string; readonly created: number };
}

type Handler = (id: RequestId, params: unknown, r: Replier, d: ReferenceDeps) => void;

/** A `;`-separated filter parameter: undefined when absent, null when present but not a string. */
const filterOf = (params: unknown, name: string): string[] | undefined | null => {
  if (!isRecord(params) || params[name] === undefined) return undefined;
  const v = params[name];
  return typeof v === 'string' ? splitList(v) : null;
};

const symbolParam = (id: RequestId, params: unknown, r: Replier, d: ReferenceDeps) => {
  const s = isRecord(params) ? params.Symbol : undefined;
  if (typeof s !== 'string' || s === '') return void r.error(id, ERRORS.param('Symbol'));
  const spec = d.market.spec(s);
  if (!spec) return void r.error(id, ERRORS.historyNotFound(s));
  return spec;
};

const barParams = (id: RequestId, params: unknown, r: Replier, d: ReferenceDeps) => {
  const spec = symbolParam(id, params, r, d);
  if (!spec || !isRecord(params)) return undefined;
  const { Periodicity: p, PriceType: t } = params;
  if (typeof p !== 'string' || PERIODICITY_MS[p] === undefined) return void r.error(id, ERRORS.periodicity(String(p)));
  if (t !== 'Bid' && t !== 'Ask' && t !== 'bid' && t !== 'ask') return void r.error(id, ERRORS.priceType(String(t)));
  return { spec, periodicity: p, priceType: (t.toLowerCase() === 'bid' ? 'Bid' : 'Ask') as PriceType };
};

export const referenceHandlers: Readonly<Record<string, Handler>> = {
  SessionInfo: (id, _p, r, d) => r.ok(id, 'SessionInfo', { ClientSessionId: d.session.id, ClientSessionCreated: d.session.created, TradeAllowed: false }),
  CurrencyTypes: (id, _p, r) => r.ok(id, 'CurrencyTypes', { CurrencyTypes: CURRENCY_TYPES }),
  Currencies(id, params, r) {
    const names = filterOf(params, 'Currency');
    const types = filterOf(params, 'Type');
    if (names === null) return r.error(id, ERRORS.param('Currency'));
    if (types === null) return r.error(id, ERRORS.param('Type'));
    const list = CURRENCIES.filter((c) => (!names || names.includes(c.Name)) && (!types || types.includes(c.Type)));
    r.ok(id, 'Currencies', { Currencies: list.map(({ Name, Precision, Description }) => ({ Name, Precision, Description })) });
  },
  Symbols(id, params, r, d) {
    const names = filterOf(params, 'Symbol');
    const securities = filterOf(params, 'Security');
    if (names === null) return r.error(id, ERRORS.param('Symbol'));
    if (securities === null) return r.error(id, ERRORS.param('Security'));
    const list = d.market.specs.map((s) => s.wire).filter((w) => (!names || names.includes(w.Symbol)) && (!securities || securities.includes(w.SecurityName)));
    r.ok(id, 'Symbols', { Symbols: list });
  },
  // The document lists the QuoteHistory requests but not their answers: these Result shapes are the simulator's.
  QuoteHistoryVersion: (id, _p, r) => r.ok(id, 'QuoteHistoryVersion', { Version: QUOTE_HISTORY_VERSION }),
  QuoteHistorySymbols: (id, _p, r, d) => r.ok(id, 'QuoteHistorySymbols', { Symbols: d.market.specs.map((s) => s.wire.Symbol) }),
  QuoteHistoryPeriodicities(id, params, r, d) {
    const spec = symbolParam(id, params, r, d);
    if (spec) r.ok(id, 'QuoteHistoryPeriodicities', { Symbol: spec.wire.Symbol, Periodicities: Object.keys(PERIODICITY_MS) });
  },
  QuoteHistoryBarsInfo(id, params, r, d) {
    const p = barParams(id, params, r, d);
    if (!p) return;
    const { from, to } = d.history.range(p.periodicity);
    r.ok(id, 'QuoteHistoryBarsInfo', { Symbol: p.spec.wire.Symbol, Periodicity: p.periodicity, PriceType: p.priceType, AvailFrom: from, AvailTo: to });
  },
  QuoteHistoryBars(id, params, r, d) {
    const p = barParams(id, params, r, d);
    if (!p || !isRecord(params)) return;
    const { Timestamp: ts, Count: count } = params;
    if (typeof ts !== 'number' || !Number.isFinite(ts) || ts < 0) return r.error(id, ERRORS.param('Timestamp'));
    if (typeof count !== 'number' || !Number.isInteger(count) || count === 0 || Math.abs(count) > MAX_HISTORY_COUNT) return r.error(id, ERRORS.param('Count'));
    const bars = d.history.bars(p.spec, p.periodicity, p.priceType, ts, count);
    r.ok(id, 'QuoteHistoryBars', {
      Symbol: p.spec.wire.Symbol, Periodicity: p.periodicity, PriceType: p.priceType,
      From: bars[0]?.time ?? ts, To: bars.length ? bars[bars.length - 1]!.time + PERIODICITY_MS[p.periodicity]! : ts,
      Bars: bars.map((b) => ({ Timestamp: b.time, Open: b.open, High: b.high, Low: b.low, Close: b.close, Volume: b.volume })),
    });
  },
};
