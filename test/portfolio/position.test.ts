import { Decimal as DecimalJs } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { D, type Decimal } from '../../engine/model/decimal.js';
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

  it('reads a float mid as a price (15 significant digits): no float residue in unrealized PnL', () => {
    // (0.1 + 0.2) / 2 = 0.15000000000000002; marked as such, 24 bought at 0.25 showed -2.3999999999999995
    const p = run(fill('buy', 24, 0.25));
    expect(unrealizedPnl(p, (0.1 + 0.2) / 2).toString()).toBe('-2.4');
    expect(String(positionView(p, (0.1 + 0.2) / 2).unrealizedPnl)).toBe('-2.4');
    // a EUR/USD mid: (1.3912 + 1.3913) / 2 = 1.3912499999999999, 1000 bought at 1.39365 showed -2.4000000000001
    expect(String(positionView(run(fill('buy', 1000, 1.39365)), (1.3912 + 1.3913) / 2).unrealizedPnl)).toBe('-2.4');
    // a mark that is a price keeps every digit
    expect(unrealizedPnl(run(fill('buy', 1, 0.25)), 0.123456789012345).toString()).toBe('-0.126543210987655');
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

  it('gives exactly what the plain average-cost formulas give, on random fills (partial closes, flips, contract sizes, fees)', () => {
    // the formulas written plainly: a signed quantity, min/abs, ×sign and ×contract size every time; sums and products
    // in a decimal.js wide enough to be exact here, the share of a partial close a quotient to 34 digits
    const Wide = DecimalJs.clone({ precision: 1_000 });
    type Ref = { quantity: Decimal; costBasis: Decimal; realizedPnl: Decimal; fees: Decimal; fillCount: number; tsLast: number };
    const reference = (pos: Ref, f: FillLike, contractSize: number): Ref => {
      const price = new Wide(f.lastPrice);
      const signed = f.side === 'buy' ? new Wide(f.lastQty) : new Wide(f.lastQty).neg();
      const q = new Wide(pos.quantity);
      let quantity: Decimal;
      let costBasis: Decimal = new Wide(pos.costBasis);
      let realized: Decimal = new Wide(pos.realizedPnl);
      if (q.isZero() || q.isNeg() === signed.isNeg()) {
        quantity = q.plus(signed);
        costBasis = costBasis.plus(signed.times(price));
      } else {
        const closeAbs = signed.abs().lte(q.abs()) ? signed.abs() : q.abs();
        const costRemoved = closeAbs.eq(q.abs()) ? costBasis : new Wide(D(costBasis.times(closeAbs)).div(q.abs()));
        realized = realized.plus(closeAbs.times(price).times(q.s).minus(costRemoved).times(contractSize));
        quantity = q.plus(signed);
        costBasis = costBasis.minus(costRemoved);
        if (!quantity.isZero() && quantity.isNeg() !== q.isNeg()) costBasis = quantity.times(price);
      }
      const fees = new Wide(pos.fees).plus(f.fee);
      return { quantity, costBasis, realizedPnl: realized, fees, fillCount: pos.fillCount + 1, tsLast: f.tsEvent };
    };
    let seed = 11;
    const rnd = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (const contractSize of [1, 0.001, 100]) {
      let mine = emptyPosition('X');
      let theirs: Ref = { quantity: D(0), costBasis: D(0), realizedPnl: D(0), fees: D(0), fillCount: 0, tsLast: 0 };
      for (let i = 0; i < 3_000; i++) {
        const qty = rnd() < 0.2 ? Math.abs(mine.quantity.toNumber()) || 1 : Number((rnd() * 5).toFixed(3)) || 0.001;
        const f = fill(rnd() < 0.5 ? 'buy' : 'sell', qty, Number((90 + rnd() * 20).toFixed(2)), rnd() < 0.3 ? 0 : Number((rnd() / 10).toFixed(4)), i);
        mine = applyFill(mine, f, contractSize);
        theirs = reference(theirs, f, contractSize);
        expect(serializePosition(mine)).toEqual({
          instrumentId: 'X', quantity: theirs.quantity.toString(), costBasis: theirs.costBasis.toString(), realizedPnl: theirs.realizedPnl.toString(),
          fees: theirs.fees.toString(), fillCount: theirs.fillCount, tsLast: theirs.tsLast,
        });
      }
    }
  });
});
