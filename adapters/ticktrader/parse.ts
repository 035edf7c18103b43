/** TickTrader wire → engine domain: instruments, book snapshots and quotes, bars. */
import { defineInstrument, type Instrument } from '../../engine/model/instrument.js';
import { instrumentIdOf, type InstrumentId, type VenueId } from '../../engine/model/ids.js';
import type { Bar, BookSnapshot, Quote } from '../../engine/model/tick.js';
import type { TickTraderHistoryBarWire, TickTraderLevelWire, TickTraderSymbolWire, TickTraderTickWire } from './wire.js';

/**
 * Fee per fill as a fraction of notional, from a percentage commission (`Commission` for market orders → taker,
 * `LimitsCommission` for limit orders → maker). A RoundTurn commission covers opening and closing, so half is charged
 * per fill; OneWay is charged on every fill. Other commission types (per lot, absolute money) have no notional rate:
 * undefined, and the caller logs that fees are taken as 0.
 */
export function feesOf(s: TickTraderSymbolWire): { makerFee: number; takerFee: number } | undefined {
  const type = s.CommissionType?.toLowerCase();
  if ((type !== 'percentage' && type !== 'percent') || s.Commission === undefined) return undefined;
  const perFill = (pct: number) => (pct / 100) * (s.CommissionChargeMethod === 'RoundTurn' ? 0.5 : 1);
  return { takerFee: perFill(s.Commission), makerFee: perFill(s.LimitsCommission ?? s.Commission) };
}

/**
 * Precision → tick size 10^-Precision; TradeAmountStep → step; Min/MaxTradeAmount → min/max quantity. Quantities are
 * TickTrader trade amounts (units of the margin currency: 1000 EURUSD = 0.01 lot), so the engine's notional multiplier
 * is 1; ContractSize is the lot size (amount per lot), kept in `lotSizeOf`. Throws on a spec the engine cannot trade.
 */
export function toInstrument(s: TickTraderSymbolWire, venue: VenueId): Instrument {
  const fees = feesOf(s);
  return defineInstrument({
    id: instrumentIdOf(s.Symbol, venue), venue, venueSymbol: s.Symbol, base: s.MarginCurrency, quote: s.ProfitCurrency,
    tickSize: Number((10 ** -s.Precision).toFixed(Math.max(0, s.Precision))), stepSize: s.TradeAmountStep,
    minQty: s.MinTradeAmount, maxQty: s.MaxTradeAmount, contractSize: 1,
    ...(fees ?? {}),
  });
}

const levels = (ls: readonly TickTraderLevelWire[]) => ls.map((l) => ({ price: l.Price, size: l.Volume }));

export function toBook(instrumentId: InstrumentId, t: TickTraderTickWire, now: number): BookSnapshot {
  return { kind: 'book', instrumentId, tsEvent: t.Timestamp, tsInit: now, bids: levels(t.Bids), asks: levels(t.Asks) };
}

/** Top of book from BestBid / BestAsk (or the first levels); undefined while a side is empty. */
export function toQuote(instrumentId: InstrumentId, t: TickTraderTickWire, now: number): Quote | undefined {
  const b = t.BestBid ?? t.Bids[0];
  const a = t.BestAsk ?? t.Asks[0];
  if (!b || !a) return undefined;
  return { kind: 'quote', instrumentId, tsEvent: t.Timestamp, tsInit: now, bid: b.Price, ask: a.Price, bidSize: b.Volume, askSize: a.Volume };
}

/** A history bar (Timestamp = open time) as an engine Bar (tsEvent = close time). */
export function toHistoryBar(instrumentId: InstrumentId, b: TickTraderHistoryBarWire, periodMs: number, now: number): Bar {
  return { kind: 'bar', instrumentId, tsEvent: b.Timestamp + periodMs, tsInit: now, periodMs, open: b.Open, high: b.High, low: b.Low, close: b.Close, volume: b.Volume };
}
