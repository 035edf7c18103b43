/** Stored positions and their rebuild from the fills agree exactly, also where partial closes force a division. */
import { Decimal as DecimalJs } from 'decimal.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { D } from '../../engine/model/decimal.js';
import { openDatabase } from '../../engine/persistence/database.js';
import { createEventWriter } from '../../engine/persistence/event-writer.js';
import { loadPositions } from '../../engine/persistence/repositories.js';
import { createRun } from '../../engine/persistence/runs.js';
import { rewriteResiduePositions, verifyPositions } from '../../engine/persistence/verify-positions.js';
import { INSTRUMENT, PORTFOLIO, acceptedOrder, fill, tempDir } from './fixtures.js';

const Wide = DecimalJs.clone({ precision: 100 });
let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

/** A profitable trip, a break-even one through an average of 5/3, and a losing one whose partial close divides by 3.9. */
const TRADES: ReadonlyArray<[side: 'buy' | 'sell', qty: number, price: number]> = [
  ['buy', 1, 1000], ['sell', 1, 2000.5],
  ['buy', 1, 1], ['buy', 2, 2], ['sell', 1, 1], ['sell', 2, 2],
  ['buy', 1.1, 7.33], ['buy', 2.8, 3.73], ['sell', 0.3, 7.43], ['sell', 3.6, 1.35],
];

function trade(file: string): void {
  const db = openDatabase(file);
  const runId = createRun(db, { mode: 'paper', portfolioId: PORTFOLIO, startedAt: 0, config: {} });
  const w = createEventWriter(db, { runId, portfolioId: PORTFOLIO, maxBatch: 2, flushIntervalMs: 0, onError: (e) => { throw e; } });
  TRADES.forEach(([side, qty, price], i) => {
    const o = acceptedOrder(side, qty, price);
    w.append(fill(o, { tradeId: `t${i}`, qty, price, fee: 0, ts: i + 1 }), o);
  });
  expect(w.close()).toBe(true);
  db.close();
}

/** Σ sell notional − Σ buy notional, exactly, as the positions table writes it. */
const cashFlow = (): string =>
  D(TRADES.reduce((sum, [side, qty, price]) => (side === 'sell' ? sum.plus(new Wide(qty).times(price)) : sum.minus(new Wide(qty).times(price))), new Wide(0))).toString();

describe('verifyPositions with exact positions', () => {
  it('stores Σ sells − Σ buys as realized PnL after round trips with partial closes, and finds the rebuild equal', () => {
    const file = tmp.path('engine.db');
    trade(file);
    const db = openDatabase(file);
    try {
      expect(loadPositions(db, PORTFOLIO).get(INSTRUMENT)!.realizedPnl.toString()).toBe(cashFlow());
      expect(verifyPositions(db, PORTFOLIO)).toEqual({ ok: true, value: undefined });
    } finally {
      db.close();
    }
  });

  it('says so when a stored value differs from the rebuild only by the residue of 34-digit arithmetic', () => {
    const file = tmp.path('engine.db');
    trade(file);
    const db = openDatabase(file);
    try {
      const stored = new Wide(cashFlow()).plus('1e-31').toString();
      db.prepare(`UPDATE positions SET realized_pnl = ?`).run(stored);
      const result = verifyPositions(db, PORTFOLIO);
      expect(!result.ok && result.error).toEqual([
        `${PORTFOLIO} ${INSTRUMENT}: realized PnL is ${stored} in the positions table but ${cashFlow()} rebuilt from ${TRADES.length} fill(s) ` +
          '(a difference past the 28th significant digit: rounding residue left by an engine version that summed positions to 34 digits; ' +
          'rebuild the positions table from the fills)',
      ]);
      db.prepare(`UPDATE positions SET realized_pnl = '0.01'`).run();
      const real = verifyPositions(db, PORTFOLIO);
      expect(!real.ok && real.error[0]).not.toMatch(/residue/);
    } finally {
      db.close();
    }
  });

  it('rewrites from the fills a position that differs only by that residue (an upgrade), and leaves a real difference alone', () => {
    const file = tmp.path('engine.db');
    trade(file);
    const db = openDatabase(file);
    try {
      db.prepare(`UPDATE positions SET realized_pnl = ?`).run(new Wide(cashFlow()).plus('1e-31').toString());
      expect(rewriteResiduePositions(db, PORTFOLIO)).toEqual([INSTRUMENT]);
      expect(verifyPositions(db, PORTFOLIO)).toEqual({ ok: true, value: undefined });
      db.prepare(`UPDATE positions SET realized_pnl = '0.01'`).run();
      expect(rewriteResiduePositions(db, PORTFOLIO)).toEqual([]);
      expect(verifyPositions(db, PORTFOLIO).ok).toBe(false);
    } finally {
      db.close();
    }
  });
});
