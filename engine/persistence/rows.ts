/**
 * Row shapes and the one mapping between domain objects and table rows, shared by the writer and the repositories.
 * Exact carriers (order/fill prices, quantities, fees) are stored as String(number), the exact decimal (decimal.ts);
 * positions as Decimal toString(). SQLite gets null, never undefined, and 0/1 for booleans.
 */
import { Amount } from '../model/amount.js';
import type { Liquidity, OrderFilled } from '../model/events.js';
import type { InstrumentId, Millis, VenueId } from '../model/ids.js';
import type { Order, OrderSide, OrderStatus, OrderType, OrderView, TimeInForce, Trigger } from '../model/order.js';
import type { Position } from '../model/position.js';
import { serializePosition } from '../portfolio/position.js';

/** Exact decimal text of an exact carrier. */
export const exactText = (x: number): string => String(x);
const textOrNull = (x: number | undefined): string | null => (x === undefined ? null : String(x));

// ---------------------------------------------------------------- orders

/** Column order of `ORDER_UPSERT_SQL`'s parameters; `writeOrderParams` fills an array in this order. */
export const ORDER_COLUMNS = [
  'client_order_id', 'run_id', 'strategy_id', 'instrument_id', 'venue', 'side', 'type', 'time_in_force', 'expire_at',
  'quantity', 'price', 'status', 'status_before_pending', 'filled_qty', 'avg_fill_price', 'venue_order_id', 'tag',
  'post_only', 'reduce_only', 'ts_init', 'ts_last', 'portfolio_id', 'trigger_kind', 'trigger_price', 'trigger_type',
  'trigger_trailing', 'parent_id', 'oco_group',
] as const;

/**
 * Columns an event can change; the rest (run_id: the run that created the order, portfolio_id: whose order it is) are
 * kept from the first row.
 */
const ORDER_MUTABLE_COLUMNS = [
  'expire_at', 'quantity', 'price', 'status', 'status_before_pending', 'filled_qty', 'avg_fill_price', 'venue_order_id',
  'ts_last', 'trigger_price',
] as const;

export const ORDER_UPSERT_SQL =
  `INSERT INTO orders (${ORDER_COLUMNS.join(', ')}) VALUES (${ORDER_COLUMNS.map(() => '?').join(', ')}) ` +
  `ON CONFLICT (client_order_id) DO UPDATE SET ${ORDER_MUTABLE_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}`;

export type OrderParams = (string | number | null)[];

export const newOrderParams = (): OrderParams => new Array<string | number | null>(ORDER_COLUMNS.length).fill(null);

/** Copies the order's current state into `out` (reused, no allocation besides the number → text conversions). */
export function writeOrderParams(out: OrderParams, order: OrderView, runId: number, portfolioId: string): void {
  out[0] = order.clientOrderId;
  out[1] = runId;
  out[2] = order.strategyId;
  out[3] = order.instrumentId;
  out[4] = order.venue;
  out[5] = order.side;
  out[6] = order.type;
  out[7] = order.timeInForce;
  out[8] = order.expireAt ?? null;
  out[9] = exactText(order.quantity);
  out[10] = textOrNull(order.price);
  out[11] = order.status;
  out[12] = order.statusBeforePending ?? null;
  out[13] = exactText(order.filledQty);
  out[14] = textOrNull(order.avgFillPrice);
  out[15] = order.venueOrderId ?? null;
  out[16] = order.tag ?? null;
  out[17] = order.postOnly ? 1 : 0;
  out[18] = order.reduceOnly ? 1 : 0;
  out[19] = order.tsInit;
  out[20] = order.tsLast;
  out[21] = portfolioId;
  const t = order.trigger;
  out[22] = t === undefined ? null : t.kind;
  out[23] = t === undefined ? null : exactText(t.price);
  out[24] = t === undefined ? null : t.on;
  out[25] = t?.trailing === undefined ? null : exactText(t.trailing);
  out[26] = order.parentId ?? null;
  out[27] = order.ocoGroup ?? null;
}

export interface OrderRow {
  client_order_id: string;
  run_id: number;
  strategy_id: string;
  instrument_id: string;
  venue: string;
  side: string;
  type: string;
  time_in_force: string;
  expire_at: number | null;
  quantity: string;
  price: string | null;
  status: string;
  status_before_pending: string | null;
  filled_qty: string;
  avg_fill_price: string | null;
  venue_order_id: string | null;
  tag: string | null;
  post_only: number;
  reduce_only: number;
  ts_init: number;
  ts_last: number;
  portfolio_id: string;
  trigger_kind: string | null;
  trigger_price: string | null;
  trigger_type: string | null;
  trigger_trailing: string | null;
  parent_id: string | null;
  oco_group: string | null;
}

export function orderFromRow(r: OrderRow): Order {
  return {
    clientOrderId: r.client_order_id,
    strategyId: r.strategy_id,
    instrumentId: r.instrument_id,
    venue: r.venue,
    side: r.side as OrderSide,
    type: r.type as OrderType,
    timeInForce: r.time_in_force as TimeInForce,
    ...(r.expire_at !== null && { expireAt: r.expire_at }),
    ...(r.trigger_kind !== null && r.trigger_price !== null && {
      trigger: {
        kind: r.trigger_kind as Trigger['kind'], price: Number(r.trigger_price), on: (r.trigger_type ?? 'last') as Trigger['on'],
        ...(r.trigger_trailing !== null && { trailing: Number(r.trigger_trailing) }),
      },
    }),
    ...(r.parent_id !== null && { parentId: r.parent_id }),
    ...(r.oco_group !== null && { ocoGroup: r.oco_group }),
    postOnly: r.post_only !== 0,
    reduceOnly: r.reduce_only !== 0,
    ...(r.tag !== null && { tag: r.tag }),
    tsInit: r.ts_init,
    ...(r.venue_order_id !== null && { venueOrderId: r.venue_order_id }),
    quantity: Number(r.quantity),
    ...(r.price !== null && { price: Number(r.price) }),
    status: r.status as OrderStatus,
    ...(r.status_before_pending !== null && { statusBeforePending: r.status_before_pending as OrderStatus }),
    filledQty: Number(r.filled_qty),
    ...(r.avg_fill_price !== null && { avgFillPrice: Number(r.avg_fill_price) }),
    tsLast: r.ts_last,
  };
}

// ---------------------------------------------------------------- fills

export const FILL_INSERT_SQL =
  `INSERT OR IGNORE INTO fills (run_id, portfolio_id, venue, venue_order_id, trade_id, client_order_id, strategy_id, ` +
  `instrument_id, side, qty, price, fee, fee_currency, liquidity, ts_event) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export function fillParams(runId: number, portfolioId: string, f: OrderFilled): (string | number)[] {
  return [
    runId, portfolioId, f.venue, f.venueOrderId, f.tradeId, f.clientOrderId, f.strategyId, f.instrumentId, f.side,
    exactText(f.lastQty), exactText(f.lastPrice), exactText(f.fee), f.feeCurrency, f.liquidity, f.tsEvent,
  ];
}

export interface FillRow {
  id: number;
  run_id: number;
  portfolio_id: string;
  venue: string;
  venue_order_id: string;
  trade_id: string;
  client_order_id: string;
  strategy_id: string;
  instrument_id: string;
  side: string;
  qty: string;
  price: string;
  fee: string;
  fee_currency: string;
  liquidity: string;
  ts_event: number;
}

/** A stored fill. Quantities, prices and fees are the exact decimal text; it is a `FillLike` for position math. */
export interface StoredFill {
  readonly id: number;
  readonly runId: number;
  readonly portfolioId: string;
  readonly venue: VenueId;
  readonly venueOrderId: string;
  readonly tradeId: string;
  readonly clientOrderId: string;
  readonly strategyId: string;
  readonly instrumentId: InstrumentId;
  readonly side: OrderSide;
  readonly lastQty: string;
  readonly lastPrice: string;
  readonly fee: string;
  readonly feeCurrency: string;
  readonly liquidity: Liquidity;
  readonly tsEvent: Millis;
}

export function fillFromRow(r: FillRow): StoredFill {
  return {
    id: r.id,
    runId: r.run_id,
    portfolioId: r.portfolio_id,
    venue: r.venue,
    venueOrderId: r.venue_order_id,
    tradeId: r.trade_id,
    clientOrderId: r.client_order_id,
    strategyId: r.strategy_id,
    instrumentId: r.instrument_id,
    side: r.side as OrderSide,
    lastQty: r.qty,
    lastPrice: r.price,
    fee: r.fee,
    feeCurrency: r.fee_currency,
    liquidity: r.liquidity as Liquidity,
    tsEvent: r.ts_event,
  };
}

/** Words describing how a duplicate fill differs from the stored one; empty when it is an exact repeat. */
export function fillConflicts(stored: FillRow, f: OrderFilled): string[] {
  const diffs: string[] = [];
  const check = (what: string, was: string, now: string): void => {
    if (was !== now) diffs.push(`${what} ${now} (stored ${was})`);
  };
  check('instrument', stored.instrument_id, f.instrumentId);
  check('client order id', stored.client_order_id, f.clientOrderId);
  check('side', stored.side, f.side);
  check('qty', stored.qty, exactText(f.lastQty));
  check('price', stored.price, exactText(f.lastPrice));
  check('fee', stored.fee, exactText(f.fee));
  check('fee currency', stored.fee_currency, f.feeCurrency);
  return diffs;
}

// ---------------------------------------------------------------- positions

export const POSITION_UPSERT_SQL =
  `INSERT INTO positions (portfolio_id, instrument_id, quantity, cost_basis, realized_pnl, fees, fill_count, ts_last) ` +
  `VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (portfolio_id, instrument_id) DO UPDATE SET quantity = excluded.quantity, ` +
  `cost_basis = excluded.cost_basis, realized_pnl = excluded.realized_pnl, fees = excluded.fees, ` +
  `fill_count = excluded.fill_count, ts_last = excluded.ts_last`;

export function positionParams(portfolioId: string, pos: Position): (string | number)[] {
  const s = serializePosition(pos);
  return [portfolioId, s.instrumentId, s.quantity, s.costBasis, s.realizedPnl, s.fees, s.fillCount, s.tsLast];
}

export interface PositionRow {
  portfolio_id: string;
  instrument_id: string;
  quantity: string;
  cost_basis: string;
  realized_pnl: string;
  fees: string;
  fill_count: number;
  ts_last: number;
}

/** Throws a readable error naming the row and column when the stored text is not a decimal. */
function decimalColumn(r: PositionRow, column: 'quantity' | 'cost_basis' | 'realized_pnl' | 'fees'): Amount {
  try {
    return Amount.parse(String(r[column]));
  } catch {
    throw new Error(
      `positions row (${r.portfolio_id}, ${r.instrument_id}): ${column} ${JSON.stringify(r[column])} is not a decimal number`,
    );
  }
}

export function positionFromRow(r: PositionRow): Position {
  return {
    instrumentId: r.instrument_id,
    quantity: decimalColumn(r, 'quantity'),
    costBasis: decimalColumn(r, 'cost_basis'),
    realizedPnl: decimalColumn(r, 'realized_pnl'),
    fees: decimalColumn(r, 'fees'),
    fillCount: r.fill_count,
    tsLast: r.ts_last,
  };
}
