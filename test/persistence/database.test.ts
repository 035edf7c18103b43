import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase, verifyDurability } from '../../engine/persistence/database.js';
import { MIGRATIONS, SCHEMA_VERSION, migrate, schemaVersion, type Migration } from '../../engine/persistence/migrations.js';
import { tempDir } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

const tables = (db: ReturnType<typeof openDatabase>): string[] =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map(
    (r) => r.name,
  );

describe('openDatabase', () => {
  it('puts a file database in WAL mode with synchronous FULL, foreign keys on and a busy timeout', () => {
    const db = openDatabase(tmp.path('engine.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.close();
  });

  it('keeps synchronous FULL after a write', () => {
    const db = openDatabase(tmp.path('engine.db'));
    db.prepare(`INSERT INTO strategy_state (scope, strategy_id, key, value_json) VALUES ('s', 'x', 'k', '1')`).run();
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });

  it('refuses a connection whose synchronous or journal mode was weakened, naming the file', () => {
    const file = tmp.path('engine.db');
    const db = openDatabase(file);
    db.pragma('synchronous = NORMAL');
    expect(() => verifyDurability(db, file)).toThrow(`the engine database ${file} reports PRAGMA synchronous = 1 after a write, expected 2 (FULL)`);
    db.pragma('synchronous = FULL');
    db.pragma('journal_mode = DELETE');
    expect(() => verifyDurability(db, file)).toThrow(`the engine database ${file} is in journal_mode delete, expected wal`);
    db.close();
  });

  it('opens an in-memory database with the full schema', () => {
    const db = openDatabase(':memory:');
    expect(tables(db)).toEqual(['control_audit', 'dead_letters', 'equity', 'event_journal', 'events', 'fills', 'fix_sessions', 'orders', 'positions', 'runs', 'strategy_state', 'venue_sync']);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('applies the migrations once: reopening keeps the schema, the data and user_version', () => {
    const file = tmp.path('engine.db');
    const db1 = openDatabase(file);
    db1.prepare(`INSERT INTO strategy_state (scope, strategy_id, key, value_json) VALUES ('s', 'x', 'k', '1')`).run();
    db1.close();
    const db2 = openDatabase(file);
    expect(schemaVersion(db2)).toBe(SCHEMA_VERSION);
    expect(db2.prepare(`SELECT COUNT(*) AS n FROM strategy_state`).get()).toEqual({ n: 1 });
    expect(migrate(db2)).toEqual([]);
    db2.close();
  });

  it('advances user_version through each newer migration, and only those', () => {
    const db = openDatabase(tmp.path('engine.db'));
    const next: Migration = { version: SCHEMA_VERSION + 1, description: 'extra', sql: 'CREATE TABLE extra (x INTEGER)' };
    expect(migrate(db, [...MIGRATIONS, next])).toEqual([SCHEMA_VERSION + 1]);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION + 1);
    expect(migrate(db, [...MIGRATIONS, next])).toEqual([]);
    db.close();
  });

  it('lets a run be interrupted from migration 7 on, keeping every run, what references it and its id sequence', () => {
    // a database as the engine left it at migration 6: runs (one deleted: its id must not come back) and their events
    const raw = new BetterSqlite3(tmp.path('v6.db'));
    raw.pragma('foreign_keys = ON');
    migrate(raw, MIGRATIONS.slice(0, 6));
    const insert = raw.prepare(`INSERT INTO runs (mode, portfolio_id, status, started_at, config_json) VALUES ('backtest', 'p', ?, 0, '{}')`);
    insert.run('finished');
    insert.run('failed');
    insert.run('running');
    raw.prepare('DELETE FROM runs WHERE id = 3').run();
    raw.prepare(`INSERT INTO events (run_id, kind, client_order_id, strategy_id, instrument_id, ts_event, ts_init, payload) VALUES (2, 'OrderSubmitted', 'a-2-1', 'a', 'X', 1, 1, '{}')`).run();
    expect(() => raw.prepare(`UPDATE runs SET status = 'interrupted' WHERE id = 2`).run()).toThrow(/CHECK/);
    raw.close();

    const db = openDatabase(tmp.path('v6.db'));
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT id, status FROM runs ORDER BY id').all()).toEqual([{ id: 1, status: 'finished' }, { id: 2, status: 'failed' }]);
    db.prepare(`UPDATE runs SET status = 'interrupted' WHERE id = 2`).run();
    // the next run is 4, not 3; foreign keys are on again and still hold
    expect(db.prepare(`INSERT INTO runs (mode, portfolio_id, status, started_at, config_json) VALUES ('backtest', 'p', 'running', 0, '{}')`).run().lastInsertRowid).toBe(4);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() => db.prepare(`INSERT INTO events (run_id, kind, client_order_id, strategy_id, instrument_id, ts_event, ts_init, payload) VALUES (9, 'OrderSubmitted', 'a-9-1', 'a', 'X', 1, 1, '{}')`).run()).toThrow(/FOREIGN KEY/);
    expect(db.prepare('SELECT run_id FROM events').all()).toEqual([{ run_id: 2 }]);
    db.close();
  });

  it('rolls back a failing migration and leaves user_version where it was', () => {
    const db = openDatabase(':memory:');
    const broken: Migration = { version: SCHEMA_VERSION + 1, description: 'broken', sql: 'CREATE TABLE half (x); CREATE TABLE runs (x)' };
    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow(/already exists/);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(tables(db)).not.toContain('half');
    db.close();
  });

  it('refuses a file that is not a SQLite database, naming the file and leaving it untouched', () => {
    const file = tmp.path('notes.db');
    writeFileSync(file, 'these are my trading notes, not a database\n'.repeat(20));
    expect(() => openDatabase(file)).toThrow(`${file} is not a SQLite database`);
    expect(() => openDatabase(file)).toThrow(/Point storage at a new file/);
    expect(readFileSync(file, 'utf8')).toMatch(/^these are my trading notes/);
  });

  it('refuses a database written by a newer engine, saying what to do', () => {
    const file = tmp.path('engine.db');
    const db = openDatabase(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 3}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(
      `${file} has schema version ${SCHEMA_VERSION + 3}, newer than this engine knows (${SCHEMA_VERSION})`,
    );
    expect(() => openDatabase(file)).toThrow(/Upgrade the engine/);
  });

  it('names the path when its folder does not exist', () => {
    const file = tmp.path('missing/engine.db');
    expect(() => openDatabase(file)).toThrow(`cannot open the engine database ${file}`);
  });
});
