import { describe, expect, it } from 'vitest';
import { applyFill, avgPrice, emptyPosition, positionView, positionsFromFills, serializePosition, unrealizedPnl, type FillLike } from '../../engine/portfolio/position.js';

const fill = (side: 'buy' | 'sell', lastQty: number, lastPrice: number, fee = 0, tsEvent = 1): FillLike => ({ side, lastQty, lastPrice, fee, tsEvent });
const run = (...fills: FillLike[]) => fills.reduce((p, f) => applyFill(p, f), emptyPosition('BTCUSD.SIM'));

describe('positions from fills', () => {
  it('adds to a long at an exact average cost', () => {
    const p = run(fill('buy', 0.1, 100.1), fill('buy', 0.2, 100.2));
    expect(p.quantity.toString()).toBe('0.3');
    expect(p.costBasis.toString()).toBe('30.05');
    expect(avgPrice(p)!.toFixed(6)).toBe('100.166667');
  });

  it('realizes an exact PnL over a round trip even when the average price is not exact', () => {
    const p = run(fill('buy', 0.1, 100.1), fill('buy', 0.2, 100.2), fill('sell', 0.1, 100.3), fill('sell', 0.2, 100.3));
    expect(p.quantity.isZero()).toBe(true);
    expect(p.costBasis.isZero()).toBe(true);
    expect(p.realizedPnl.toString()).toBe('0.04');
  });

  it('leaves no float residue through long → flip → short → flat', () => {
    const p1 = run(fill('buy', 0.1, 10.1), fill('sell', 0.3, 10.3));
    expect(p1.quantity.toString()).toBe('-0.2');
    expect(p1.realizedPnl.toString()).toBe('0.02');
    expect(p1.costBasis.toString()).toBe('-2.06');
    const p2 = applyFill(p1, fill('buy', 0.2, 10.2));
    expect(p2.quantity.toString()).toBe('0');
    expect(p2.realizedPnl.toString()).toBe('0.04');
    expect(positionView(p2, 11).side).toBe('flat');
  });

  it('realizes a short profit when buying back lower', () => {
    const p = run(fill('sell', 2, 100), fill('buy', 1, 90));
    expect(p.realizedPnl.toString()).toBe('10');
    expect(p.quantity.toString()).toBe('-1');
    expect(unrealizedPnl(p, 80).toString()).toBe('20');
  });

  it('keeps fees apart from gross realized PnL and scales by contract size', () => {
    const p = [fill('buy', 1, 100, 0.1), fill('sell', 1, 101, 0.1)].reduce((acc, f) => applyFill(acc, f, 10), emptyPosition('ES.SIM'));
    expect(p.realizedPnl.toString()).toBe('10');
    expect(p.fees.toString()).toBe('0.2');
  });

  it('marks unrealized PnL at the last price and exposes numbers in the view', () => {
    const v = positionView(run(fill('buy', 0.5, 100)), 102);
    expect(v).toMatchObject({ side: 'long', quantity: 0.5, avgPrice: 100, unrealizedPnl: 1, realizedPnl: 0 });
  });

  it('rebuilds the same positions from a fill history', () => {
    const fills = [fill('buy', 1, 100), fill('sell', 0.4, 101)].map((f) => ({ ...f, instrumentId: 'BTCUSD.SIM' }));
    const rebuilt = positionsFromFills(fills).get('BTCUSD.SIM')!;
    expect(serializePosition(rebuilt)).toEqual(serializePosition(run(fill('buy', 1, 100), fill('sell', 0.4, 101))));
  });
});
