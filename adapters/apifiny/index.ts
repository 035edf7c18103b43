/**
 * Apifiny Connect venue adapter: `export default createApifinyAdapter` (an AdapterFactory). connect() checks the
 * credentials once over REST (a refusal rejects with a readable error and is never retried), loads the instruments,
 * then opens the market data and user order streams (reconnecting, resubscribing on every open).
 */
import type { Observable } from 'rxjs';
import type { AdapterDeps, AdapterFactory } from '../../engine/kernel/adapter-loader.js';
import type { ConnectionState, VenueAdapter } from '../../engine/execution/venue-adapter.js';
import type { Instrument } from '../../engine/model/instrument.js';
import { instrumentIdOf, type InstrumentId } from '../../engine/model/ids.js';
import { ConnectionRejectedError } from '../../engine/net/errors.js';
import { combineConnectionStates } from '../../engine/net/combined-state.js';
import { describeEndpoint } from '../../engine/net/endpoint.js';
import { createSigner } from './auth.js';
import { createRestSession, createStream, type RestSession } from './client.js';
import { parseApifinyConfig, type ApifinyConfig } from './config.js';
import { AUTH_ERROR_CODES, REST_PATHS } from './constants.js';
import { createExecution } from './execution.js';
import { loadInstruments } from './instruments.js';
import { createMarketData } from './market-data.js';

export interface ApifinyAdapter extends VenueAdapter {
  /** REST requests sent so far (diagnostics, tests). */
  readonly restRequests: number;
}

export const createApifinyAdapter = ((options: Readonly<Record<string, unknown>>, deps: AdapterDeps): ApifinyAdapter => {
  const config: ApifinyConfig = parseApifinyConfig(options, deps.env);
  const log = deps.log.child({ adapter: 'apifiny', venue: config.venueId });
  const { clock } = deps;
  const signer = createSigner(config.credentials, clock, config.signatureTtlSeconds);
  const rest: RestSession = createRestSession(config, signer, clock, log);
  const symbols = new Map<InstrumentId, string>();
  const symbolOf = (id: InstrumentId): string | undefined => symbols.get(id) ?? (id.endsWith(`.${config.venueId}`) ? id.slice(0, -config.venueId.length - 1) : undefined);
  const instrumentOf = (symbol: string): InstrumentId => instrumentIdOf(symbol, config.venueId);
  let instruments: Instrument[] | undefined;

  const marketData = createMarketData({ venue: config.venue, symbolOf, instrumentOf, clock, log });
  const quotes = new Map<string, string>();
  const quoteOf = (symbol: string): string => quotes.get(symbol) ?? '';
  const execution = createExecution({ config, rest, clock, log, symbolOf, instrumentOf, fix: { signer, random: deps.random, quoteOf } });
  const fix = execution.fix?.link;
  const md = createStream({ name: 'apifiny-md', url: config.mdWsUrl, onOpen: (ctx) => marketData.resubscribe(ctx.send) }, config, clock, log, deps.random);
  const user = createStream(
    { name: 'apifiny-orders', url: `${config.userWsBaseUrl}/${config.venue}/order`, headers: () => ({ signature: signer.stream() }) },
    config, clock, log, deps.random,
  );
  marketData.attach(md);
  execution.attach(user);

  // the venue is connected when every link is: the market data and order streams, and FIX when orders go over it
  const links: Observable<ConnectionState>[] = [md.socket.state$, user.socket.state$];
  if (fix) links.push(fix.state$);
  const state$: Observable<ConnectionState> = combineConnectionStates(links);

  const load = async (): Promise<Instrument[]> => {
    const list = await loadInstruments(rest, config, log);
    for (const i of list) {
      symbols.set(i.id, i.venueSymbol);
      quotes.set(i.venueSymbol, i.quote);
    }
    instruments = list;
    return list;
  };

  /**
   * One signed call: a refusal of the credentials is definitive (no retry), and so is a venue that cannot be reached at
   * all (connect runs once, at start: the operator starts the venue or fixes the url); anything else is transient.
   */
  const checkCredentials = async (): Promise<void> => {
    const a = await rest.get(REST_PATHS.queryAccountInfo, { accountId: config.credentials.accountId, venue: config.venue });
    if (a.kind === 'ok') return;
    const endpoint = describeEndpoint(config.restBaseUrl);
    if (a.kind === 'venue-error' && (AUTH_ERROR_CODES.has(a.error.code) || a.error.code === 401 || a.error.code === 403)) {
      throw new ConnectionRejectedError(
        `apifiny: the venue refused the credentials of account ${config.credentials.accountId} (key ${config.credentials.keyId}): ${a.error.code} ${a.error.message}`,
        { endpoint },
      );
    }
    if (a.kind === 'unknown' && a.reason === 'network') {
      throw new ConnectionRejectedError(`apifiny: could not reach the venue at ${endpoint}: check that it is running and that restBaseUrl is right`, { endpoint });
    }
    throw new Error(`apifiny: could not check the credentials at ${endpoint}: ${a.kind === 'unknown' ? a.reason : `${a.error.code} ${a.error.message}`}`);
  };

  return {
    venue: config.venueId,
    state$,
    marketData,
    execution,
    get restRequests() {
      return rest.sent;
    },
    async connect() {
      await checkCredentials();
      await load();
      await Promise.all([md.socket.connect(), user.socket.connect(), fix?.connect()]);
    },
    async close() {
      await Promise.all([md.socket.close(), user.socket.close(), fix?.close(), rest.close()]);
    },
    async instruments() {
      return instruments ?? load();
    },
  };
}) satisfies AdapterFactory;

export default createApifinyAdapter;
