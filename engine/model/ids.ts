/** Identifiers. Plain strings, named by role so signatures read as documentation. */

/** `SYMBOL.VENUE`, e.g. `BTCUSD.SIM`. */
export type InstrumentId = string;
export type VenueId = string;
export type StrategyId = string;
/** Engine-assigned, deterministic: `<strategyId>-<run>-<counter>`; reused on any resend. */
export type ClientOrderId = string;
/** Assigned by the venue on acceptance. */
export type VenueOrderId = string;
/** Venue trade/execution id; (venue, venueOrderId, tradeId) keys a fill. */
export type TradeId = string;

/** Epoch milliseconds (may carry a fractional part). Always from the injected clock, never Date.now(). */
export type Millis = number;

export function instrumentIdOf(symbol: string, venue: VenueId): InstrumentId {
  return `${symbol}.${venue}`;
}

export function formatClientOrderId(strategyId: StrategyId, run: number, counter: number): ClientOrderId {
  return `${strategyId}-${run}-${counter}`;
}

/** Inverse of formatClientOrderId; undefined when the id is not one of ours. */
export function parseClientOrderId(id: string): { strategyId: StrategyId; run: number; counter: number } | undefined {
  const m = /^(.+)-(\d+)-(\d+)$/.exec(id);
  if (!m) return undefined;
  return { strategyId: m[1]!, run: Number(m[2]), counter: Number(m[3]) };
}
