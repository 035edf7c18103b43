/**
 * TickTrader Feed venue adapter: `export default createTickTraderAdapter` (an AdapterFactory). Market data and
 * instruments only — the feed has no order entry, so this venue runs in paper mode (and record / backtest).
 *
 * connect() opens the websocket, logs in (HMAC; two-factor with a TOTP from TICKTRADER_TOTP_SECRET when the account
 * asks) and loads the instruments from Symbols. A refused login or one-time password rejects connect() with a
 * readable error and is never retried.
 *
 * Extra: `history(instrumentId, periodicity, count, { to?, priceType? })` → the last `count` closed Bars, oldest first
 * (QuoteHistoryBars), to warm strategies up. The kernel has no hook for it yet (see the README of this folder).
 */
import type { Observable } from 'rxjs';
import type { AdapterDeps, AdapterFactory } from '../../engine/kernel/adapter-loader.js';
import type { ConnectionState, VenueAdapter } from '../../engine/execution/venue-adapter.js';
import type { Instrument } from '../../engine/model/instrument.js';
import { instrumentIdOf, type InstrumentId } from '../../engine/model/ids.js';
import { createTickTraderSession } from './client.js';
import { parseTickTraderConfig, type TickTraderConfig } from './config.js';
import { createHistory, type HistoryFn } from './history.js';
import { PERIODICITY_MS, type TickTraderPeriodicity } from './constants.js';
import { loadInstruments } from './instruments.js';
import { createMarketData, type TickTraderMarketData } from './market-data.js';

export interface TickTraderAdapter extends VenueAdapter {
  readonly marketData: TickTraderMarketData;
  /** The last `count` closed bars of an instrument (quote history), oldest first: strategy warm-up. */
  readonly history: HistoryFn;
  /** Requests sent so far (diagnostics, tests). */
  readonly requestsSent: number;
}

export const createTickTraderAdapter = ((options: Readonly<Record<string, unknown>>, deps: AdapterDeps): TickTraderAdapter => {
  const config: TickTraderConfig = parseTickTraderConfig(options, deps.env);
  const log = deps.log.child({ adapter: 'ticktrader', venue: config.venueId });
  const { clock } = deps;
  const symbols = new Map<InstrumentId, string>();
  const suffix = `.${config.venueId}`;
  const symbolOf = (id: InstrumentId): string | undefined => symbols.get(id) ?? (id.endsWith(suffix) ? id.slice(0, -suffix.length) : undefined);
  const instrumentOf = (symbol: string): InstrumentId => instrumentIdOf(symbol, config.venueId);
  let instruments: Instrument[] | undefined;

  const marketData = createMarketData({ config, symbolOf, instrumentOf, clock, log });
  const session = createTickTraderSession({ config, clock, log, random: deps.random, onReady: (send) => marketData.resubscribe(send) });
  marketData.attach(session);
  const history = createHistory({ session, clock, symbolOf, priceType: config.barPriceType });

  const load = async (): Promise<Instrument[]> => {
    const list = await loadInstruments(session, config, log);
    for (const i of list) symbols.set(i.id, i.venueSymbol);
    instruments = list;
    return list;
  };

  return {
    venue: config.venueId,
    state$: session.socket.state$ as Observable<ConnectionState>,
    marketData,
    history,
    warmupBars(instrumentId, periodMs, count) {
      const periodicity = (Object.keys(PERIODICITY_MS) as TickTraderPeriodicity[]).find((p) => PERIODICITY_MS[p] === periodMs);
      if (periodicity === undefined) {
        return Promise.reject(new Error(`ticktrader: no bar periodicity of ${periodMs} ms (${Object.entries(PERIODICITY_MS).map(([k, v]) => `${k}=${v}`).join(', ')})`));
      }
      return history(instrumentId, periodicity, count);
    },
    get requestsSent() {
      return session.sent;
    },
    async connect() {
      await session.socket.connect();
      await load();
    },
    close: () => session.socket.close(),
    async instruments() {
      return instruments ?? load();
    },
  };
}) satisfies AdapterFactory;

export default createTickTraderAdapter;
