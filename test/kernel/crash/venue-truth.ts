/**
 * The kill -9 harness's two sides of the truth: what the venue (the simulator, asked over its documented REST API
 * with a plain signed client, not the adapter) says of our account, and what the engine's database holds.
 */
import Database from 'better-sqlite3';
import { decodeOrderId } from '../../../adapters/apifiny/format.js';
import { D } from '../../../engine/model/decimal.js';
import type { ApifinySimulator } from '../../venues/apifiny/sim-server.js';
import { ALICE, signedGet } from '../../venues/apifiny/test-client.js';

export interface VenueFill {
  /** orderId + the fill's key as the adapter keys it (tradeId, else orderId:cumulative quantity). */
  readonly key: string;
  readonly orderId: string;
  readonly clientOrderId: string | undefined;
  readonly side: 'BUY' | 'SELL';
  readonly qty: string;
  readonly at: number;
}

export interface VenueOrder {
  readonly orderId: string;
  readonly clientOrderId: string | undefined;
  readonly status: string;
  readonly createdAt: number;
}

export interface VenueTruth {
  readonly fills: readonly VenueFill[];
  readonly orders: readonly VenueOrder[];
}

type Rest = Pick<ApifinySimulator, 'restBaseUrl'>;

const clientIdOf = (orderId: string): string | undefined => {
  const d = decodeOrderId(orderId, ALICE.accountId);
  return d?.kind === 'full' ? d.clientOrderId : undefined;
};

/**
 * A signed GET that waits and asks again while the venue refuses it for the account's rate limit (the engine under test
 * trades on the same account, so the harness's questions share its budget).
 */
async function ask(rest: Rest, path: string, params: Record<string, string>): Promise<any[]> {
  for (let attempt = 0; ; attempt++) {
    const a = await signedGet(rest as ApifinySimulator, path, params);
    if (a.status === 200 && Array.isArray(a.body?.result)) return a.body.result as any[];
    if (attempt >= 40) throw new Error(`${path}: HTTP ${a.status} ${JSON.stringify(a.body).slice(0, 200)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A newest-first list of at most 1,000 per [start, end] read whole, backwards (the venue's documented paging). */
async function readAll(rest: Rest, path: string, timeOf: (x: any) => number, keyOf: (x: any) => string): Promise<any[]> {
  const seen = new Map<string, any>();
  const start = Date.now() - 86_400_000;
  let end = Date.now() + 60_000;
  for (;;) {
    const page = await ask(rest, path, { accountId: ALICE.accountId, venue: 'VENUE1', startTime: String(start), endTime: String(end), limit: '1000' });
    let added = 0;
    for (const x of page) if (!seen.has(keyOf(x))) (seen.set(keyOf(x), x), added++);
    if (page.length < 1000 || added === 0) break;
    end = Math.min(...page.map(timeOf));
  }
  return [...seen.values()];
}

export async function venueTruth(rest: Rest): Promise<VenueTruth> {
  const fillKey = (f: any): string => `${f.orderId}\u0000${f.tradeId ?? `${f.orderId}:${f.filledCumulativeQuantity}`}`;
  const rawFills = await readAll(rest, '/order/listFilledOrder', (f) => f.lastFilledCreatedAt, fillKey);
  const done = await readAll(rest, '/order/listCompletedOrder', (o) => o.updatedAt, (o) => o.orderId);
  const open = await ask(rest, '/order/listOpenOrder', { accountId: ALICE.accountId, venue: 'VENUE1' });
  const orders = [...done, ...open].map((o) => ({ orderId: o.orderId, clientOrderId: clientIdOf(o.orderId), status: o.orderStatus, createdAt: o.createdAt }));
  const fills = rawFills.map((f) => ({
    key: fillKey(f), orderId: f.orderId, clientOrderId: clientIdOf(f.orderId), side: f.orderSide, qty: String(f.lastFilledQuantity), at: f.lastFilledCreatedAt,
  }));
  return { fills, orders };
}

export interface StoredTruth {
  readonly fills: ReadonlyArray<{ key: string; side: string; qty: string; clientOrderId: string }>;
  readonly orders: ReadonlyMap<string, { venueOrderId: string | null; status: string }>;
  /** The positions table's quantity per instrument. */
  readonly positions: ReadonlyMap<string, string>;
  readonly integrity: string;
}

export function storedTruth(dbPath: string): StoredTruth {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    // one read transaction: a snapshot of the database as one commit left it (the engine may be writing meanwhile)
    return db.transaction(() => readStored(db))();
  } finally {
    db.close();
  }
}

function readStored(db: Database.Database): StoredTruth {
  const fills = (db.prepare(`SELECT venue_order_id, trade_id, side, qty, client_order_id FROM fills`).all() as any[])
    .map((f) => ({ key: `${f.venue_order_id}\u0000${f.trade_id}`, side: f.side, qty: f.qty, clientOrderId: f.client_order_id }));
  const orders = new Map((db.prepare(`SELECT client_order_id, venue_order_id, status FROM orders`).all() as any[])
    .map((o) => [o.client_order_id as string, { venueOrderId: o.venue_order_id as string | null, status: o.status as string }]));
  const positions = new Map((db.prepare(`SELECT instrument_id, quantity FROM positions`).all() as any[]).map((p) => [p.instrument_id as string, p.quantity as string]));
  const integrity = db.pragma('integrity_check', { simple: true }) as string;
  return { fills, orders, positions, integrity };
}

/** Σ signed quantities, exact. */
export const signedSum = (fills: ReadonlyArray<{ side: string; qty: string }>): string =>
  fills.reduce((sum, f) => (f.side.toLowerCase() === 'buy' ? sum.plus(f.qty) : sum.minus(f.qty)), D(0)).toString();
