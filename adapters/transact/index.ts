/**
 * TransAct Futures venue adapter: `export default createTransactAdapter` (an AdapterFactory). Three reconnecting
 * connections (CONTRACT.md): authentication (login, re-login before the key expires), orders (order entry, cancel,
 * order/fill topics, reconciliation queries) and prices (instruments, book/trade topics). connect() logs in first: a
 * refusal of the credentials rejects with the venue's status and text and is never retried.
 */
import type { Observable } from 'rxjs';
import type { ConnectionState, VenueAdapter } from '../../engine/execution/venue-adapter.js';
import type { AdapterDeps, AdapterFactory } from '../../engine/kernel/adapter-loader.js';
import { instrumentIdOf, type InstrumentId } from '../../engine/model/ids.js';
import type { Instrument } from '../../engine/model/instrument.js';
import { combineConnectionStates } from '../../engine/net/combined-state.js';
import type { ConnectionRejectedError } from '../../engine/net/errors.js';
import { createSessionKeeper, sessionChannel, type SessionChannel } from './auth.js';
import { createConnection } from './client.js';
import { parseTransactConfig } from './config.js';
import { createExecution } from './execution.js';
import { loadInstruments } from './instruments.js';
import { createMarketData } from './market-data.js';

export interface TransactAdapter extends VenueAdapter {
  /** Commands sent on all three connections (diagnostics, tests). */
  readonly commandsSent: number;
  /** Logins sent. */
  readonly logins: number;
  /** When the current session key expires (venue time), once logged in. */
  readonly sessionExpires: number | undefined;
}

export const createTransactAdapter = ((options: Readonly<Record<string, unknown>>, deps: AdapterDeps): TransactAdapter => {
  const config = parseTransactConfig(options, deps.env);
  const log = deps.log.child({ adapter: 'transact', venue: config.venueId });
  const { clock, random } = deps;
  const symbols = new Map<InstrumentId, string>();
  const suffix = `.${config.venueId}`;
  const symbolOf = (id: InstrumentId): string | undefined => symbols.get(id) ?? (id.endsWith(suffix) ? id.slice(0, -suffix.length) : undefined);
  const instrumentOf = (symbol: string): InstrumentId => instrumentIdOf(symbol, config.venueId);
  let instruments: Instrument[] | undefined;
  let ordersChannel: SessionChannel | undefined;
  let pricesChannel: SessionChannel | undefined;
  const channel = (c: SessionChannel | undefined): SessionChannel => c ?? bug();

  const auth = createConnection({ name: 'transact-auth', url: config.authUrl, config, clock, log, random, onOpen: async (ctx) => void (await keeper.login(ctx.send)) });
  const orders = createConnection({
    name: 'transact-orders', url: config.ordersUrl, config, clock, log, random,
    onOpen: async (ctx) => {
      await channel(ordersChannel).open(ctx.send);
      await execution.subscribeTopics(ctx.send);
    },
  });
  const prices = createConnection({
    name: 'transact-prices', url: config.pricesUrl, config, clock, log, random,
    onOpen: async (ctx) => {
      await channel(pricesChannel).open(ctx.send);
      await marketData.resubscribe(ctx.send);
    },
  });
  const sockets = [auth.socket, orders.socket, prices.socket];
  let fatalSeen = false;
  const fatal = (error: ConnectionRejectedError): void => {
    if (fatalSeen) return;
    fatalSeen = true;
    log.error({ error: error.message }, 'transact: the venue refused the session for good; all connections closed (no retry)');
    for (const s of sockets) if (s.state !== 'closed') s.fail(error);
  };
  const keeper = createSessionKeeper({ auth, config, clock, log, onFatal: fatal });
  ordersChannel = sessionChannel(orders, keeper, log);
  pricesChannel = sessionChannel(prices, keeper, log);
  keeper.keys$.subscribe((key) => {
    channel(ordersChannel).refresh(key);
    channel(pricesChannel).refresh(key);
  });
  // The authentication connection refused for good after a reconnect (credentials revoked): stop the others too.
  auth.socket.state$.subscribe((s) => {
    const failure = auth.socket.failure;
    if (s === 'closed' && failure) fatal(failure);
  });

  const marketData = createMarketData({ conn: prices, channel: () => channel(pricesChannel), symbolOf, instrumentOf, clock, log });
  const execution = createExecution({ venue: config.venueId, conn: orders, channel: () => channel(ordersChannel), symbolOf, instrumentOf, clock, log });

  const state$: Observable<ConnectionState> = combineConnectionStates(sockets.map((s) => s.state$));

  const load = async (): Promise<Instrument[]> => {
    const list = await loadInstruments(channel(pricesChannel), config.venueId, log);
    for (const i of list) symbols.set(i.id, i.venueSymbol);
    instruments = list;
    return list;
  };
  const close = async (): Promise<void> => {
    keeper.dispose();
    await Promise.all(sockets.map((s) => s.close()));
  };

  return {
    venue: config.venueId,
    state$,
    marketData,
    execution,
    get commandsSent() {
      return auth.sent + orders.sent + prices.sent;
    },
    get logins() {
      return keeper.logins;
    },
    get sessionExpires() {
      return keeper.expires;
    },
    async connect() {
      fatalSeen = false;
      try {
        await auth.socket.connect();
        await Promise.all([orders.socket.connect(), prices.socket.connect()]);
        await load();
      } catch (e) {
        await close();
        throw e;
      }
    },
    close,
    async instruments() {
      return instruments ?? load();
    },
  };
}) satisfies AdapterFactory;

function bug(): never {
  throw new Error('transact adapter: a connection opened before its session channel existed');
}

export default createTransactAdapter;
