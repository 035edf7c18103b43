/**
 * TT REST API 2.0 venue adapter: `export default createTtAdapter` (an AdapterFactory). TT REST has no order entry and
 * no market data (CONTRACT.md): this adapter gives the engine TT's instruments (tick size, point value as the
 * contract size), the account's fills and positions (reconciliation, fill import) and its risk limits. connect()
 * gets a ttid token: a refused key or secret rejects it with one ConnectionRejectedError, never retried.
 */
import { BehaviorSubject } from 'rxjs';
import type { ConnectionState, VenueAdapter } from '../../engine/execution/venue-adapter.js';
import type { AdapterDeps, AdapterFactory } from '../../engine/kernel/adapter-loader.js';
import type { InstrumentId } from '../../engine/model/ids.js';
import type { Instrument } from '../../engine/model/instrument.js';
import type { OrderStatusReport, PositionReport } from '../../engine/model/reports.js';
import { applyVenueLimits, type VenueLimits } from '../../engine/risk/venue-limits.js';
import { readAccounts, readFills, readOrders, readPositions, readSods } from './account.js';
import { createTtSession } from './client.js';
import { TtRequestError } from './errors.js';
import { parseTtConfig, type TtConfig } from './config.js';
import { RESOURCES } from './constants.js';
import { instrumentById, loadInstruments, type TtInstruments } from './instruments.js';
import { riskLimitsOf, type TtFill } from './parse.js';
import { readLimits, type TtAccountWire, type TtSodWire } from './wire.js';

export type { TtFill } from './parse.js';
export { TtRequestError } from './errors.js';

export interface TtAdapter extends VenueAdapter {
  readonly config: TtConfig;
  /** The futures of the configured markets and products (or of `products` given here), loaded once per set. */
  instruments(products?: readonly string[]): Promise<readonly Instrument[]>;
  /** The accounts to read: the `accountIds` option, else every account the key sees. */
  accounts(): Promise<readonly TtAccountWire[]>;
  /** The account's fills from `sinceNs` (nanoseconds, inclusive; default all), oldest first, paged to the end. */
  fills(accountId: string, sinceNs?: bigint): Promise<readonly TtFill[]>;
  /** The account's orders changed from `sinceNs` on (default all), as status reports, paged as fills are. */
  orders(accountId: string, sinceNs?: bigint): Promise<readonly OrderStatusReport[]>;
  /** Today's positions (SOD + today's fills), signed. */
  positions(accountId: string): Promise<readonly PositionReport[]>;
  sod(accountId: string): Promise<readonly TtSodWire[]>;
  /** One account's limits as engine risk limits, per instrument. */
  accountLimits(accountId: string): Promise<VenueLimits>;
  /** Requests sent (token requests included) and tokens fetched: diagnostics and tests. */
  readonly requestsSent: number;
  readonly tokenFetches: number;
}

export const createTtAdapter = ((options: Readonly<Record<string, unknown>>, deps: AdapterDeps): TtAdapter => {
  const config = parseTtConfig(options, deps.env);
  const log = deps.log.child({ adapter: 'tt', venue: config.venueId, environment: config.environment });
  const { clock } = deps;
  const session = createTtSession(config, clock, log);
  const state$ = new BehaviorSubject<ConnectionState>('connecting');
  let loaded: Promise<TtInstruments> | undefined;
  const extra = new Map<string, InstrumentId>();
  const all = (): Promise<TtInstruments> => {
    loaded ??= loadInstruments(session, config, log).catch((e: unknown) => {
      loaded = undefined;
      throw e;
    });
    return loaded;
  };
  /** TT instrument id → engine id: the loaded instruments, else the instrument read by id once. */
  const resolve = async (ttId: string): Promise<InstrumentId> => {
    const known = (await all()).byTtId.get(ttId) ?? extra.get(ttId);
    if (known !== undefined) return known;
    const i = await instrumentById(session, config, log, ttId);
    if (i === undefined) throw new TtRequestError(`tt: instrument ${ttId} of a fill or position is not readable as a future`, undefined);
    extra.set(ttId, i.id);
    return i.id;
  };

  const accountLimits = async (accountId: string): Promise<VenueLimits> => {
    const body = await session.get('ttaccount', RESOURCES.accountLimits(accountId));
    const limits = readLimits(body);
    if (!limits.ok) throw new TtRequestError(`tt GET ttaccount limits of ${accountId}: ${limits.reason}`, 200);
    const { byProduct } = await all();
    return riskLimitsOf(limits.value, (productId) => byProduct.get(productId) ?? []);
  };
  /** The limits of every account read (the configured ones, else all the key sees), the strictest of them. */
  const riskLimits = async (): Promise<VenueLimits> => {
    const ids = (await all()).instruments.map((i) => i.id);
    let out: VenueLimits = {};
    for (const id of await accountIds()) out = applyVenueLimits(out, await accountLimits(id), ids);
    return out;
  };
  const accountIds = async (): Promise<string[]> => (config.accountIds.length > 0 ? [...config.accountIds] : (await readAccounts(session)).map((a) => a.id));

  return {
    venue: config.venueId,
    config,
    account: {
      /** Every fill of the configured accounts (else of every account the key sees), oldest first. */
      async fills(since) {
        const out: TtFill[] = [];
        const from = since === undefined ? 0n : BigInt(Math.max(0, Math.floor(since))) * 1_000_000n;
        for (const id of await accountIds()) out.push(...(await readFills(session, config, id, from, resolve)));
        return out.sort((a, b) => (a.transactTimeNs < b.transactTimeNs ? -1 : a.transactTimeNs > b.transactTimeNs ? 1 : 0));
      },
      /** Positions summed over those accounts, per instrument. */
      async positions() {
        const net = new Map<InstrumentId, PositionReport>();
        for (const id of await accountIds()) {
          for (const p of await readPositions(session, config, id, resolve, clock)) {
            const prev = net.get(p.instrumentId);
            net.set(p.instrumentId, prev === undefined ? p : { venue: p.venue, instrumentId: p.instrumentId, quantity: prev.quantity + p.quantity, tsLast: p.tsLast });
          }
        }
        return [...net.values()];
      },
    },
    state$: state$.asObservable(),
    get requestsSent() {
      return session.sent;
    },
    get tokenFetches() {
      return session.tokens.fetches;
    },
    async connect() {
      try {
        await session.tokens.current();
        state$.next('connected');
      } catch (e) {
        state$.next('closed');
        throw e;
      }
    },
    async close() {
      state$.next('closed');
      state$.complete();
      await session.close();
    },
    async instruments(products) {
      if (products === undefined || products.length === 0) return (await all()).instruments;
      return (await loadInstruments(session, config, log, { products })).instruments;
    },
    async accounts() {
      const list = await readAccounts(session);
      if (config.accountIds.length === 0) return list;
      const missing = config.accountIds.filter((id) => !list.some((a) => a.id === id));
      if (missing.length > 0) throw new TtRequestError(`tt: account ${missing.join(', ')} not visible to this application key (visible: ${list.map((a) => a.id).join(', ') || 'none'})`, undefined);
      return list.filter((a) => config.accountIds.includes(a.id));
    },
    fills: (accountId, sinceNs = 0n) => readFills(session, config, accountId, sinceNs, resolve),
    orders: (accountId, sinceNs = 0n) => readOrders(session, config, accountId, sinceNs, resolve),
    positions: (accountId) => readPositions(session, config, accountId, resolve, clock),
    sod: (accountId) => readSods(session, accountId),
    accountLimits,
    ...(config.applyRiskLimits ? { riskLimits } : {}),
  };
}) satisfies AdapterFactory;

export default createTtAdapter;
