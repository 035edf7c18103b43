/**
 * Deriv venue adapter: `export default createDerivAdapter` (an AdapterFactory). One websocket (`app_id` on the url)
 * carries everything. On every open: `authorize` (a refused token/app_id or a token without the read scope rejects
 * connect() once, never retried), the `transaction` stream, the wanted tick/proposal streams, then orders whose
 * answers were lost are settled. Instruments come from `active_symbols` (see instruments.ts for the contract model).
 */
import type { Observable } from 'rxjs';
import type { AdapterDeps, AdapterFactory } from '../../engine/kernel/adapter-loader.js';
import type { ConnectionState, VenueAdapter } from '../../engine/execution/venue-adapter.js';
import type { Instrument } from '../../engine/model/instrument.js';
import { authorize, type DerivSessionInfo } from './auth.js';
import { createDerivSession, type DerivSession } from './client.js';
import { parseDerivConfig, type DerivConfig } from './config.js';
import { createExecution } from './execution.js';
import { loadInstruments } from './instruments.js';
import { createMarketData } from './market-data.js';

export interface DerivAdapter extends VenueAdapter {
  /** The authorized account (after connect). Not `account`: that is VenueAdapter's record of fills and positions. */
  readonly authorized: DerivSessionInfo | undefined;
  /** Requests sent so far (diagnostics, tests). */
  readonly requestsSent: number;
}

export const createDerivAdapter = ((options: Readonly<Record<string, unknown>>, deps: AdapterDeps): DerivAdapter => {
  const config: DerivConfig = parseDerivConfig(options, deps.env);
  const log = deps.log.child({ adapter: 'deriv', venue: config.venueId });
  const marketData = createMarketData({ config, clock: deps.clock, log });
  const execution = createExecution({ config, clock: deps.clock, log });
  let account: DerivSessionInfo | undefined;
  let instruments: Instrument[] | undefined;

  const session: DerivSession = createDerivSession({
    config, clock: deps.clock, log, random: deps.random,
    async onOpen(ctx, s) {
      const request = s.requestOn(ctx);
      account = await authorize(config, request);
      if (!account.scopes.includes('trade')) log.warn({ scopes: account.scopes }, 'deriv: the API token has no trade scope: market data and account reads only; orders will be refused');
      const tx = await request({ transaction: 1, subscribe: 1 });
      if (tx.kind !== 'ok') throw new Error(`deriv: transaction stream refused: ${tx.kind === 'unknown' ? tx.reason : `${tx.error.code}: ${tx.error.message}`}`);
      await marketData.resubscribe(request, account.currency);
      log.info({ loginid: account.loginid, currency: account.currency, reconnect: ctx.openCount > 1 }, 'deriv: authorized');
    },
  });
  marketData.attach(session);
  execution.attach(session);
  session.socket.state$.subscribe((s) => s === 'connected' && account && execution.onReconnected(account.currency));

  const load = async (): Promise<Instrument[]> => {
    instruments = await loadInstruments(session.request, config, account?.currency ?? config.currency);
    return instruments;
  };

  return {
    venue: config.venueId,
    state$: session.socket.state$ as Observable<ConnectionState>,
    marketData,
    execution,
    get authorized() {
      return account;
    },
    get requestsSent() {
      return session.sent;
    },
    async connect() {
      await session.socket.connect();
      await load();
    },
    async close() {
      await session.socket.close();
    },
    async instruments() {
      return instruments ?? load();
    },
  };
}) satisfies AdapterFactory;

export default createDerivAdapter;
