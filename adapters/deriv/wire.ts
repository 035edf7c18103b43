/**
 * Deriv wire frames, parsed once from unknown. Shapes are the published `@deriv/api-types` ones; only the fields the
 * adapter reads are checked.
 */
import type { Authorize, Buy, Proposal, Sell, TickSpotData } from '@deriv/api-types';

export interface DerivErrorWire {
  readonly code: string;
  readonly message: string;
}

/** Any answer or stream frame. */
export interface DerivFrame {
  readonly msg_type: string;
  readonly req_id?: number;
  readonly echo_req: Record<string, unknown>;
  readonly error?: DerivErrorWire;
  readonly subscription?: { readonly id: string };
  readonly [k: string]: unknown;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };
const bad = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function parseFrame(text: string): Parsed<DerivFrame> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return bad('not JSON');
  }
  if (!isObj(v) || typeof v.msg_type !== 'string') return bad('no msg_type');
  if (v.req_id !== undefined && !num(v.req_id)) return bad('req_id is not a number');
  if (v.error !== undefined && !(isObj(v.error) && typeof v.error.code === 'string' && typeof v.error.message === 'string')) return bad('malformed error');
  if (v.subscription !== undefined && !(isObj(v.subscription) && typeof v.subscription.id === 'string')) return bad('malformed subscription');
  return { ok: true, value: Object.assign({}, v, { echo_req: isObj(v.echo_req) ? v.echo_req : {} }) as DerivFrame };
}

export type DerivTick = Required<Pick<TickSpotData, 'epoch' | 'quote' | 'symbol'>> & Pick<TickSpotData, 'ask' | 'bid' | 'id' | 'pip_size'>;
export function parseTick(f: DerivFrame): Parsed<DerivTick> {
  const t = f.tick;
  if (!isObj(t) || !num(t.quote) || !num(t.epoch) || typeof t.symbol !== 'string') return bad('tick without quote, epoch or symbol');
  return { ok: true, value: t as unknown as DerivTick };
}

export type DerivAuthorize = Pick<Authorize, 'loginid' | 'currency' | 'scopes' | 'balance'>;
export function parseAuthorize(f: DerivFrame): Parsed<DerivAuthorize> {
  const a = f.authorize;
  if (!isObj(a) || typeof a.loginid !== 'string') return bad('authorize without loginid');
  return { ok: true, value: a as DerivAuthorize };
}

export type DerivProposal = Pick<Proposal, 'id' | 'ask_price' | 'payout'>;
export function parseProposal(f: DerivFrame): Parsed<DerivProposal> {
  const p = f.proposal;
  if (!isObj(p) || typeof p.id !== 'string' || !num(p.ask_price) || !num(p.payout)) return bad('proposal without id, ask_price or payout');
  return { ok: true, value: p as unknown as DerivProposal };
}

export type DerivBuy = Pick<Buy, 'contract_id' | 'buy_price' | 'payout' | 'transaction_id' | 'purchase_time' | 'shortcode'>;
export function parseBuy(f: DerivFrame): Parsed<DerivBuy> {
  const b = f.buy;
  if (!isObj(b) || !num(b.contract_id) || !num(b.buy_price) || !num(b.transaction_id)) return bad('buy without contract_id, buy_price or transaction_id');
  return { ok: true, value: b as unknown as DerivBuy };
}

export type DerivSell = Required<Pick<Sell, 'contract_id' | 'sold_for' | 'transaction_id'>>;
export function parseSell(f: DerivFrame): Parsed<DerivSell> {
  const s = f.sell;
  if (!isObj(s) || !num(s.contract_id) || !num(s.sold_for) || !num(s.transaction_id)) return bad('sell without contract_id, sold_for or transaction_id');
  return { ok: true, value: s as unknown as DerivSell };
}

/** A `transaction` stream event (buy, or sell = sold or settled at expiry). */
export interface DerivTransaction {
  readonly action: 'buy' | 'sell';
  readonly contract_id: number;
  readonly amount: number;
  readonly transaction_id: number;
  readonly transaction_time: number;
}
export function parseTransaction(f: DerivFrame): Parsed<DerivTransaction | undefined> {
  const t = f.transaction;
  if (!isObj(t)) return bad('transaction frame without transaction');
  if (t.action === undefined) return { ok: true, value: undefined }; // the subscription's first answer
  if ((t.action !== 'buy' && t.action !== 'sell') || !num(t.contract_id) || !num(t.amount) || !num(t.transaction_id)) return bad('transaction without action, contract_id, amount or transaction_id');
  return { ok: true, value: t as unknown as DerivTransaction };
}

/** A `statement` row (buys and sells), as reconciliation reads it. */
export interface DerivStatementRow {
  readonly action_type: string;
  readonly contract_id: number;
  readonly transaction_id: number;
  readonly amount: number;
  readonly transaction_time: number;
  readonly shortcode?: string;
  readonly payout?: number;
}
export function parseStatement(f: DerivFrame): Parsed<DerivStatementRow[]> {
  const s = f.statement;
  if (!isObj(s) || !Array.isArray(s.transactions)) return bad('statement without transactions');
  const rows = s.transactions.filter((r): r is DerivStatementRow => isObj(r) && typeof r.action_type === 'string' && num(r.contract_id) && num(r.transaction_id) && num(r.amount));
  return { ok: true, value: rows };
}

/**
 * `proposal_open_contract` as the adapter reads it: to settle a close whose answer was lost, and (streamed) to see a
 * contract expire and be settled.
 */
export interface DerivOpenContract {
  readonly contract_id: number;
  readonly status: string;
  readonly is_expired?: 0 | 1;
  readonly is_sold?: 0 | 1;
  readonly sell_price?: number;
  readonly sell_time?: number | null;
  readonly profit?: number;
  readonly transaction_ids?: { readonly buy?: number; readonly sell?: number };
}
export function parseOpenContract(f: DerivFrame): Parsed<DerivOpenContract> {
  const p = f.proposal_open_contract;
  if (!isObj(p) || !num(p.contract_id) || typeof p.status !== 'string') return bad('proposal_open_contract without contract_id or status');
  if (p.is_sold === 1 && !num(p.sell_price)) return bad('a sold proposal_open_contract without sell_price');
  return { ok: true, value: p as unknown as DerivOpenContract };
}

/** Sold (before expiry or settled after it) by the contract's own account of it. */
export const isSoldContract = (c: DerivOpenContract): boolean => c.is_sold === 1 || (c.status !== 'open' && c.sell_price !== undefined);

/** `sell_expired`: how many expired contracts the call settled. */
export function parseSellExpired(f: DerivFrame): Parsed<number> {
  const s = f.sell_expired;
  if (!isObj(s) || !num(s.count)) return bad('sell_expired without count');
  return { ok: true, value: s.count };
}

export interface DerivActiveSymbol {
  readonly symbol: string;
  readonly pip: number;
  readonly is_trading_suspended?: number;
}
export function parseActiveSymbols(f: DerivFrame): Parsed<DerivActiveSymbol[]> {
  const a = f.active_symbols;
  if (!Array.isArray(a)) return bad('active_symbols is not a list');
  return { ok: true, value: a.filter((s): s is DerivActiveSymbol => isObj(s) && typeof s.symbol === 'string' && num(s.pip) && s.pip > 0) };
}
