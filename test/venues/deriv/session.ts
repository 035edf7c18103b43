/**
 * One client connection of the Deriv simulator: authorization state, streams (subscription ids, `forget`,
 * `forget_all`) and the request handlers. Every answer echoes `req_id` and `echo_req`.
 */
import { randomUUID } from 'node:crypto';
import type { DerivMarket } from './market.js';
import { SCOPE_OF, errorReply, methodOf, reply, type DerivErrorCode, type DerivRequest, type DerivScope } from './protocol.js';
import { units, type ContractTerms, type SimAccount, type SimContract, type SimTransaction, type VenueCore } from './venue-core.js';

export interface SessionDeps {
  readonly market: DerivMarket;
  readonly core: VenueCore;
  readonly now: () => number;
  readonly send: (frame: Record<string, unknown>) => void;
  /** Counts a request (tests: no retry storm, submits seen). */
  readonly count: (method: string, req: DerivRequest) => void;
  /** Fault switch: act on the request but lose the reply. */
  readonly loseReply: (method: string) => boolean;
}

interface Stream {
  readonly id: string;
  readonly type: string;
  readonly stop: () => void;
  /** What it streams (a symbol for ticks), to refuse a duplicate subscription. */
  key?: string;
}

export interface Session {
  handle(text: string): void;
  close(): void;
}

export function createSession(d: SessionDeps): Session {
  let auth: { account: SimAccount; scopes: readonly DerivScope[] } | undefined;
  const streams = new Map<string, Stream>();
  const proposals = new Map<string, ContractTerms>();
  const sec = (): number => Math.floor(d.now() / 1000);

  const openStream = (type: string, start: (id: string) => () => void): string => {
    const id = randomUUID().replace(/-/g, '');
    streams.set(id, { id, type, stop: start(id) });
    return id;
  };
  const forget = (id: string): boolean => {
    const s = streams.get(id);
    if (!s) return false;
    s.stop();
    streams.delete(id);
    return true;
  };

  const contractWire = (c: SimContract, account: SimAccount) => ({
    contract_id: c.contractId, transaction_id: c.buyTxn, buy_price: units(c.buyCents), payout: units(c.payoutCents), contract_type: c.contractType,
    currency: account.spec.currency, date_start: c.purchaseTime, purchase_time: c.purchaseTime, expiry_time: c.expiryTime, longcode: c.longcode,
    shortcode: c.shortcode, symbol: c.symbol,
  });
  const txnWire = (t: SimTransaction, account: SimAccount) => ({
    action: t.action, amount: units(t.amountCents), balance: units(t.balanceAfterCents), contract_id: t.contractId, currency: account.spec.currency,
    transaction_id: t.transactionId, transaction_time: t.time, longcode: t.contract.longcode, symbol: t.contract.symbol, date_expiry: t.contract.expiryTime,
    purchase_time: t.contract.purchaseTime, ...(t.action === 'sell' ? { reference_id: t.contract.buyTxn } : {}),
  });
  const balanceWire = (a: SimAccount, id?: string) => ({ balance: units(a.balanceCents), currency: a.spec.currency, loginid: a.spec.loginid, ...(id ? { id } : {}) });

  const parseTerms = (p: Record<string, unknown>): ContractTerms | string => {
    const symbol = p.symbol;
    const type = p.contract_type;
    const amount = Number(p.amount);
    const duration = Number(p.duration);
    const unit = p.duration_unit ?? 't';
    if (typeof symbol !== 'string' || d.market.spot(symbol) === undefined) return `symbol`;
    if (type !== 'CALL' && type !== 'PUT') return 'contract_type';
    if (!(amount > 0) || !Number.isFinite(amount)) return 'amount';
    const basis = p.basis ?? 'payout';
    if (basis !== 'payout' && basis !== 'stake') return 'basis';
    if (!Number.isInteger(duration) || duration < 1) return 'duration';
    if (unit !== 't' && unit !== 's' && unit !== 'm') return 'duration_unit';
    const cents = Math.round(amount * 100);
    // basis stake: `amount` is the stake (the contract's price) and the payout is what it buys
    if (basis === 'stake') return { symbol, contractType: type, payoutCents: d.core.payoutForStakeCents(cents), stakeCents: cents, duration, unit };
    return { symbol, contractType: type, payoutCents: cents, duration, unit };
  };

  /** proposal_open_contract's body: the contract now (bid, profit), and once expired or sold its exit and outcome. */
  const openContractWire = (c: SimContract, account: SimAccount, streamId?: string) => {
    const sold = c.status !== 'open';
    const expired = c.expiredAt !== undefined;
    const valueCents = sold ? (c.sellCents ?? 0) : d.core.bidCents(c);
    const profitCents = valueCents - c.buyCents;
    return {
      ...contractWire(c, account), underlying: c.symbol, bid_price: units(valueCents), entry_spot: c.entrySpot, current_spot: d.market.spot(c.symbol),
      date_expiry: c.expiryTime, is_expired: expired ? 1 : 0, is_settleable: expired && !sold ? 1 : 0, is_sold: sold ? 1 : 0,
      is_valid_to_sell: sold || expired ? 0 : 1, status: c.status, profit: units(profitCents),
      profit_percentage: Math.round((profitCents / c.buyCents) * 10_000) / 100,
      ...(expired ? { exit_tick: c.exitSpot, exit_tick_time: c.expiredAt } : {}),
      ...(sold ? { sell_price: units(c.sellCents ?? 0), sell_time: c.sellTime } : {}),
      transaction_ids: { buy: c.buyTxn, ...(c.sellTxn ? { sell: c.sellTxn } : {}) },
      ...(streamId ? { id: streamId } : {}),
    };
  };

  type Handler = (req: DerivRequest, err: (code: DerivErrorCode, ...args: string[]) => void, ok: (body: Record<string, unknown>) => void) => void;
  const handlers: Record<string, Handler> = {
    ping: (_r, _e, ok) => ok({ ping: 'pong' }),
    time: (_r, _e, ok) => ok({ time: sec() }),
    website_status: (_r, _e, ok) => ok({ website_status: { api_call_limits: { max_requestes_general: { hourly: 14400, minutely: 180 } }, currencies_config: { USD: { type: 'fiat', fractional_digits: 2 } }, site_status: 'up', supported_languages: ['EN'], terms_conditions_version: 'sim' } }),
    active_symbols: (_r, _e, ok) => ok({ active_symbols: d.market.specs.map((s) => ({ symbol: s.symbol, display_name: s.displayName, market: 'synthetic_index', submarket: 'random_index', pip: s.pip, exchange_is_open: 1, is_trading_suspended: 0, symbol_type: 'stockindex' })) }),
    authorize(req, err, ok) {
      const found = typeof req.authorize === 'string' ? d.core.accountOfToken(req.authorize) : undefined;
      if (!found) return err('InvalidToken');
      auth = found;
      const a = found.account;
      ok({ authorize: { balance: units(a.balanceCents), currency: a.spec.currency, loginid: a.spec.loginid, is_virtual: 1, email: `${a.spec.loginid.toLowerCase()}@sim.invalid`, fullname: 'Simulator', landing_company_name: 'virtual', scopes: [...found.scopes], account_list: [{ loginid: a.spec.loginid, currency: a.spec.currency, is_virtual: 1, is_disabled: 0 }] } });
    },
    ticks(req, err, ok) {
      const symbols = Array.isArray(req.ticks) ? (req.ticks as unknown[]) : [req.ticks];
      for (const symbol of symbols) {
        if (typeof symbol !== 'string' || d.market.spot(symbol) === undefined) return err('InvalidSymbol', String(symbol));
        if (req.subscribe === 1 && [...streams.values()].some((s) => s.type === 'ticks' && s.key === symbol)) return err('AlreadySubscribed', symbol);
      }
      for (const symbol of symbols as string[]) {
        const tick = d.market.lastTick(symbol) ?? d.market.moveTo(symbol, d.market.spot(symbol)!);
        if (req.subscribe !== 1) return ok({ tick });
        const id = openStream('ticks', (sid) => d.market.onTick((t) => t.symbol === symbol && d.send(reply(req, 'tick', { tick: { ...t, id: sid }, subscription: { id: sid } }))));
        streams.get(id)!.key = symbol;
        ok({ tick: { ...tick, id }, subscription: { id } });
      }
    },
    forget(req, _e, ok) {
      ok({ forget: forget(String(req.forget)) ? 1 : 0 });
    },
    forget_all(req, _e, ok) {
      const types = (Array.isArray(req.forget_all) ? req.forget_all : [req.forget_all]).map(String);
      const ids = [...streams.values()].filter((s) => types.includes(s.type)).map((s) => s.id);
      for (const id of ids) forget(id);
      ok({ forget_all: ids });
    },
    balance(req, _e, ok) {
      const a = auth!.account;
      if (req.subscribe !== 1) return ok({ balance: balanceWire(a) });
      const id = openStream('balance', (sid) => d.core.onTransaction((t) => t.loginid === a.spec.loginid && d.send(reply(req, 'balance', { balance: balanceWire(a, sid), subscription: { id: sid } }))));
      ok({ balance: balanceWire(a, id), subscription: { id } });
    },
    transaction(req, _e, ok) {
      const a = auth!.account;
      const id = openStream('transaction', (sid) => d.core.onTransaction((t) => t.loginid === a.spec.loginid && d.send(reply(req, 'transaction', { transaction: { ...txnWire(t, a), id: sid }, subscription: { id: sid } }))));
      ok({ transaction: { id }, subscription: { id } });
    },
    portfolio(_r, _e, ok) {
      const a = auth!.account;
      ok({ portfolio: { contracts: [...d.core.contracts.values()].filter((c) => c.loginid === a.spec.loginid && c.status === 'open').map((c) => contractWire(c, a)) } });
    },
    statement(req, _e, ok) {
      const a = auth!.account;
      const limit = Number(req.limit ?? 100);
      const list = [...a.transactions].reverse().slice(Number(req.offset ?? 0), Number(req.offset ?? 0) + limit);
      ok({ statement: { count: list.length, transactions: list.map((t) => ({ action_type: t.action, amount: units(t.amountCents), balance_after: units(t.balanceAfterCents), contract_id: t.contractId, transaction_id: t.transactionId, transaction_time: t.time, reference_id: t.action === 'sell' ? t.contract.buyTxn : t.transactionId, payout: units(t.contract.payoutCents), purchase_time: t.contract.purchaseTime, shortcode: t.contract.shortcode, ...(req.description ? { longcode: t.contract.longcode } : {}) })) } });
    },
    profit_table(req, _e, ok) {
      const a = auth!.account;
      const sold = [...d.core.contracts.values()].filter((c) => c.loginid === a.spec.loginid && c.status !== 'open').reverse().slice(0, Number(req.limit ?? 50));
      ok({ profit_table: { count: sold.length, transactions: sold.map((c) => ({ contract_id: c.contractId, contract_type: c.contractType, transaction_id: c.sellTxn, buy_price: units(c.buyCents), sell_price: units(c.sellCents ?? 0), payout: units(c.payoutCents), purchase_time: c.purchaseTime, sell_time: c.sellTime, shortcode: c.shortcode, underlying_symbol: c.symbol, duration_type: 'ticks', ...(req.description ? { longcode: c.longcode } : {}) })) } });
    },
    proposal(req, err, ok) {
      const terms = parseTerms(req);
      if (typeof terms === 'string') return terms === 'symbol' ? err('InvalidSymbol', String(req.symbol)) : err('InputValidationFailed', terms);
      const quote = () => {
        const pid = randomUUID();
        proposals.set(pid, terms);
        const ask = units(d.core.askCents(terms));
        return { id: pid, ask_price: ask, display_value: ask.toFixed(2), payout: units(terms.payoutCents), spot: d.market.spot(terms.symbol), spot_time: sec(), date_start: sec(), longcode: `Win payout if ${terms.symbol} is strictly ${terms.contractType === 'CALL' ? 'higher' : 'lower'} than entry spot.` };
      };
      if (req.subscribe !== 1) return ok({ proposal: quote() });
      const id = openStream('proposal', (sid) => d.market.onTick((t) => t.symbol === terms.symbol && d.send(reply(req, 'proposal', { proposal: quote(), subscription: { id: sid } }))));
      ok({ proposal: quote(), subscription: { id } });
    },
    buy(req, err, ok) {
      const a = auth!.account;
      const price = Number(req.price);
      if (!Number.isFinite(price)) return err('InputValidationFailed', 'price');
      let terms: ContractTerms | string | undefined;
      if (req.buy === '1' || req.buy === 1) terms = typeof req.parameters === 'object' && req.parameters !== null ? parseTerms(req.parameters as Record<string, unknown>) : 'parameters';
      else terms = proposals.get(String(req.buy));
      if (terms === undefined) return err('InvalidContractProposal');
      if (typeof terms === 'string') return terms === 'symbol' ? err('InvalidSymbol', '') : err('InputValidationFailed', terms);
      if (!(req.buy === '1' || req.buy === 1)) proposals.delete(String(req.buy));
      const r = d.core.buy(a.spec.loginid, terms, Math.round(price * 100));
      if (!r.ok) return err(r.code, ...r.args);
      const c = r.contract;
      ok({ buy: { balance_after: units(r.txn.balanceAfterCents), buy_price: units(c.buyCents), contract_id: c.contractId, longcode: c.longcode, payout: units(c.payoutCents), purchase_time: c.purchaseTime, shortcode: c.shortcode, start_time: c.purchaseTime, transaction_id: r.txn.transactionId } });
    },
    sell(req, err, ok) {
      const a = auth!.account;
      const r = d.core.sell(a.spec.loginid, Number(req.sell), Math.round(Number(req.price ?? 0) * 100));
      if (!r.ok) return err(r.code, ...r.args);
      ok({ sell: { balance_after: units(r.txn.balanceAfterCents), contract_id: r.contract.contractId, reference_id: r.contract.buyTxn, sold_for: units(r.contract.sellCents ?? 0), transaction_id: r.txn.transactionId } });
    },
    proposal_open_contract(req, err, ok) {
      const a = auth!.account;
      const c = d.core.contracts.get(Number(req.contract_id));
      if (!c || c.loginid !== a.spec.loginid) return err('InvalidContractId');
      // a stream (subscribe: 1) of an open contract: an update at every tick of its symbol and at its settlement, the
      // last one showing it sold, then the stream ends; a contract already sold is answered once
      if (req.subscribe !== 1 || c.status !== 'open') return ok({ proposal_open_contract: openContractWire(c, a) });
      const id = openStream('proposal_open_contract', (sid) => {
        const push = (): void => {
          d.send(reply(req, 'proposal_open_contract', { proposal_open_contract: openContractWire(c, a, sid), subscription: { id: sid } }));
          if (c.status !== 'open') forget(sid);
        };
        const offTick = d.market.onTick((t) => t.symbol === c.symbol && c.status === 'open' && push());
        const offTxn = d.core.onTransaction((t) => t.contractId === c.contractId && t.action === 'sell' && push());
        return () => (offTick(), offTxn());
      });
      ok({ proposal_open_contract: openContractWire(c, a, id), subscription: { id } });
    },
    sell_expired(_req, _e, ok) {
      ok({ sell_expired: { count: d.core.sellExpired(auth!.account.spec.loginid) } });
    },
  };

  return {
    handle(text) {
      let req: DerivRequest;
      try {
        const v: unknown = JSON.parse(text);
        if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
        req = v as DerivRequest;
      } catch {
        return d.send({ echo_req: {}, msg_type: 'error', error: { code: 'InputValidationFailed', message: 'Input validation failed: not a JSON object' } });
      }
      const method = methodOf(req, (k) => Object.hasOwn(handlers, k) || Object.hasOwn(SCOPE_OF, k)) ?? 'error';
      const msgType = method === 'ticks' ? 'tick' : method;
      d.count(method, req);
      const err = (code: DerivErrorCode, ...args: string[]): void => d.send(errorReply(req, msgType, code, ...args));
      const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
      const scope = Object.hasOwn(SCOPE_OF, method) ? SCOPE_OF[method] : undefined;
      if (!handler && scope === undefined) return err('UnrecognisedRequest');
      if (req.req_id !== undefined && !(Number.isInteger(req.req_id) && req.req_id > 0)) return err('InputValidationFailed', 'req_id');
      if (scope !== undefined) {
        if (!auth) return err('AuthorizationRequired');
        if (!auth.scopes.includes(scope)) return err('PermissionDenied', scope);
      }
      // Calls whose scope is modelled but whose body is not (admin, payments …) stop here.
      if (!handler) return err('UnrecognisedRequest');
      const lose = d.loseReply(method);
      handler(req, lose ? () => undefined : err, lose ? () => undefined : (body) => d.send(reply(req, msgType, body)));
    },
    close() {
      for (const id of [...streams.keys()]) forget(id);
    },
  };
}
