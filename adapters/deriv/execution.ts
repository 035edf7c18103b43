/**
 * Trading as Deriv contracts. A buy order on `<SYMBOL>-<TYPE>.<VENUE>` is `proposal` → `buy` (its limit is the maximum
 * stake: price per unit of payout × payout); the contract bought is the order's fill. A sell order of the same payout
 * closes the oldest open contract: `sell` before expiry (its limit is the minimum accepted), or, once the contract has
 * settled at expiry, at the settlement amount (the venue's settlement transaction is the fill). Nothing rests at
 * Deriv: every order is filled or refused at once, so a cancel is always refused.
 *
 * A contract still held at expiry is settled through the venue (expiry.ts: its proposal_open_contract stream, and
 * `sell_expired` once it shows it expired). Its settlement closes it in the engine at once: with no sell order of the
 * strategy waiting, it is booked as a sell of the buying strategy, id `<strategy>-0-<contract_id>` (run 0 is never an
 * engine run, the contract id never repeats), with the settlement as its fill, and `resync$` asks the engine to
 * reconcile, which adopts that order from `orderStatus` and applies its fill (OrderAdopted, OrderFilled): the position
 * is flat from the moment the contract settles, whether or not the strategy ever sells.
 *
 * A definitive venue error → OrderRejected with the venue's code and message. A missing `trade` scope
 * (PermissionDenied) also refuses every later order locally, so a strategy cannot provoke a storm of refused buys.
 * An answer lost to a timeout or disconnect leaves the order in flight; it is settled by asking the venue
 * (`statement` for a buy, `proposal_open_contract` for a close), never by sending again.
 */
import { Subject } from 'rxjs';
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock/clock.js';
import type { ExecutionClient } from '../../engine/execution/venue-client.js';
import type { SubmitOrder } from '../../engine/model/commands.js';
import type { VenueOrderEvent } from '../../engine/model/events.js';
import { formatClientOrderId, type ClientOrderId, type StrategyId } from '../../engine/model/ids.js';
import type { FillReport, OrderStatusReport } from '../../engine/model/reports.js';
import { createRetention } from '../../engine/model/retention.js';
import type { DerivAnswer, DerivSession } from './client.js';
import type { DerivConfig } from './config.js';
import { ENV } from './config.js';
import { CONTRACT_CLOSED_CODES, PERMISSION_DENIED } from './constants.js';
import { createExpiryWatch, type Settlement } from './expiry.js';
import { formatBuy, formatProposal, formatSell, shortcodePrefix, type ContractTerms } from './format.js';
import { refOf } from './instruments.js';
import { fillEvents, filledReport, toFillReport, type ContractFill } from './parse.js';
import { parseBuy, parseOpenContract, parseProposal, parseSell, parseStatement, parseTransaction, type DerivFrame } from './wire.js';

interface Held {
  readonly contractId: number;
  readonly instrumentId: string;
  /** The strategy that bought it: a settlement nobody sold is booked as its order. */
  readonly strategyId: StrategyId;
  readonly terms: ContractTerms;
  /** The sell order closing it. */
  closing?: ClientOrderId;
  /** Sold or settled at the venue (from the transaction stream or the contract's own stream). */
  closedAt?: Settlement;
}

interface OrderRecord {
  readonly cmd: SubmitOrder;
  readonly terms: ContractTerms;
  readonly since: number;
  status: 'in-flight' | 'filled' | 'rejected';
  reason?: string;
  fill?: ContractFill;
  /** The contract a sell closes. */
  closes?: number;
}

export interface DerivExecution extends ExecutionClient {
  attach(session: DerivSession): void;
  /** After every (re)open: settle orders whose answers were lost. */
  onReconnected(currency: string): void;
}

export function createExecution(opts: { config: DerivConfig; clock: Clock; log: Logger }): DerivExecution {
  const { config, clock, log } = opts;
  const venue = config.venueId;
  const events$ = new Subject<VenueOrderEvent>();
  const resync$ = new Subject<string>();
  const orders = new Map<ClientOrderId, OrderRecord>();
  const held = new Map<number, Held>();
  // settled orders and booked fills are kept for the default retention (the newest 10,000, and 60 s at least), then
  // forgotten, so a long session does not grow with every order
  const settled = createRetention<OrderRecord>(undefined, (rec) => {
    if (orders.get(rec.cmd.clientOrderId) === rec) orders.delete(rec.cmd.clientOrderId);
  });
  const booked = createRetention<ContractFill>(undefined);
  let session: DerivSession | undefined;
  let currency = config.currency;
  let tradeRefusal: string | undefined;

  const emit = (es: readonly VenueOrderEvent[]): void => es.forEach((e) => events$.next(e));
  const describe = (a: Exclude<DerivAnswer, { kind: 'ok' }>): string => (a.kind === 'unknown' ? a.reason : `${a.error.code}: ${a.error.message}`);
  const request = (body: Record<string, unknown>): Promise<DerivAnswer> =>
    session ? session.request(body) : Promise.resolve({ kind: 'unknown', reason: 'not connected' });

  const reject = (rec: OrderRecord, reason: string): void => {
    if (rec.status !== 'in-flight') return;
    rec.status = 'rejected';
    rec.reason = reason;
    settled.add(rec, clock.now());
    emit([{ kind: 'OrderRejected', clientOrderId: rec.cmd.clientOrderId, instrumentId: rec.cmd.instrumentId, tsEvent: clock.now(), reason }]);
  };
  /** Books the order's one fill; `announce` false: the engine does not know the order yet (reconciliation adopts it). */
  const book = (rec: OrderRecord, contractId: number, transactionId: number, amount: number, tsEvent: number, announce = true): void => {
    if (rec.status !== 'in-flight') return;
    const fill: ContractFill = {
      venue, clientOrderId: rec.cmd.clientOrderId, instrumentId: rec.cmd.instrumentId, contractId, transactionId, side: rec.cmd.side,
      payout: rec.terms.payout, amount, currency, tsEvent,
    };
    rec.status = 'filled';
    rec.fill = fill;
    settled.add(rec, clock.now());
    booked.add(fill, clock.now());
    if (rec.cmd.side === 'buy') {
      held.set(contractId, { contractId, instrumentId: rec.cmd.instrumentId, strategyId: rec.cmd.strategyId, terms: rec.terms });
      expiry.watch(contractId);
    } else held.delete(contractId);
    if (announce) emit(fillEvents(fill));
  };

  /** A held contract sold or settled at the venue: the close of the strategy's sell waiting for it, else one of our own. */
  const settledAtVenue = (contractId: number, s: Settlement): void => {
    const h = held.get(contractId);
    if (!h) return;
    h.closedAt ??= s;
    const waiting = h.closing === undefined ? undefined : orders.get(h.closing);
    if (waiting?.status === 'in-flight') return book(waiting, contractId, s.transactionId, s.amount, s.tsEvent);
    if (h.closing !== undefined) return; // its sell is being settled with the venue: that settles it
    const now = clock.now();
    const cmd: SubmitOrder = {
      kind: 'SubmitOrder', clientOrderId: formatClientOrderId(h.strategyId, 0, contractId), strategyId: h.strategyId, instrumentId: h.instrumentId,
      side: 'sell', type: 'market', quantity: h.terms.payout, timeInForce: 'IOC', postOnly: false, reduceOnly: true, tag: 'settled', tsInit: now,
    };
    const rec: OrderRecord = { cmd, terms: h.terms, since: now, status: 'in-flight', closes: contractId };
    orders.set(cmd.clientOrderId, rec);
    h.closing = cmd.clientOrderId;
    book(rec, contractId, s.transactionId, s.amount, s.tsEvent, false);
    log.info({ contractId, clientOrderId: cmd.clientOrderId, amount: s.amount }, 'deriv: contract settled at the venue; closed in the engine by reconciliation');
    resync$.next(`contract ${contractId} settled at the venue (${s.amount} ${currency}): its close ${cmd.clientOrderId} is to be adopted`);
  };

  const expiry = createExpiryWatch({ request: (body) => request(body), clock, log, isHeld: (id) => held.has(id), onSettled: settledAtVenue });

  const buy = async (rec: OrderRecord): Promise<void> => {
    const p = await request(formatProposal(rec.terms, config, currency));
    if (p.kind !== 'ok') return reject(rec, p.kind === 'unknown' ? `no proposal (${p.reason}); nothing was bought` : `${p.error.code}: ${p.error.message}`);
    const proposal = parseProposal(p.frame);
    if (!proposal.ok) return reject(rec, `unreadable proposal (${proposal.reason}); nothing was bought`);
    const b = await request(formatBuy(rec.cmd, proposal.value.id, proposal.value.ask_price));
    if (b.kind === 'ok') {
      const v = parseBuy(b.frame);
      if (v.ok) return book(rec, v.value.contract_id, v.value.transaction_id, v.value.buy_price, v.value.purchase_time * 1000);
      log.error({ clientOrderId: rec.cmd.clientOrderId }, `deriv buy: unreadable answer (${v.reason}); settled from the statement`);
      return void settle(rec);
    }
    if (b.kind === 'venue-error') {
      if (b.error.code === PERMISSION_DENIED) {
        tradeRefusal = `${b.error.code}: ${b.error.message} — the API token in ${ENV.token} lacks the trade scope; orders are refused until the adapter is restarted with a token that has it`;
        log.error({ venue }, `deriv: ${tradeRefusal}`);
        return reject(rec, tradeRefusal);
      }
      return reject(rec, `${b.error.code}: ${b.error.message}`);
    }
    log.warn({ clientOrderId: rec.cmd.clientOrderId }, `deriv buy: outcome unknown (${b.reason}); settled by asking the venue`);
    void settle(rec);
  };

  const close = async (rec: OrderRecord, h: Held): Promise<void> => {
    if (h.closedAt) return book(rec, h.contractId, h.closedAt.transactionId, h.closedAt.amount, h.closedAt.tsEvent);
    const a = await request(formatSell(rec.cmd, h.contractId));
    if (a.kind === 'ok') {
      const s = parseSell(a.frame);
      if (s.ok) return book(rec, h.contractId, s.value.transaction_id, s.value.sold_for, clock.now());
    } else if (a.kind === 'venue-error' && !CONTRACT_CLOSED_CODES.has(a.error.code)) {
      h.closing = undefined;
      if (a.error.code === PERMISSION_DENIED) tradeRefusal = `${a.error.code}: ${a.error.message} — the API token in ${ENV.token} lacks the trade scope`;
      return reject(rec, `${a.error.code}: ${a.error.message}`);
    }
    // Sold or settled meanwhile, an unreadable answer, or no answer: ask the venue what became of the contract.
    void settle(rec);
  };

  /** Settles an in-flight order by asking the venue; retried on the next open while the venue cannot answer. */
  const settle = async (rec: OrderRecord): Promise<void> => {
    if (rec.status !== 'in-flight') return;
    if (rec.closes !== undefined) {
      const h = held.get(rec.closes);
      const a = await request({ proposal_open_contract: 1, contract_id: rec.closes });
      if (a.kind !== 'ok') return void log.warn({ clientOrderId: rec.cmd.clientOrderId }, `deriv: cannot settle the close yet (${describe(a)})`);
      const c = parseOpenContract(a.frame);
      if (!c.ok) return void log.error({ clientOrderId: rec.cmd.clientOrderId }, `deriv proposal_open_contract: ${c.reason}`);
      if (c.value.status === 'open' && c.value.is_sold !== 1) {
        // expired but not yet settled: settle it; the settlement books this sell (transaction or contract stream)
        if (c.value.is_expired === 1) return void expiry.sellExpired();
        if (h) h.closing = undefined;
        return reject(rec, 'not sold: the venue still holds the contract open');
      }
      return book(rec, rec.closes, c.value.transaction_ids?.sell ?? h?.closedAt?.transactionId ?? 0, c.value.sell_price ?? 0, clock.now());
    }
    const a = await request({ statement: 1, description: 1, limit: 100 });
    if (a.kind !== 'ok') return void log.warn({ clientOrderId: rec.cmd.clientOrderId }, `deriv: cannot settle the buy yet (${describe(a)})`);
    const rows = parseStatement(a.frame);
    if (!rows.ok) return void log.error({ clientOrderId: rec.cmd.clientOrderId }, `deriv statement: ${rows.reason}`);
    const prefix = shortcodePrefix(rec.terms);
    const taken = new Set(booked.slice().map((f) => f.contractId));
    const row = rows.value
      .filter((r) => r.action_type === 'buy' && r.shortcode?.startsWith(prefix) && r.transaction_time >= Math.floor(rec.since / 1000) - 2 && !taken.has(r.contract_id))
      .sort((x, y) => x.transaction_id - y.transaction_id)[0];
    if (!row) return reject(rec, 'not bought: the venue has no matching contract (checked its statement after the answer was lost)');
    book(rec, row.contract_id, row.transaction_id, -row.amount, row.transaction_time * 1000);
  };

  const onTransaction = (f: DerivFrame): void => {
    const t = parseTransaction(f);
    if (!t.ok) return void log.error({ venue }, `deriv transaction stream: ${t.reason}, ignored`);
    const v = t.value;
    if (v?.action === 'sell') settledAtVenue(v.contract_id, { transactionId: v.transaction_id, amount: v.amount, tsEvent: v.transaction_time * 1000 });
  };

  return {
    venue,
    events$: events$.asObservable(),
    resync$: resync$.asObservable(),
    attach(s) {
      session = s;
      s.frames$.subscribe((f) => (f.msg_type === 'transaction' ? onTransaction(f) : expiry.onFrame(f)));
    },
    onReconnected(cur) {
      currency = cur;
      for (const rec of orders.values()) if (rec.status === 'in-flight') void settle(rec);
      expiry.rewatch(held.keys()); // streams die with a connection; one settled meanwhile shows it at once
    },

    submit(cmd) {
      const known = orders.get(cmd.clientOrderId);
      if (known) {
        if (known.fill) emit(fillEvents(known.fill)); // a resend under the same id: report, never buy again
        return;
      }
      const ref = refOf(cmd.instrumentId, config);
      const terms: ContractTerms | undefined = ref?.kind === 'contract' ? { symbol: ref.symbol, contractType: ref.contractType, payout: cmd.quantity } : undefined;
      const rec: OrderRecord = { cmd, terms: terms ?? { symbol: '', contractType: 'CALL', payout: cmd.quantity }, since: clock.now(), status: 'in-flight' };
      orders.set(cmd.clientOrderId, rec);
      if (!terms) return reject(rec, `NOT_TRADABLE: ${cmd.instrumentId} is not a Deriv contract instrument; trade <SYMBOL>-<${config.contractTypes.join('|')}>.${venue}`);
      if (tradeRefusal) return reject(rec, tradeRefusal);
      if (cmd.postOnly) return reject(rec, 'NOT_SUPPORTED: a Deriv contract is bought at once at the proposal price; post-only is impossible');
      if (cmd.side === 'buy') return void buy(rec);
      const h = [...held.values()].filter((c) => c.instrumentId === cmd.instrumentId && c.closing === undefined && c.terms.payout === cmd.quantity).sort((a, b) => a.contractId - b.contractId)[0];
      if (!h) return reject(rec, `NO_CONTRACT: no open ${cmd.instrumentId} contract of payout ${cmd.quantity} to sell (a contract is closed whole; Deriv has no short sale: buy the opposite type instead)`);
      h.closing = cmd.clientOrderId;
      rec.closes = h.contractId;
      void close(rec, h);
    },
    cancel(cmd) {
      const rec = orders.get(cmd.clientOrderId);
      const why = rec?.status === 'filled' ? 'the contract was already bought or sold' : rec?.status === 'rejected' ? 'the order was refused' : 'its outcome is being settled with the venue';
      emit([{ kind: 'OrderCancelRejected', clientOrderId: cmd.clientOrderId, instrumentId: cmd.instrumentId, tsEvent: clock.now(), reason: `NOT_CANCELABLE: Deriv orders do not rest; ${why}` }]);
    },
    modify(cmd) {
      emit([{ kind: 'OrderModifyRejected', clientOrderId: cmd.clientOrderId, instrumentId: cmd.instrumentId, tsEvent: clock.now(), reason: 'NOT_SUPPORTED: a Deriv contract cannot be amended' }]);
    },
    async openOrders(): Promise<readonly OrderStatusReport[]> {
      return []; // nothing rests at Deriv
    },
    async fills(sinceMs: number): Promise<readonly FillReport[]> {
      return booked.slice().filter((f) => f.tsEvent >= sinceMs).map(toFillReport);
    },
    async orderStatus(clientOrderId: ClientOrderId): Promise<OrderStatusReport | undefined> {
      const rec = orders.get(clientOrderId);
      if (!rec) return undefined;
      if (rec.status === 'in-flight') await settle(rec);
      const limit = rec.cmd.type === 'limit' ? rec.cmd.price : undefined;
      if (rec.fill) return filledReport(rec.fill, limit);
      if (rec.status === 'in-flight') throw new Error(`deriv: order ${clientOrderId} cannot be settled yet (the venue did not answer); asked again at the next reconciliation`);
      return {
        venue, instrumentId: rec.cmd.instrumentId, clientOrderId, venueOrderId: `rejected-${clientOrderId}`, side: rec.cmd.side, type: rec.cmd.type,
        timeInForce: 'IOC', status: 'REJECTED', quantity: rec.cmd.quantity, filledQty: 0, ...(limit === undefined ? {} : { price: limit }), tsLast: clock.now(),
      };
    },
  };
}
