/** Reads of the persisted state: event log, orders, fills, positions, strategy state, client order id counters. */
import type { Database } from 'better-sqlite3';
import type { OrderEvent } from '../model/events.js';
import { parseClientOrderId, type InstrumentId, type StrategyId } from '../model/ids.js';
import { isOpenStatus, type Order, type OrderStatus } from '../model/order.js';
import type { Position } from '../model/position.js';
import { decodeJournalChunk } from './journal-codec.js';
import {
  fillFromRow, orderFromRow, positionFromRow, type FillRow, type OrderRow, type PositionRow, type StoredFill,
} from './rows.js';

export interface StoredEvent {
  readonly seq: number;
  readonly runId: number;
  readonly event: OrderEvent;
}

/**
 * A run's event log in the order it was written: its journal chunks (a backtest; `seq` counts from 1 in the run) or
 * its events rows (paper and live, or a backtest with storage.backtestEvents 'rows'; `seq` is the table's).
 */
export function loadEvents(db: Database, runId: number): StoredEvent[] {
  const out: StoredEvent[] = [];
  for (const e of journalEvents(db, runId)) out.push(e);
  if (out.length > 0) return out;
  const rows = db.prepare(`SELECT seq, run_id, payload FROM events WHERE run_id = ? ORDER BY seq`).all(runId) as {
    seq: number;
    run_id: number;
    payload: string;
  }[];
  return rows.map((r) => ({ seq: r.seq, runId: r.run_id, event: JSON.parse(r.payload) as OrderEvent }));
}

/** A run's journal, chunk by chunk (one decoded at a time: a long run's events need not all be in memory). */
export function* journalEvents(db: Database, runId: number): Generator<StoredEvent> {
  const chunks = db.prepare(`SELECT seq_from, events, data FROM event_journal WHERE run_id = ? ORDER BY seq_from`).iterate(runId) as IterableIterator<{
    seq_from: number;
    events: number;
    data: Buffer;
  }>;
  for (const c of chunks) {
    let events: OrderEvent[];
    try {
      events = decodeJournalChunk(c.data);
    } catch (e) {
      throw new Error(`run ${runId}: event journal chunk from event ${c.seq_from}: ${(e as Error).message}`);
    }
    if (events.length !== c.events) throw new Error(`run ${runId}: event journal chunk from event ${c.seq_from} holds ${events.length} events, its row says ${c.events}`);
    for (let i = 0; i < events.length; i++) yield { seq: c.seq_from + i, runId, event: events[i]! };
  }
}

/** Every status, so the open ones are derived from `isOpenStatus` and a new status cannot be forgotten here. */
const ALL_STATUSES: Record<OrderStatus, true> = {
  INITIALIZED: true, EMULATED: true, RELEASED: true, DENIED: true, SUBMITTED: true, ACCEPTED: true, REJECTED: true, PENDING_UPDATE: true,
  PENDING_CANCEL: true, PARTIALLY_FILLED: true, FILLED: true, CANCELED: true, EXPIRED: true,
};
const OPEN_STATUSES = (Object.keys(ALL_STATUSES) as OrderStatus[]).filter(isOpenStatus);
const OPEN_STATUS_SQL = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');

export interface OrderQuery {
  /** Only orders created by this run. */
  readonly runId?: number;
  /** Only orders of this portfolio (any run). */
  readonly portfolioId?: string;
  /** true: only open orders (submitted, accepted, pending, partially filled); false: only the others. */
  readonly open?: boolean;
}

/** Orders as last written, oldest first (by engine creation time, then id). */
export function loadOrders(db: Database, query: OrderQuery = {}): Order[] {
  const where: string[] = [];
  const params: (number | string)[] = [];
  if (query.runId !== undefined) {
    where.push('run_id = ?');
    params.push(query.runId);
  }
  if (query.portfolioId !== undefined) {
    where.push('portfolio_id = ?');
    params.push(query.portfolioId);
  }
  if (query.open !== undefined) where.push(`status ${query.open ? '' : 'NOT '}IN (${OPEN_STATUS_SQL})`);
  const sql = `SELECT * FROM orders${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ts_init, client_order_id`;
  return (db.prepare(sql).all(...params) as OrderRow[]).map(orderFromRow);
}

/** A stored order and the keys of its stored fills: what execution needs to take it back into memory. */
export interface StoredOrder {
  readonly order: Order;
  readonly fills: readonly { venue: string; venueOrderId: string; tradeId: string; lastQty: string; lastPrice: string }[];
}

type FillKeyRow = { venue: string; venue_order_id: string; trade_id: string; qty: string; price: string };

/**
 * Looks up one order of a portfolio (any run: paper and live recover by portfolio) by client order id, with its fills
 * (through the fills' unique key on venue and venue order id). Prepared once; each call is two indexed reads.
 */
export function storedOrderReader(db: Database, portfolioId: string): (clientOrderId: string) => StoredOrder | undefined {
  const one = db.prepare(`SELECT * FROM orders WHERE client_order_id = ? AND portfolio_id = ?`);
  const fillsOf = db.prepare(`SELECT venue, venue_order_id, trade_id, qty, price FROM fills WHERE venue = ? AND venue_order_id = ? ORDER BY id`);
  const withFills = (row: OrderRow): StoredOrder => {
    const order = orderFromRow(row);
    const rows = order.venueOrderId === undefined ? [] : (fillsOf.all(order.venue, order.venueOrderId) as FillKeyRow[]);
    return {
      order,
      fills: rows.map((f) => ({ venue: f.venue, venueOrderId: f.venue_order_id, tradeId: f.trade_id, lastQty: f.qty, lastPrice: f.price })),
    };
  };
  return (clientOrderId) => {
    const row = one.get(clientOrderId, portfolioId) as OrderRow | undefined;
    return row === undefined ? undefined : withFills(row);
  };
}

/** Every open order of a portfolio (any run), oldest first, with its fill keys: what a paper or live start takes over. */
export function loadOpenOrders(db: Database, portfolioId: string): StoredOrder[] {
  const read = storedOrderReader(db, portfolioId);
  return loadOrders(db, { portfolioId, open: true }).map((o) => read(o.clientOrderId)!);
}

/** A portfolio's fills in the order they were applied. */
export function loadFills(db: Database, portfolioId: string): StoredFill[] {
  const rows = db.prepare(`SELECT * FROM fills WHERE portfolio_id = ? ORDER BY id`).all(portfolioId) as FillRow[];
  return rows.map(fillFromRow);
}

export function loadPositions(db: Database, portfolioId: string): Map<InstrumentId, Position> {
  const rows = db.prepare(`SELECT * FROM positions WHERE portfolio_id = ? ORDER BY instrument_id`).all(portfolioId) as PositionRow[];
  return new Map(rows.map((r) => [r.instrument_id, positionFromRow(r)]));
}

/** A strategy's saved values by key (parsed JSON). */
export function loadStrategyState(db: Database, scope: string, strategyId: StrategyId): Record<string, unknown> {
  const rows = db
    .prepare(`SELECT key, value_json FROM strategy_state WHERE scope = ? AND strategy_id = ? ORDER BY key`)
    .all(scope, strategyId) as { key: string; value_json: string }[];
  const out: Record<string, unknown> = {};
  for (const r of rows) out[r.key] = JSON.parse(r.value_json) as unknown;
  return out;
}

/**
 * The highest counter among this strategy's stored client order ids (any run), 0 if none: the id generator resumes
 * past it after a restart. Ids that are not ours (do not parse, or name another strategy) are skipped.
 */
export function maxClientOrderCounter(db: Database, strategyId: StrategyId): number {
  const rows = db.prepare(`SELECT client_order_id FROM orders WHERE strategy_id = ?`).all(strategyId) as {
    client_order_id: string;
  }[];
  let max = 0;
  for (const r of rows) {
    const parsed = parseClientOrderId(r.client_order_id);
    if (parsed && parsed.strategyId === strategyId && parsed.counter > max) max = parsed.counter;
  }
  return max;
}

/** The equity curve of a run, in time order. */
export function loadEquity(db: Database, runId: number): Array<{ ts: number; equity: number }> {
  const rows = db.prepare(`SELECT ts, equity FROM equity WHERE run_id = ? ORDER BY ts`).all(runId) as Array<{ ts: number; equity: string }>;
  return rows.map((r) => ({ ts: r.ts, equity: Number(r.equity) }));
}
