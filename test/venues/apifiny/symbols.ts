/** The simulator's trading pairs and currencies, and their listSymbolInfo / listCurrency wire form. */
import { defineInstrument, type Instrument } from '../../../engine/model/instrument.js';
import { instrumentIdOf } from '../../../engine/model/ids.js';

export interface ApifinySymbolSpec {
  /** Venue symbol, e.g. "BTCUSD". */
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly tickSize: number;
  readonly stepSize: number;
  readonly minPrice: number;
  readonly maxPrice: number;
  readonly minQuantity: number;
  readonly maxQuantity: number;
  readonly minNotional: number;
  readonly maxNotional: number;
  /** Fractions of notional, as getCommissionRate reports them. */
  readonly makeFee: number;
  readonly takeFee: number;
  /** Where the random walk starts. */
  readonly startPrice: number;
  /** Typical size of one book level / trade, in base units. */
  readonly typicalSize: number;
}

export const DEFAULT_SYMBOLS: readonly ApifinySymbolSpec[] = [
  {
    symbol: 'BTCUSD', baseAsset: 'BTC', quoteAsset: 'USD', tickSize: 0.01, stepSize: 0.0001,
    minPrice: 0.01, maxPrice: 1_000_000, minQuantity: 0.0001, maxQuantity: 100, minNotional: 1, maxNotional: 1_000_000,
    makeFee: 0.001, takeFee: 0.002, startPrice: 30_000, typicalSize: 0.5,
  },
  {
    symbol: 'ETHUSD', baseAsset: 'ETH', quoteAsset: 'USD', tickSize: 0.01, stepSize: 0.001,
    minPrice: 0.01, maxPrice: 100_000, minQuantity: 0.001, maxQuantity: 1_000, minNotional: 1, maxNotional: 1_000_000,
    makeFee: 0.001, takeFee: 0.002, startPrice: 2_000, typicalSize: 5,
  },
  {
    symbol: 'ETHBTC', baseAsset: 'ETH', quoteAsset: 'BTC', tickSize: 0.00001, stepSize: 0.001,
    minPrice: 0.00001, maxPrice: 10, minQuantity: 0.001, maxQuantity: 1_000, minNotional: 0.0001, maxNotional: 100,
    makeFee: 0.001, takeFee: 0.002, startPrice: 0.065, typicalSize: 5,
  },
];

export function instrumentOf(spec: ApifinySymbolSpec, venue: string): Instrument {
  return defineInstrument({
    id: instrumentIdOf(spec.symbol, venue),
    venue,
    venueSymbol: spec.symbol,
    base: spec.baseAsset,
    quote: spec.quoteAsset,
    tickSize: spec.tickSize,
    stepSize: spec.stepSize,
    minQty: spec.minQuantity,
    maxQty: spec.maxQuantity,
    minPrice: spec.minPrice,
    maxPrice: spec.maxPrice,
    minNotional: spec.minNotional,
    maxNotional: spec.maxNotional,
    makerFee: spec.makeFee,
    takerFee: spec.takeFee,
  });
}

/** Query List Symbols element. */
export function symbolInfoWire(spec: ApifinySymbolSpec) {
  return {
    symbol: spec.symbol,
    baseAsset: spec.baseAsset,
    baseAssetPrecision: 8,
    quoteAsset: spec.quoteAsset,
    quotePrecision: 8,
    minPrice: spec.minPrice,
    maxPrice: spec.maxPrice,
    minQuantity: spec.minQuantity,
    maxQuantity: spec.maxQuantity,
    tickSize: spec.tickSize,
    stepSize: spec.stepSize,
    minNotional: spec.minNotional,
    maxNotional: spec.maxNotional,
    status: 'enabled',
  };
}

/** Every currency a symbol names, in first-seen order. */
export function currenciesOf(specs: readonly ApifinySymbolSpec[]): string[] {
  const out = new Set<string>();
  for (const s of specs) out.add(s.baseAsset).add(s.quoteAsset);
  return [...out];
}

/** Query List Currencies element (deposits/withdrawals are not simulated: NOT_DEPOSIT_NOT_WITHDRAW). */
export function currencyWire(currency: string) {
  return {
    currency,
    currencyPrecision: 8,
    status: 'NOT_DEPOSIT_NOT_WITHDRAW',
    withdrawMaxAmount: 0,
    withdrawMinAmount: 0,
    withdrawMinFee: 0,
    nextStatus: null,
    nextStatusAt: null,
    coin: currency,
  };
}
