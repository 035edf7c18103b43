/**
 * Opens the engine database: WAL, then synchronous=FULL set explicitly after WAL (DESIGN.md "Reliability rules"),
 * foreign keys on, a busy timeout, migrations applied, and the durability settings checked after a real write.
 */
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { migrate, schemaVersion, SCHEMA_VERSION } from './migrations.js';

export type { Database } from 'better-sqlite3';

export interface OpenDatabaseOptions {
  /** How long a statement waits for another connection's lock before failing (default 5000 ms). */
  readonly busyTimeoutMs?: number;
}

/**
 * The database cannot be used as the engine database: not SQLite, corrupt, not openable, written by a newer engine,
 * or without durable writes. The message names the file and what to do (the CLI prints it as one line, exit code 2).
 */
export class DatabaseOpenError extends Error {
  override readonly name = 'DatabaseOpenError';
}

/** `PRAGMA synchronous` value for FULL. */
const SYNCHRONOUS_FULL = 2;

const isInMemory = (path: string): boolean => path === ':memory:' || path === '';

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const codeOf = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;

/** Turns a low-level SQLite failure during open into an error that names the file and what to do. */
function openError(path: string, e: unknown): Error {
  const code = codeOf(e);
  if (code === 'SQLITE_NOTADB') {
    return new DatabaseOpenError(
      `${path} is not a SQLite database (${messageOf(e)}). Point storage at a new file, or move this file away if it is not the engine database.`,
      { cause: e },
    );
  }
  if (code === 'SQLITE_CORRUPT') {
    return new DatabaseOpenError(
      `the SQLite database ${path} is corrupt (${messageOf(e)}). Restore it from a backup, or move it away to start a new database.`,
      { cause: e },
    );
  }
  // not diagnosed (a failed migration, a lock held past the busy timeout): a plain error, with its stack
  return new Error(`cannot open the engine database ${path}: ${messageOf(e)}`, { cause: e });
}

/**
 * Opens, configures and migrates the database. Several processes may open the same new file at once (sweep workers):
 * SQLite answers SQLITE_BUSY without waiting when two connections switch a new file to WAL or upgrade a read lock
 * together, so a busy open is retried, briefly, until busyTimeoutMs.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Database {
  const deadline = performance.now() + Math.max(0, options.busyTimeoutMs ?? 5000);
  for (let attempt = 1; ; attempt++) {
    try {
      return openOnce(path, options);
    } catch (e) {
      const busy = codeOf(e) === 'SQLITE_BUSY' || codeOf((e as { cause?: unknown }).cause) === 'SQLITE_BUSY';
      if (!busy || performance.now() >= deadline) throw e;
      sleepMs(Math.min(50, 5 * attempt));
    }
  }
}

/** A synchronous pause (opening is synchronous, like the rest of better-sqlite3). */
function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function openOnce(path: string, options: OpenDatabaseOptions): Database {
  let db: Database;
  try {
    db = new BetterSqlite3(path);
  } catch (e) {
    throw new DatabaseOpenError(`cannot open the engine database ${path}: ${messageOf(e)}. Check that its folder exists and is writable.`, {
      cause: e,
    });
  }
  try {
    configure(db, path, options);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

function configure(db: Database, path: string, options: OpenDatabaseOptions): void {
  let version: number;
  try {
    // the first read of the file: a non-SQLite file fails here, before anything is written to it
    version = schemaVersion(db);
  } catch (e) {
    throw openError(path, e);
  }
  if (version > SCHEMA_VERSION) {
    throw new DatabaseOpenError(
      `${path} has schema version ${version}, newer than this engine knows (${SCHEMA_VERSION}): it was written by a newer engine. ` +
        'Upgrade the engine, or point storage at another file.',
    );
  }
  try {
    db.pragma('journal_mode = WAL');
    // WAL defaults to synchronous=NORMAL in many builds; FULL is set explicitly, after WAL, so it sticks
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    migrate(db);
    // the first write of this connection (rewrites the header with the same version), so the check below is made
    // after a real write went through the journal
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  } catch (e) {
    throw openError(path, e);
  }
  verifyDurability(db, path);
}

/** Throws unless synchronous reads back FULL and (for a file) the journal is WAL. */
export function verifyDurability(db: Database, path: string): void {
  const synchronous = db.pragma('synchronous', { simple: true });
  if (synchronous !== SYNCHRONOUS_FULL) {
    throw new DatabaseOpenError(
      `the engine database ${path} reports PRAGMA synchronous = ${String(synchronous)} after a write, expected ${SYNCHRONOUS_FULL} (FULL): ` +
        'committed events could be lost on power failure. Check for a connection or build that overrides synchronous.',
    );
  }
  if (isInMemory(path)) return;
  const journal = String(db.pragma('journal_mode', { simple: true })).toLowerCase();
  if (journal !== 'wal') {
    throw new DatabaseOpenError(
      `the engine database ${path} is in journal_mode ${journal}, expected wal: the file system may not support WAL ` +
        '(e.g. a network share). Put the database on a local disk.',
    );
  }
}
