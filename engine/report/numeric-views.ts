/**
 * Views with numbers for SQL users: the stored tables keep prices, quantities, fees and equity as exact decimal TEXT
 * (engine/persistence/migrations.ts); these views give the same rows with REAL columns, so `SELECT sum(fee) FROM
 * fills_num` is a sum, not a string concatenation. Created `IF NOT EXISTS` by `engine export-run` (normal views, not
 * TEMP: other tools reading the file see them). A migration should own them later.
 */
import type { Database } from '../persistence/index.js';

export const NUMERIC_VIEWS: Readonly<Record<string, string>> = {
  fills_num: `CREATE VIEW IF NOT EXISTS fills_num AS
    SELECT id, run_id, portfolio_id, venue, venue_order_id, trade_id, client_order_id, strategy_id, instrument_id, side,
      CAST(qty AS REAL) AS qty, CAST(price AS REAL) AS price, CAST(fee AS REAL) AS fee, fee_currency, liquidity, ts_event
    FROM fills`,
  orders_num: `CREATE VIEW IF NOT EXISTS orders_num AS
    SELECT client_order_id, run_id, strategy_id, instrument_id, venue, side, type, time_in_force, expire_at,
      CAST(quantity AS REAL) AS quantity, CAST(price AS REAL) AS price, status, status_before_pending,
      CAST(filled_qty AS REAL) AS filled_qty, CAST(avg_fill_price AS REAL) AS avg_fill_price, venue_order_id, tag,
      post_only, reduce_only, ts_init, ts_last
    FROM orders`,
  equity_num: `CREATE VIEW IF NOT EXISTS equity_num AS
    SELECT run_id, ts, CAST(equity AS REAL) AS equity FROM equity`,
};

/** Creates the views that are not there yet; a read-only database (or one another writer holds) is left as it is. */
export function ensureNumericViews(db: Database): boolean {
  try {
    for (const sql of Object.values(NUMERIC_VIEWS)) db.exec(sql);
    return true;
  } catch {
    return false;
  }
}
