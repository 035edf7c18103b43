/**
 * Schema migrations, tracked with `PRAGMA user_version` (= number of migrations applied).
 * Append only: never edit a migration that has shipped; add the next one instead.
 *
 * Exact numbers (prices, quantities, fees, PnL) are TEXT holding the exact decimal (String(carrier) or Decimal
 * toString()); REAL is used only for timestamps (epoch ms, possibly fractional), which round-trip exactly as doubles.
 */
import type { Database } from 'better-sqlite3';

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
  /**
   * It rebuilds a table other tables reference (SQLite cannot change a CHECK in place): foreign keys are off while it
   * runs (as SQLite's documented procedure asks) and checked before it commits.
   */
  readonly rebuildsReferencedTable?: boolean;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'runs, event log, orders, fills, positions, strategy state',
    sql: `
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        mode TEXT NOT NULL,
        portfolio_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
        started_at REAL NOT NULL,
        finished_at REAL,
        config_json TEXT NOT NULL,
        summary_json TEXT
      );

      CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        kind TEXT NOT NULL,
        client_order_id TEXT NOT NULL,
        strategy_id TEXT NOT NULL,
        instrument_id TEXT NOT NULL,
        ts_event REAL NOT NULL,
        ts_init REAL NOT NULL,
        payload TEXT NOT NULL
      );
      CREATE INDEX events_by_run ON events(run_id, seq);

      CREATE TABLE orders (
        client_order_id TEXT PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        strategy_id TEXT NOT NULL,
        instrument_id TEXT NOT NULL,
        venue TEXT NOT NULL,
        side TEXT NOT NULL,
        type TEXT NOT NULL,
        time_in_force TEXT NOT NULL,
        expire_at REAL,
        quantity TEXT NOT NULL,
        price TEXT,
        status TEXT NOT NULL,
        status_before_pending TEXT,
        filled_qty TEXT NOT NULL,
        avg_fill_price TEXT,
        venue_order_id TEXT,
        tag TEXT,
        post_only INTEGER NOT NULL,
        reduce_only INTEGER NOT NULL,
        ts_init REAL NOT NULL,
        ts_last REAL NOT NULL
      );
      CREATE INDEX orders_by_run ON orders(run_id);
      CREATE INDEX orders_by_status ON orders(status);
      CREATE INDEX orders_by_strategy ON orders(strategy_id);

      CREATE TABLE fills (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        portfolio_id TEXT NOT NULL,
        venue TEXT NOT NULL,
        venue_order_id TEXT NOT NULL,
        trade_id TEXT NOT NULL,
        client_order_id TEXT NOT NULL,
        strategy_id TEXT NOT NULL,
        instrument_id TEXT NOT NULL,
        side TEXT NOT NULL,
        qty TEXT NOT NULL,
        price TEXT NOT NULL,
        fee TEXT NOT NULL,
        fee_currency TEXT NOT NULL,
        liquidity TEXT NOT NULL,
        ts_event REAL NOT NULL,
        UNIQUE (venue, venue_order_id, trade_id)
      );
      CREATE INDEX fills_by_portfolio ON fills(portfolio_id, id);

      CREATE TABLE positions (
        portfolio_id TEXT NOT NULL,
        instrument_id TEXT NOT NULL,
        quantity TEXT NOT NULL,
        cost_basis TEXT NOT NULL,
        realized_pnl TEXT NOT NULL,
        fees TEXT NOT NULL,
        fill_count INTEGER NOT NULL,
        ts_last REAL NOT NULL,
        PRIMARY KEY (portfolio_id, instrument_id)
      );

      CREATE TABLE strategy_state (
        scope TEXT NOT NULL,
        strategy_id TEXT NOT NULL,
        key TEXT NOT NULL,
        value_json TEXT NOT NULL,
        PRIMARY KEY (scope, strategy_id, key)
      );
    `,
  },
  {
    version: 2,
    description: 'equity curve samples per run',
    sql: `
      CREATE TABLE equity (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        ts REAL NOT NULL,
        equity TEXT NOT NULL,
        PRIMARY KEY (run_id, ts)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    description: 'dead letters: items the event writer could never store, kept so that nothing is lost',
    sql: `
      CREATE TABLE dead_letters (
        id INTEGER PRIMARY KEY,
        run_id INTEGER,
        kind TEXT NOT NULL,
        client_order_id TEXT NOT NULL,
        payload TEXT NOT NULL,
        error TEXT NOT NULL
      );
    `,
  },
  {
    version: 4,
    // no new index: every index is one more write per order on the order path; a start finds the portfolio's open
    // orders through orders_by_status (few rows are open) and single orders through the primary key
    description: 'recovery by portfolio: orders carry their portfolio; a durable fill high-water mark per portfolio and venue',
    sql: `
      ALTER TABLE orders ADD COLUMN portfolio_id TEXT NOT NULL DEFAULT '';
      UPDATE orders SET portfolio_id = COALESCE((SELECT portfolio_id FROM runs WHERE runs.id = orders.run_id), '');

      CREATE TABLE venue_sync (
        portfolio_id TEXT NOT NULL,
        venue TEXT NOT NULL,
        fills_complete_until REAL NOT NULL,
        updated_at REAL NOT NULL,
        PRIMARY KEY (portfolio_id, venue)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    // written directly (engine/control/audit-store.ts, one INSERT per action), not by the event writer: control actions
    // are rare and each is audited as it happens
    description: 'control audit: every operator action through the control API (who, what, when, result)',
    sql: `
      CREATE TABLE control_audit (
        id INTEGER PRIMARY KEY,
        run_id INTEGER,
        ts REAL NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        params_json TEXT NOT NULL,
        ok INTEGER NOT NULL,
        message TEXT NOT NULL
      );
    `,
  },
  {
    version: 6,
    // journal-first backtests (engine/persistence/journal-codec.ts, data/FORMAT.md): a backtest's events as compressed
    // binary chunks, one row each, instead of one events row per event; paper and live keep the events table
    description: 'event journal: a backtest run\'s order events in compressed chunks (seq_from: the first event\'s number in the run)',
    sql: `
      CREATE TABLE event_journal (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        seq_from INTEGER NOT NULL,
        events INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (run_id, seq_from)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 7,
    description: 'runs.status may be interrupted (a backtest stopped by Ctrl-C, stored as far as it got)',
    rebuildsReferencedTable: true,
    // the AUTOINCREMENT high-water mark is carried over, so a deleted run's id is never given out again
    sql: `
      CREATE TEMP TABLE runs_seq AS SELECT seq FROM sqlite_sequence WHERE name = 'runs';
      CREATE TABLE runs_new (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        mode TEXT NOT NULL,
        portfolio_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed', 'interrupted')),
        started_at REAL NOT NULL,
        finished_at REAL,
        config_json TEXT NOT NULL,
        summary_json TEXT
      );
      INSERT INTO runs_new (id, mode, portfolio_id, status, started_at, finished_at, config_json, summary_json)
        SELECT id, mode, portfolio_id, status, started_at, finished_at, config_json, summary_json FROM runs;
      DROP TABLE runs;
      ALTER TABLE runs_new RENAME TO runs;
      UPDATE sqlite_sequence SET seq = (SELECT seq FROM runs_seq)
        WHERE name = 'runs' AND (SELECT seq FROM runs_seq) > seq;
      INSERT INTO sqlite_sequence (name, seq)
        SELECT 'runs', seq FROM runs_seq WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'runs');
      DROP TABLE runs_seq;
    `,
  },
  {
    version: 8,
    // emulated orders (engine/execution/emulator.ts): the order is a market or limit order with a trigger the engine
    // watches; NULL for every other order
    description: 'orders carry the trigger of an emulated order: stop or touch, its price (exact text) and what it watches',
    sql: `
      ALTER TABLE orders ADD COLUMN trigger_kind TEXT CHECK (trigger_kind IN ('stop', 'touch'));
      ALTER TABLE orders ADD COLUMN trigger_price TEXT;
      ALTER TABLE orders ADD COLUMN trigger_type TEXT CHECK (trigger_type IN ('last', 'bid_ask', 'mid'));
    `,
  },
  {
    version: 9,
    description: 'orders carry a trailing stop\'s distance (exact text); NULL for every other order',
    sql: `ALTER TABLE orders ADD COLUMN trigger_trailing TEXT;`,
  },
  {
    version: 10,
    // contingent orders (engine/execution/contingent.ts): stored so a restart links them again as they were
    description: 'orders carry their one-triggers-other parent and their one-cancels-other group; NULL for every other order',
    sql: `
      ALTER TABLE orders ADD COLUMN parent_id TEXT;
      ALTER TABLE orders ADD COLUMN oco_group TEXT;
    `,
  },
  {
    version: 11,
    // FIX sessions that keep their sequence numbers across connections (engine/fix/session.ts, fix-seq-store.ts)
    description: 'FIX sessions: the next sequence numbers out and in, by session',
    sql: `
      CREATE TABLE fix_sessions (
        session_key TEXT PRIMARY KEY,
        next_out INTEGER NOT NULL CHECK (next_out >= 1),
        next_in INTEGER NOT NULL CHECK (next_in >= 1),
        updated_at INTEGER NOT NULL
      );
    `,
  },
];

/** The schema version this build of the engine writes. */
export const SCHEMA_VERSION: number = MIGRATIONS.length;

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies every migration newer than the database's user_version, each in its own transaction (the SQL and the
 * version bump commit together). Returns the versions applied. The caller checks for a newer-than-known schema first.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const applied: number[] = [];
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${i + 1} is numbered ${m.version}: migrations must be numbered 1, 2, 3 …`);
  });
  for (const m of migrations) {
    if (m.version <= schemaVersion(db)) continue;
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
    // outside a transaction: the pragma is a no-op inside one
    if (m.rebuildsReferencedTable) db.pragma('foreign_keys = OFF');
    try {
      // the version is read again inside an exclusive transaction: another connection (a sweep worker) opening the
      // same new database waits here and then finds the migration done
      db.transaction(() => {
        if (m.version <= schemaVersion(db)) return;
        db.exec(m.sql);
        if (m.rebuildsReferencedTable) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0) throw new Error(`migration ${m.version} would leave ${broken.length} rows without the row they reference`);
        }
        db.pragma(`user_version = ${m.version}`);
        applied.push(m.version);
      }).exclusive();
    } finally {
      if (m.rebuildsReferencedTable) db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
    }
  }
  return applied;
}
