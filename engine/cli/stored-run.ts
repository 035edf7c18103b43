/** What `engine report` and `engine events` share: a run named by id or "latest", in a database that must exist. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openDatabase, type Database } from '../persistence/index.js';
import { getRun, latestRunId, type Run } from '../persistence/runs.js';

/**
 * The run (`latest` or its id) and the database opened, or a one-line error through `err` and undefined (exit 2).
 * openDatabase would create an empty database: a file that is not there is a mistake in the path.
 */
export function openStoredRun(verb: string, runId: string, path: string, err: (s: string) => void): { which: number | 'latest'; db: Database } | undefined {
  const text = runId.trim();
  const which = text === 'latest' ? 'latest' : /^\d+$/.test(text) ? Number(text) : undefined;
  if (which === undefined) {
    err(`engine ${verb}: the run must be a run id (a whole number) or "latest", got ${JSON.stringify(runId)}`);
    return undefined;
  }
  if (path !== ':memory:' && !existsSync(path)) {
    err(`engine ${verb}: no database at ${path} (${resolve(path)}): run a backtest first, or pass --db <path>`);
    return undefined;
  }
  try {
    return { which, db: openDatabase(path) };
  } catch (e) {
    err(`engine ${verb}: ${(e as Error).message}`);
    return undefined;
  }
}

/**
 * The database opened and the run it holds (its id or the latest), or a one-line error through `err` and undefined
 * (exit 2; the database is closed again).
 */
export function openRun(verb: string, runId: string, path: string, err: (s: string) => void): { db: Database; runId: number; run: Run } | undefined {
  const opened = openStoredRun(verb, runId, path, err);
  if (opened === undefined) return undefined;
  const { which, db } = opened;
  const id = which === 'latest' ? latestRunId(db) : which;
  const run = id === undefined ? undefined : getRun(db, id);
  if (id === undefined || run === undefined) {
    err(`engine ${verb}: ${id === undefined ? 'the database holds no run' : `no run ${id} in ${path}`} (engine list runs --db ${path} lists them)`);
    db.close();
    return undefined;
  }
  return { db, runId: id, run };
}
