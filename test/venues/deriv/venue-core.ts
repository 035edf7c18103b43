/**
 * Accounts, tokens and contracts of the Deriv simulator: a balance in cents (exact), a statement of buy/sell
 * transactions, and Rise/Fall contracts (CALL/PUT) that are bought from a proposal (basis payout or stake), sold before
 * expiry, or settled after it on the simulator's market.
 *
 * Expiry and settlement are two steps, as at Deriv: at the expiry tick (tick durations) or the first tick at or after
 * the expiry time (second and minute durations) the contract is expired, its exit spot and value fixed (the payout
 * won, 0 lost) but not yet paid; it is settled, a `sell` transaction of that value, by `sell_expired` (the account's
 * call "to sell expired contracts"), or by the venue itself `settleDelayMs` later (null: only by `sell_expired`).
 * An expired contract cannot be sold with `sell`.
 */
import type { DerivMarket } from './market.js';
import type { DerivScope } from './protocol.js';

export interface DerivAccountSpec {
  readonly loginid: string;
  readonly currency: string;
  /** Opening balance in currency units. */
  readonly balance: number;
  /** token → scopes. */
  readonly tokens: Readonly<Record<string, readonly DerivScope[]>>;
}

export interface ContractTerms {
  readonly symbol: string;
  readonly contractType: 'CALL' | 'PUT';
  /** Payout in cents (basis stake: what the stake buys at the ask rate, to the cent). */
  readonly payoutCents: number;
  /** Basis stake: the stake asked for, in cents (the price of the contract); basis payout: none. */
  readonly stakeCents?: number;
  readonly duration: number;
  readonly unit: 't' | 's' | 'm';
}

export interface SimContract extends ContractTerms {
  readonly contractId: number;
  readonly loginid: string;
  readonly buyTxn: number;
  readonly buyCents: number;
  readonly purchaseTime: number;
  readonly entrySpot: number;
  readonly expiryTime: number;
  readonly shortcode: string;
  readonly longcode: string;
  ticksSeen: number;
  status: 'open' | 'sold' | 'won' | 'lost';
  /** Expired (seconds) and what it is worth, in cents; settled (status won/lost) later. */
  expiredAt?: number;
  expiryValueCents?: number;
  sellCents?: number;
  sellTime?: number;
  sellTxn?: number;
  exitSpot?: number;
}

export interface SimTransaction {
  readonly action: 'buy' | 'sell';
  readonly loginid: string;
  readonly transactionId: number;
  readonly contractId: number;
  /** Signed, cents. */
  readonly amountCents: number;
  readonly balanceAfterCents: number;
  readonly time: number;
  readonly contract: SimContract;
}

export interface SimAccount {
  readonly spec: DerivAccountSpec;
  balanceCents: number;
  readonly transactions: SimTransaction[];
}

export type BuyOutcome = { ok: true; contract: SimContract; txn: SimTransaction } | { ok: false; code: 'PriceMoved' | 'InsufficientBalance'; args: string[] };
export type SellOutcome = { ok: true; contract: SimContract; txn: SimTransaction } | { ok: false; code: 'InvalidContractId' | 'InvalidSellContractProposal' | 'PriceMoved'; args: string[] };

export const cents = (v: number): number => Math.round(v * 100);
export const units = (c: number): number => c / 100;
const money = (c: number): string => (c / 100).toFixed(2);

export interface VenueCore {
  readonly accounts: ReadonlyMap<string, SimAccount>;
  readonly contracts: ReadonlyMap<number, SimContract>;
  accountOfToken(token: string): { account: SimAccount; scopes: readonly DerivScope[] } | undefined;
  /** Ask price of a contract, in cents (the simulator prices at a fixed rate of the payout; basis stake: the stake). */
  askCents(terms: ContractTerms): number;
  /** Payout in cents that a stake buys (basis stake). */
  payoutForStakeCents(stakeCents: number): number;
  /** What the venue pays to buy the contract back now (cents). */
  bidCents(c: SimContract): number;
  buy(loginid: string, terms: ContractTerms, maxPriceCents: number): BuyOutcome;
  sell(loginid: string, contractId: number, minPriceCents: number): SellOutcome;
  /** Settles every expired, unsettled contract of the account; how many. */
  sellExpired(loginid: string): number;
  /** Every transaction (buy, sell, settlement) as it happens. */
  onTransaction(l: (t: SimTransaction) => void): () => void;
}

export function createVenueCore(opts: {
  market: DerivMarket;
  accounts: readonly DerivAccountSpec[];
  now: () => number;
  askRate?: number;
  /** The venue settles an expired contract itself this long after expiry; null: only `sell_expired` does. Default 2000. */
  settleDelayMs?: number | null;
}): VenueCore {
  const accounts = new Map(opts.accounts.map((a) => [a.loginid, { spec: a, balanceCents: cents(a.balance), transactions: [] as SimTransaction[] }]));
  const contracts = new Map<number, SimContract>();
  const listeners = new Set<(t: SimTransaction) => void>();
  const askRate = opts.askRate ?? 0.52;
  let nextContract = 250_000_001;
  let nextTxn = 500_000_001;
  const sec = (): number => Math.floor(opts.now() / 1000);

  const record = (account: SimAccount, action: 'buy' | 'sell', c: SimContract, amountCents: number): SimTransaction => {
    account.balanceCents += amountCents;
    const txn: SimTransaction = { action, loginid: account.spec.loginid, transactionId: nextTxn++, contractId: c.contractId, amountCents, balanceAfterCents: account.balanceCents, time: sec(), contract: c };
    account.transactions.push(txn);
    for (const l of [...listeners]) l(txn);
    return txn;
  };
  const close = (c: SimContract, status: SimContract['status'], valueCents: number, exitSpot?: number): SimTransaction => {
    const account = accounts.get(c.loginid)!;
    c.status = status;
    c.sellCents = valueCents;
    c.sellTime = sec();
    if (exitSpot !== undefined) c.exitSpot = exitSpot;
    const txn = record(account, 'sell', c, valueCents);
    c.sellTxn = txn.transactionId;
    return txn;
  };
  const settleDelayMs = opts.settleDelayMs === undefined ? 2_000 : opts.settleDelayMs;
  const settle = (c: SimContract): boolean => {
    if (c.status !== 'open' || c.expiredAt === undefined) return false;
    close(c, c.expiryValueCents! > 0 ? 'won' : 'lost', c.expiryValueCents!);
    return true;
  };
  const expire = (c: SimContract, spot: number): void => {
    const won = c.contractType === 'CALL' ? spot > c.entrySpot : spot < c.entrySpot;
    c.expiredAt = sec();
    c.exitSpot = spot;
    c.expiryValueCents = won ? c.payoutCents : 0;
    if (settleDelayMs === null) return;
    setTimeout(() => settle(c), settleDelayMs).unref();
  };

  opts.market.onTick((t) => {
    for (const c of contracts.values()) {
      if (c.status !== 'open' || c.expiredAt !== undefined || c.symbol !== t.symbol) continue;
      c.ticksSeen++;
      if (c.unit === 't' ? c.ticksSeen >= c.duration : t.epoch >= c.expiryTime) expire(c, t.quote);
    }
  });

  const core: VenueCore = {
    accounts,
    contracts,
    accountOfToken(token) {
      for (const a of accounts.values()) {
        const scopes = a.spec.tokens[token];
        if (scopes) return { account: a, scopes };
      }
      return undefined;
    },
    askCents: (terms) => terms.stakeCents ?? Math.round(terms.payoutCents * askRate),
    payoutForStakeCents: (stakeCents) => Math.round(stakeCents / askRate),
    bidCents(c) {
      if (c.expiredAt !== undefined) return c.expiryValueCents!;
      const spot = opts.market.spot(c.symbol) ?? c.entrySpot;
      const move = ((spot - c.entrySpot) / c.entrySpot) * (c.contractType === 'CALL' ? 1 : -1);
      const p = Math.min(0.99, Math.max(0.01, 0.5 + move * 50));
      return Math.round(c.payoutCents * p * 0.96);
    },
    buy(loginid, terms, maxPriceCents) {
      const account = accounts.get(loginid)!;
      const ask = core.askCents(terms);
      if (ask > maxPriceCents) return { ok: false, code: 'PriceMoved', args: [money(maxPriceCents), money(ask)] };
      if (ask > account.balanceCents) return { ok: false, code: 'InsufficientBalance', args: [`${account.spec.currency}${money(account.balanceCents)}`, `${account.spec.currency}${money(ask)}`] };
      const now = sec();
      const seconds = terms.unit === 't' ? terms.duration * 2 : terms.unit === 's' ? terms.duration : terms.duration * 60;
      const contractId = nextContract++;
      const c: SimContract = {
        ...terms, contractId, loginid, buyTxn: 0, buyCents: ask, purchaseTime: now, entrySpot: opts.market.spot(terms.symbol) ?? 0,
        expiryTime: now + seconds, ticksSeen: 0, status: 'open',
        shortcode: `${terms.contractType}_${terms.symbol}_${money(terms.payoutCents)}_${now}_${terms.duration}${terms.unit.toUpperCase()}_S0P_0`,
        longcode: `Win payout if ${terms.symbol} is strictly ${terms.contractType === 'CALL' ? 'higher' : 'lower'} than entry spot at ${terms.duration}${terms.unit} after contract start time.`,
      };
      contracts.set(contractId, c);
      const txn = record(account, 'buy', c, -ask);
      (c as { buyTxn: number }).buyTxn = txn.transactionId;
      return { ok: true, contract: c, txn };
    },
    sell(loginid, contractId, minPriceCents) {
      const c = contracts.get(contractId);
      if (!c || c.loginid !== loginid) return { ok: false, code: 'InvalidContractId', args: [] };
      if (c.status !== 'open' || c.expiredAt !== undefined) return { ok: false, code: 'InvalidSellContractProposal', args: [] };
      const bid = core.bidCents(c);
      if (bid < minPriceCents) return { ok: false, code: 'PriceMoved', args: [money(minPriceCents), money(bid)] };
      const txn = close(c, 'sold', bid);
      return { ok: true, contract: c, txn };
    },
    sellExpired(loginid) {
      let n = 0;
      for (const c of contracts.values()) if (c.loginid === loginid && settle(c)) n++;
      return n;
    },
    onTransaction(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return core;
}
