/** What `engine report` and `engine events` share: a run named by id or "latest", in a database that must exist. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openDatabase, type Database } from '../persistence/index.js';

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
