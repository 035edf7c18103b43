import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../engine/persistence/database.js';
import { createRun, finishRun, getRun, latestRunId } from '../../engine/persistence/runs.js';

let db: Database;
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

describe('runs', () => {
  it('has no latest run in an empty database', () => {
    expect(latestRunId(db)).toBeUndefined();
    expect(getRun(db, 1)).toBeUndefined();
  });

  it('creates a running run with its config and numbers runs upwards', () => {
    const config = { mode: 'paper', venues: { sim: { apiKey: '[redacted]' } }, risk: { maxOrderNotional: 1000 } };
    const a = createRun(db, { mode: 'paper', portfolioId: 'main', startedAt: 1_700_000_000_000.5, config });
    const b = createRun(db, { mode: 'backtest', portfolioId: 'bt', startedAt: 5, config: {} });
    expect(b).toBeGreaterThan(a);
    expect(latestRunId(db)).toBe(b);
    expect(getRun(db, a)).toEqual({
      id: a,
      mode: 'paper',
      portfolioId: 'main',
      status: 'running',
      startedAt: 1_700_000_000_000.5,
      finishedAt: undefined,
      config,
      summary: undefined,
    });
  });

  it('records how a run finished, with its summary', () => {
    const id = createRun(db, { mode: 'live', portfolioId: 'main', startedAt: 10, config: {} });
    finishRun(db, id, { status: 'failed', finishedAt: 20, summary: { error: 'venue unreachable', orders: 3 } });
    expect(getRun(db, id)).toMatchObject({ status: 'failed', finishedAt: 20, summary: { error: 'venue unreachable', orders: 3 } });
  });

  it('refuses to finish a run that does not exist', () => {
    expect(() => finishRun(db, 42, { status: 'finished', finishedAt: 1, summary: {} })).toThrow('cannot finish run 42: no such run');
  });
});
