import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../engine/persistence/database.js';
import { createEventWriter } from '../../engine/persistence/event-writer.js';
import { loadPositions } from '../../engine/persistence/repositories.js';
import { createRun } from '../../engine/persistence/runs.js';
import { verifyPositions } from '../../engine/persistence/verify-positions.js';
import { INSTRUMENT, PORTFOLIO, acceptedOrder, fill, tempDir } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

/** long 0.1 @ 10.1 → sell 0.3 @ 10.3 (flip to short 0.2) → sell 0.1 @ 10.4 (short 0.3), with fees. */
function tradeLongFlipShort(file: string, contractSizeOf?: (id: string) => number): void {
  const db = openDatabase(file);
  const runId = createRun(db, { mode: 'paper', portfolioId: PORTFOLIO, startedAt: 0, config: {} });
  const w = createEventWriter(db, {
    runId, portfolioId: PORTFOLIO, maxBatch: 2, flushIntervalMs: 0, contractSizeOf, onError: (e) => { throw e; },
  });
  const buy = acceptedOrder('buy', 0.1, 10.1);
  w.append(fill(buy, { tradeId: 'b1', qty: 0.1, price: 10.1, fee: 0.001, ts: 1 }), buy);
  const sell = acceptedOrder('sell', 0.4, 10.3);
  w.append(fill(sell, { tradeId: 's1', qty: 0.3, price: 10.3, fee: 0.003, ts: 2 }), sell);
  w.append(fill(sell, { tradeId: 's1', qty: 0.3, price: 10.3, fee: 0.003, ts: 2 }), sell); // duplicate
  w.append(fill(sell, { tradeId: 's2', qty: 0.1, price: 10.4, fee: 0.001, ts: 3 }), sell);
  expect(w.close()).toBe(true);
  db.close();
}

const withDb = <T>(file: string, f: (db: Database) => T): T => {
  const db = openDatabase(file);
  try {
    return f(db);
  } finally {
    db.close();
  }
};

describe('verifyPositions', () => {
  it('finds the stored positions equal to a rebuild from the fills after reopening the file (long → flip → short)', () => {
    const file = tmp.path('engine.db');
    tradeLongFlipShort(file);
    withDb(file, (db) => {
      const pos = loadPositions(db, PORTFOLIO).get(INSTRUMENT)!;
      expect(pos.quantity.toString()).toBe('-0.3');
      expect(pos.costBasis.toString()).toBe('-3.1');
      expect(pos.realizedPnl.toString()).toBe('0.02');
      expect(pos.fees.toString()).toBe('0.005');
      expect(pos.fillCount).toBe(3);
      expect(pos.tsLast).toBe(3);
      expect(verifyPositions(db, PORTFOLIO)).toEqual({ ok: true, value: undefined });
    });
  });

  it('uses the contract size it is given for the rebuild', () => {
    const file = tmp.path('engine.db');
    tradeLongFlipShort(file, () => 10);
    withDb(file, (db) => {
      expect(loadPositions(db, PORTFOLIO).get(INSTRUMENT)!.realizedPnl.toString()).toBe('0.2');
      expect(verifyPositions(db, PORTFOLIO, () => 10).ok).toBe(true);
      expect(verifyPositions(db, PORTFOLIO)).toEqual({
        ok: false,
        error: [`${PORTFOLIO} ${INSTRUMENT}: realized PnL is 0.2 in the positions table but 0.02 rebuilt from 3 fill(s)`],
      });
    });
  });

  it('reports every field of a corrupted positions row in words', () => {
    const file = tmp.path('engine.db');
    tradeLongFlipShort(file);
    withDb(file, (db) => {
      db.prepare(`UPDATE positions SET quantity = '-0.2', fill_count = 2 WHERE instrument_id = ?`).run(INSTRUMENT);
      expect(verifyPositions(db, PORTFOLIO)).toEqual({
        ok: false,
        error: [
          `${PORTFOLIO} ${INSTRUMENT}: quantity is -0.2 in the positions table but -0.3 rebuilt from 3 fill(s)`,
          `${PORTFOLIO} ${INSTRUMENT}: fill count is 2 in the positions table but 3 rebuilt from 3 fill(s)`,
        ],
      });
    });
  });

  it('reports a value that is not a number instead of throwing', () => {
    const file = tmp.path('engine.db');
    tradeLongFlipShort(file);
    withDb(file, (db) => {
      db.prepare(`UPDATE positions SET cost_basis = 'garbage'`).run();
      const result = verifyPositions(db, PORTFOLIO);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error).toEqual([
        `${PORTFOLIO} ${INSTRUMENT}: positions row (${PORTFOLIO}, ${INSTRUMENT}): cost_basis "garbage" is not a decimal number`,
      ]);
    });
  });

  it('reports a position without fills and fills without a position', () => {
    const file = tmp.path('engine.db');
    tradeLongFlipShort(file);
    withDb(file, (db) => {
      db.prepare(`UPDATE positions SET instrument_id = 'ETHUSD.SIM'`).run();
      const result = verifyPositions(db, PORTFOLIO);
      expect(!result.ok && result.error).toEqual([
        `${PORTFOLIO} ${INSTRUMENT}: no stored position, but 3 fill(s) in the fills table`,
        `${PORTFOLIO} ETHUSD.SIM: stored position (quantity -0.3) has no fills in the fills table`,
      ]);
    });
  });

  it('passes for a portfolio with neither fills nor positions', () => {
    const db = openDatabase(':memory:');
    expect(verifyPositions(db, 'empty').ok).toBe(true);
    db.close();
  });
});
