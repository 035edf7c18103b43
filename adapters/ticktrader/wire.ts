/** Raw TickTrader frames and their parsers from unknown (every venue frame is checked here once). */
import type { Result } from '../../engine/model/result.js';

export type TickTraderId = string | number;

export interface TickTraderLevelWire {
  readonly Price: number;
  readonly Volume: number;
}

/** FeedTick `Result` and FeedSubscribe `Snapshot` entries. */
export interface TickTraderTickWire {
  readonly Symbol: string;
  readonly Timestamp: number;
  readonly BestBid: TickTraderLevelWire | undefined;
  readonly BestAsk: TickTraderLevelWire | undefined;
  readonly Bids: readonly TickTraderLevelWire[];
  readonly Asks: readonly TickTraderLevelWire[];
}

export interface TickTraderBarWire {
  readonly Time: number;
  readonly Open: number;
  readonly High: number;
  readonly Low: number;
  readonly Periodicity: string;
  readonly PriceType: string;
}

export interface TickTraderBarUpdateWire {
  readonly SymbolAlias: string;
  readonly Updates: readonly TickTraderBarWire[];
  readonly BidClose: number | undefined;
  readonly AskClose: number | undefined;
}

/** The fields of a Symbols entry the adapter uses (the rest of the documented fields are ignored). */
export interface TickTraderSymbolWire {
  readonly Symbol: string;
  readonly Precision: number;
  readonly ContractSize: number;
  readonly MarginCurrency: string;
  readonly ProfitCurrency: string;
  readonly MinTradeAmount: number;
  readonly MaxTradeAmount: number;
  readonly TradeAmountStep: number;
  readonly CommissionType: string | undefined;
  readonly CommissionChargeMethod: string | undefined;
  readonly Commission: number | undefined;
  readonly LimitsCommission: number | undefined;
  readonly IsTradeAllowed: boolean | undefined;
  /** Read from `StatusGroupId`, or `"StatusGroupId "` with the trailing space the document's example has. */
  readonly StatusGroupId: string | undefined;
}

/** A QuoteHistoryBars bar (the answer's shape is not in the document: the simulator's, see test/venues/ticktrader). */
export interface TickTraderHistoryBarWire {
  readonly Timestamp: number;
  readonly Open: number;
  readonly High: number;
  readonly Low: number;
  readonly Close: number;
  readonly Volume: number;
}

export type TickTraderFrame =
  | { readonly kind: 'error'; readonly id: TickTraderId | undefined; readonly message: string }
  | { readonly kind: 'feed-tick'; readonly tick: TickTraderTickWire }
  | { readonly kind: 'bar-update'; readonly id: TickTraderId | undefined; readonly update: TickTraderBarUpdateWire }
  | { readonly kind: 'response'; readonly id: TickTraderId | undefined; readonly response: string; readonly result: unknown };

type R<T> = Result<T, string>;
const ok = <T>(value: T): R<T> => ({ ok: true, value });
const bad = <T>(reason: string): R<T> => ({ ok: false, error: reason });
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optNum = (v: unknown): number | undefined => (isNum(v) ? v : undefined);
const optStr = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function parseJson(text: string): R<unknown> {
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (e) {
    return bad(`not JSON: ${(e as Error).message}`);
  }
}

const level = (v: unknown): TickTraderLevelWire | undefined => (isObj(v) && isNum(v.Price) && isNum(v.Volume) ? { Price: v.Price, Volume: v.Volume } : undefined);
const levels = (v: unknown): TickTraderLevelWire[] | undefined => {
  if (v === undefined) return [];
  if (!Array.isArray(v)) return undefined;
  const out = v.map(level);
  return out.every((l) => l !== undefined) ? (out as TickTraderLevelWire[]) : undefined;
};

export function parseTick(v: unknown): R<TickTraderTickWire> {
  if (!isObj(v) || typeof v.Symbol !== 'string' || !isNum(v.Timestamp)) return bad('tick without Symbol / Timestamp');
  const Bids = levels(v.Bids);
  const Asks = levels(v.Asks);
  if (!Bids || !Asks) return bad('tick with malformed Bids / Asks');
  return ok({ Symbol: v.Symbol, Timestamp: v.Timestamp, BestBid: level(v.BestBid), BestAsk: level(v.BestAsk), Bids, Asks });
}

export function parseBarUpdate(v: unknown): R<TickTraderBarUpdateWire> {
  if (!isObj(v) || typeof v.SymbolAlias !== 'string' || !Array.isArray(v.Updates)) return bad('bar update without SymbolAlias / Updates');
  const updates: TickTraderBarWire[] = [];
  for (const u of v.Updates) {
    if (!isObj(u) || !isNum(u.Time) || !isNum(u.Open) || !isNum(u.High) || !isNum(u.Low) || typeof u.Periodicity !== 'string' || typeof u.PriceType !== 'string') {
      return bad('malformed bar in Updates');
    }
    updates.push({ Time: u.Time, Open: u.Open, High: u.High, Low: u.Low, Periodicity: u.Periodicity, PriceType: u.PriceType });
  }
  return ok({ SymbolAlias: v.SymbolAlias, Updates: updates, BidClose: optNum(v.BidClose), AskClose: optNum(v.AskClose) });
}

export function parseFrame(v: unknown): R<TickTraderFrame> {
  if (!isObj(v) || typeof v.Response !== 'string') return bad('frame without a "Response" string');
  const id = typeof v.Id === 'string' || typeof v.Id === 'number' ? v.Id : undefined;
  switch (v.Response) {
    case 'Error':
      return ok({ kind: 'error', id, message: typeof v.Error === 'string' ? v.Error : 'unspecified error' });
    case 'FeedTick': {
      const t = parseTick(v.Result);
      return t.ok ? ok({ kind: 'feed-tick', tick: t.value }) : t;
    }
    case 'FeedBarUpdate': {
      const b = parseBarUpdate(v.Result);
      return b.ok ? ok({ kind: 'bar-update', id, update: b.value }) : b;
    }
    default:
      return ok({ kind: 'response', id, response: v.Response, result: v.Result });
  }
}

export function parseLoginResult(v: unknown): R<{ twoFactor: boolean }> {
  if (!isObj(v) || typeof v.Info !== 'string') return bad('Login answer without Result.Info');
  return ok({ twoFactor: v.TwoFactorFlag === true });
}

export function parseTwoFactorResult(v: unknown): R<{ info: string; expireTime: number | undefined }> {
  if (!isObj(v) || typeof v.Info !== 'string') return bad('TwoFactor answer without Result.Info');
  return ok({ info: v.Info, expireTime: optNum(v.ExpireTime) });
}

export function parseSnapshot(v: unknown): R<TickTraderTickWire[]> {
  if (!isObj(v) || !Array.isArray(v.Snapshot)) return bad('FeedSubscribe answer without Snapshot');
  const out: TickTraderTickWire[] = [];
  for (const t of v.Snapshot) {
    const p = parseTick(t);
    if (!p.ok) return p;
    out.push(p.value);
  }
  return ok(out);
}

/** Entries that are not usable symbols are returned in `skipped` (with the reason), not fatal. */
export function parseSymbols(v: unknown): R<{ symbols: TickTraderSymbolWire[]; skipped: string[] }> {
  if (!isObj(v) || !Array.isArray(v.Symbols)) return bad('Symbols answer without a Symbols array');
  const symbols: TickTraderSymbolWire[] = [];
  const skipped: string[] = [];
  for (const s of v.Symbols) {
    if (!isObj(s) || typeof s.Symbol !== 'string') {
      skipped.push('an entry without Symbol');
      continue;
    }
    const need = ['Precision', 'ContractSize', 'MinTradeAmount', 'MaxTradeAmount', 'TradeAmountStep'] as const;
    const missing = need.filter((k) => !isNum(s[k]));
    if (missing.length || typeof s.MarginCurrency !== 'string' || typeof s.ProfitCurrency !== 'string') {
      skipped.push(`${s.Symbol}: missing ${[...missing, ...(typeof s.MarginCurrency !== 'string' ? ['MarginCurrency'] : []), ...(typeof s.ProfitCurrency !== 'string' ? ['ProfitCurrency'] : [])].join(', ')}`);
      continue;
    }
    symbols.push({
      Symbol: s.Symbol, Precision: s.Precision as number, ContractSize: s.ContractSize as number, MarginCurrency: s.MarginCurrency, ProfitCurrency: s.ProfitCurrency,
      MinTradeAmount: s.MinTradeAmount as number, MaxTradeAmount: s.MaxTradeAmount as number, TradeAmountStep: s.TradeAmountStep as number,
      CommissionType: optStr(s.CommissionType), CommissionChargeMethod: optStr(s.CommissionChargeMethod), Commission: optNum(s.Commission),
      LimitsCommission: optNum(s.LimitsCommission), IsTradeAllowed: typeof s.IsTradeAllowed === 'boolean' ? s.IsTradeAllowed : undefined,
      StatusGroupId: optStr(s.StatusGroupId) ?? optStr(s['StatusGroupId ']),
    });
  }
  return ok({ symbols, skipped });
}

export function parseHistoryBars(v: unknown): R<TickTraderHistoryBarWire[]> {
  if (!isObj(v) || !Array.isArray(v.Bars)) return bad('QuoteHistoryBars answer without Bars');
  const out: TickTraderHistoryBarWire[] = [];
  for (const b of v.Bars) {
    if (!isObj(b) || !isNum(b.Timestamp) || !isNum(b.Open) || !isNum(b.High) || !isNum(b.Low) || !isNum(b.Close)) return bad('malformed bar in Bars');
    out.push({ Timestamp: b.Timestamp, Open: b.Open, High: b.High, Low: b.Low, Close: b.Close, Volume: optNum(b.Volume) ?? 0 });
  }
  return ok(out);
}
