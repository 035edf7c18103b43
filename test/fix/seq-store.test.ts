/**
 * FIX sequence numbers in SQLite (engine/persistence/fix-seq-store.ts): a session that does not reset on logon keeps
 * its numbers across a restart of the process, per session, and a bad number is refused, never stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedClock } from '../../engine/clock/simulated-clock.js';
import { createSqliteSeqStore, fixSessionKey } from '../../engine/persistence/fix-seq-store.js';
import { openDatabase } from '../../engine/persistence/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('FIX sequence numbers in SQLite', () => {
  it('starts at 1, keeps what was saved across a reopen of the database, and keeps sessions apart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-fixseq-'));
    dirs.push(dir);
    const path = join(dir, 'engine.db');
    const clock = createSimulatedClock({ start: 1_000 });
    const key = fixSessionKey('FIX.4.2', 'STA-00000001', 'APIFINY');
    expect(key).toBe('FIX.4.2:STA-00000001->APIFINY');
    let db = openDatabase(path);
    const store = createSqliteSeqStore(db, key, clock);
    expect(store.load()).toEqual({ nextOut: 1, nextIn: 1 });
    store.save(42, 17);
    createSqliteSeqStore(db, fixSessionKey('FIX.4.2', 'STA-00000002', 'APIFINY'), clock).save(5, 6);
    db.close();
    db = openDatabase(path);
    expect(createSqliteSeqStore(db, key, clock).load()).toEqual({ nextOut: 42, nextIn: 17 });
    expect(createSqliteSeqStore(db, fixSessionKey('FIX.4.2', 'STA-00000002', 'APIFINY'), clock).load()).toEqual({ nextOut: 5, nextIn: 6 });
    expect(() => createSqliteSeqStore(db, key, clock).save(0, 3)).toThrow(/are not positive integers/);
    expect(createSqliteSeqStore(db, key, clock).load()).toEqual({ nextOut: 42, nextIn: 17 });
    db.close();
  });
});
