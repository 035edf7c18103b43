import { describe, expect, it } from 'vitest';
import type { FillReport } from '../../engine/model/reports.js';
import { openDatabase } from '../../engine/persistence/database.js';
import { EXTERNAL_STRATEGY, importFills } from '../../engine/persistence/import-fills.js';
import { loadFills, loadPositions } from '../../engine/persistence/repositories.js';
import { rebuildPositions, verifyPositions } from '../../engine/persistence/verify-positions.js';

const fill = (tradeId: string, side: 'buy' | 'sell', qty: number, price: number, ts: number): FillReport => ({
  venue: 'TT', instrumentId: 'ESH7.TT', venueOrderId: `O-${tradeId}`, tradeId, side, lastQty: qty, lastPrice: price,
  fee: 1.18 * qty, feeCurrency: 'USD', liquidity: 'taker', tsEvent: ts,
});
const size = (): number => 50;

describe('importFills', () => {
  it('stores each fill once under the external strategy and rebuilds the positions it moves, in currency', () => {
    const db = openDatabase(':memory:');
    const fills = [fill('X1', 'buy', 2, 6850.25, 1), fill('X2', 'sell', 1, 6851.5, 2)];
    const first = importFills(db, { portfolioId: 'acct', fills, contractSizeOf: size, now: 10, source: { venue: 'tt' } });
    expect(first).toMatchObject({ applied: 2, alreadyStored: 0 });
    const stored = loadFills(db, 'acct');
    expect(stored.map((f) => [f.tradeId, f.strategyId, f.clientOrderId, f.lastQty, f.lastPrice])).toEqual([
      ['X1', EXTERNAL_STRATEGY, 'TT:O-X1', '2', '6850.25'], ['X2', EXTERNAL_STRATEGY, 'TT:O-X2', '1', '6851.5'],
    ]);
    const pos = loadPositions(db, 'acct').get('ESH7.TT')!;
    expect(pos.quantity.toNumber()).toBe(1);
    expect(pos.realizedPnl.toNumber()).toBe(62.5); // 1.25 points × 50
    expect(verifyPositions(db, 'acct', size).ok).toBe(true);

    const again = importFills(db, { portfolioId: 'acct', fills: [...fills, fill('X3', 'sell', 1, 6852, 3)], contractSizeOf: size, now: 20, source: {} });
    expect(again).toMatchObject({ applied: 1, alreadyStored: 2 });
    expect(loadFills(db, 'acct')).toHaveLength(3);
    expect(loadPositions(db, 'acct').get('ESH7.TT')!.quantity.toNumber()).toBe(0);
    expect(rebuildPositions(db, 'acct', size).byInstrument.get('ESH7.TT')!.realizedPnl.toNumber()).toBe(62.5 + 87.5);

    const none = importFills(db, { portfolioId: 'acct', fills, contractSizeOf: size, now: 30, source: {} });
    expect(none).toEqual({ applied: 0, alreadyStored: 2, runId: undefined });
    expect((db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n).toBe(2); // no empty import run kept
    db.close();
  });
});
