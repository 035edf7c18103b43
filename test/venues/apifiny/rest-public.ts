/**
 * Unsigned endpoints. Under /ac/v2/<VENUE>: utils/listVenueInfo, listCurrency, listSymbolInfo, currentTimeMillis
 * (standard envelope). Market data REST (bare bodies, as documented; errors in the standard envelope):
 * GET /md/orderbook/v1/{SYMBOL}/{VENUE}, /md/trade/v1/{SYMBOL}/{VENUE}, /md/kline/v1/{VENUE}/{BASE}/{QUOTE}/{PERIOD}
 * ?startTime&endTime, /md/ticker/v1/{SYMBOL}/{VENUE}/.
 */
import { fail } from './error-codes.js';
import type { SimMarket } from './market.js';
import { isKlinePeriod } from './protocol.js';
import { intParam, route, type RestRoute } from './rest-route.js';
import { currenciesOf, currencyWire, symbolInfoWire } from './symbols.js';

const RECENT_TRADES = 100;
const RECENT_KLINES = 500;

export function utilsRoutes(venue: string, market: SimMarket, now: () => number): RestRoute[] {
  const open = { private: false, envelope: true };
  return [
    route('GET', '/utils/listVenueInfo', 'utils/listVenueInfo', open, () => [{ exchange: venue, status: 'enabled' }]),
    route('GET', '/utils/listCurrency', 'utils/listCurrency', open, () => currenciesOf(market.specs).map(currencyWire)),
    route('GET', '/utils/listSymbolInfo', 'utils/listSymbolInfo', open, () => market.specs.map(symbolInfoWire)),
    route('GET', '/utils/currentTimeMillis', 'utils/currentTimeMillis', open, () => Math.floor(now())),
  ];
}

export function marketDataRoutes(venue: string, market: SimMarket): RestRoute[] {
  const bare = { private: false, envelope: false };
  const checkVenue = (v: string | undefined): void => {
    if (v !== venue) fail('VENUE_NOT_SUPPORTED', `venue ${v}`);
  };
  const known = (symbol: string | undefined): string => {
    if (symbol === undefined || market.spec(symbol) === undefined) fail('UNKNOWN_SYMBOL', String(symbol));
    return symbol;
  };
  return [
    route('GET', '/md/orderbook/v1/:symbol/:venue', 'md/orderbook', bare, ({ path }) => {
      checkVenue(path.venue);
      return market.book(known(path.symbol)) ?? fail('NO_MARKET', path.symbol);
    }),
    route('GET', '/md/trade/v1/:symbol/:venue', 'md/trade', bare, ({ path }) => {
      checkVenue(path.venue);
      return market.recentTrades(known(path.symbol), RECENT_TRADES);
    }),
    route('GET', '/md/kline/v1/:venue/:base/:quote/:period', 'md/kline', bare, ({ path, params }) => {
      checkVenue(path.venue);
      const period = path.period ?? '';
      if (!isKlinePeriod(period)) fail('BAD_PARAMS', `period must be one of 1m 5m 15m 30m 1h 4h 1d 1w 1M`);
      const spec = market.specs.find((s) => s.baseAsset === path.base && s.quoteAsset === path.quote);
      if (spec === undefined) fail('UNKNOWN_SYMBOL', `${path.base}/${path.quote}`);
      const startTime = intParam(params.startTime);
      const endTime = intParam(params.endTime);
      if (Number.isNaN(startTime) || Number.isNaN(endTime)) fail('BAD_PARAMS', 'startTime/endTime must be epoch milliseconds');
      const candles = market.candles(spec.symbol)!.range(period, startTime, endTime, RECENT_KLINES);
      return candles.map((c) => market.klineWire(spec.symbol, period, c));
    }),
    route('GET', '/md/ticker/v1/:symbol/:venue', 'md/ticker', bare, ({ path }) => {
      checkVenue(path.venue);
      return market.ticker(known(path.symbol)) ?? fail('NO_MARKET', path.symbol);
    }),
  ];
}
