/**
 * Realized PnL is exact: over a position that ends flat it is Σ sell notional − Σ buy notional (times the contract
 * size) to the last digit, so a break-even round trip is 0, not 1e-30. decimal.js, wide enough to be exact, is the
 * oracle.
 */
import { Decimal as DecimalJs } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { D } from '../../engine/model/decimal.js';
import { Amount } from '../../engine/model/amount.js';
import type { Position } from '../../engine/model/position.js';
import { equityOf } from '../../engine/portfolio/equity.js';
import { createPortfolio } from '../../engine/portfolio/portfolio.js';
import { applyFill, emptyPosition, positionsFromFills, serializePosition, unrealizedPnl, type FillLike } from '../../engine/portfolio/position.js';
import { createPrng } from '../venues/prng.js';

const Wide = DecimalJs.clone({ precision: 1_000 });
const rng = createPrng(73);
const int = (n: number): number => Math.floor(rng() * n);

const fill = (side: 'buy' | 'sell', lastQty: number | string, lastPrice: number | string, tsEvent = 1): FillLike => ({ side, lastQty, lastPrice, fee: 0, tsEvent });
const run = (fills: readonly FillLike[], contractSize = 1, from: Position = emptyPosition('X')): Position =>
  fills.reduce((p, f) => applyFill(p, f, contractSize), from);

/** A quantity of 1 to 9 decimals, as a number. */
const quantity = (): number => Number((0.001 + rng() * 5).toFixed(1 + int(9)));
/** A price that forces division: a double of a third, a seventh, ... (17 significant digits) or a short decimal. */
const price = (): number => (rng() < 0.7 ? ((1 + int(50)) * (1 + rng())) / (3 + int(5) * 2) : Number((1 + rng() * 100).toFixed(int(6))));

/** Σ sell notional − Σ buy notional, exactly. */
function cashFlow(fills: readonly FillLike[]): InstanceType<typeof Wide> {
  return fills.reduce((sum, f) => {
    const notional = new Wide(f.lastQty).times(f.lastPrice);
    return f.side === 'sell' ? sum.plus(notional) : sum.minus(notional);
  }, new Wide(0));
}

/** Random fills of both sides that end flat (the last one closes what is left), through flips. */
function closedTrip(n: number): FillLike[] {
  const fills: FillLike[] = [];
  let open = new Wide(0);
  for (let i = 0; i < n; i++) {
    const side = rng() < 0.5 ? 'buy' : 'sell';
    const qty = quantity();
    fills.push(fill(side, qty, price(), i));
    open = side === 'buy' ? open.plus(qty) : open.minus(qty);
  }
  if (!open.isZero()) fills.push(fill(open.isNeg() ? 'buy' : 'sell', open.abs().toString(), price(), n));
  return fills;
}

/** Buys, then the same (quantity, price) pairs sold back in another order, some split in two: break-even by construction. */
function breakEvenTrip(n: number): FillLike[] {
  const buys = Array.from({ length: n }, (_, i) => fill('buy', quantity(), price(), i));
  const sells = buys.flatMap((b) => {
    if (rng() < 0.5) return [fill('sell', b.lastQty, b.lastPrice)];
    const part = new Wide(b.lastQty).times(rng().toFixed(2)).toDecimalPlaces(9, DecimalJs.ROUND_DOWN);
    if (part.isZero()) return [fill('sell', b.lastQty, b.lastPrice)];
    return [fill('sell', part.toString(), b.lastPrice), fill('sell', new Wide(b.lastQty).minus(part).toString(), b.lastPrice)];
  });
  for (let i = sells.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [sells[i], sells[j]] = [sells[j]!, sells[i]!];
  }
  return [...buys, ...sells];
}

describe('exact position PnL', () => {
  it('realizes exactly 0 when buying 3 at 1.1 and selling 1 then 2 at 1.1', () => {
    const p = run([fill('buy', 3, 1.1), fill('sell', 1, 1.1), fill('sell', 2, 1.1)]);
    expect(p.realizedPnl.toString()).toBe('0');
    expect(p.costBasis.toString()).toBe('0');
  });

  it('realizes exactly 0 on a partial close at the average price, however many digits the price has', () => {
    for (let i = 0; i < 300; i++) {
      const p = price();
      const [a, b] = [quantity(), quantity()];
      const held = new Wide(a).plus(b);
      const part = held.times(rng().toFixed(3)).toDecimalPlaces(9, DecimalJs.ROUND_DOWN);
      if (part.isZero() || part.gte(held)) continue;
      const after = run([fill('buy', a, p), fill('buy', b, p), fill('sell', part.toString(), p)]);
      expect(after.realizedPnl.toString(), `${a} + ${b} bought at ${p}, ${part} sold at ${p}`).toBe('0');
    }
  });

  it('realizes exactly 0 over break-even round trips whose partial closes force a division', () => {
    for (let i = 0; i < 200; i++) {
      const trip = breakEvenTrip(2 + int(6));
      expect(cashFlow(trip).isZero()).toBe(true);
      const p = run(trip);
      expect(p.quantity.isZero()).toBe(true);
      expect(p.realizedPnl.toString(), JSON.stringify(trip)).toBe('0');
    }
  });

  it('sums realized PnL over closed positions to Σ sell notional − Σ buy notional exactly, through flips and contract sizes', () => {
    for (const contractSize of [1, 0.001, 100, 0.1]) {
      let p = emptyPosition('X');
      let all: FillLike[] = [];
      for (let trip = 0; trip < 40; trip++) {
        const fills = closedTrip(2 + int(12));
        p = run(fills, contractSize, p);
        all = [...all, ...fills];
        expect(p.quantity.isZero()).toBe(true);
        expect(p.costBasis.isZero()).toBe(true);
        const want = cashFlow(all).times(contractSize);
        expect(p.realizedPnl.toString(), `after ${trip + 1} round trips at contract size ${contractSize}`).toBe(D(want).toString());
      }
    }
  });

  it('continues identically from a position restored from its stored text, as verify-positions rebuilds it', () => {
    for (let i = 0; i < 50; i++) {
      const fills = closedTrip(4 + int(10)).map((f) => ({ ...f, instrumentId: 'X' }));
      const cut = 1 + int(fills.length - 1);
      const stored = serializePosition(run(fills.slice(0, cut)));
      const restored: Position = {
        ...emptyPosition('X'),
        quantity: Amount.parse(stored.quantity), costBasis: Amount.parse(stored.costBasis), realizedPnl: Amount.parse(stored.realizedPnl), fees: Amount.parse(stored.fees),
        fillCount: stored.fillCount, tsLast: stored.tsLast,
      };
      const continued = serializePosition(run(fills.slice(cut), 1, restored));
      expect(continued).toEqual(serializePosition(positionsFromFills(fills).get('X')!));
    }
  });

  it('marks unrealized PnL and equity exactly: quantity × mark − cost basis, however many digits (the mark read to 15 significant digits)', () => {
    for (let i = 0; i < 300; i++) {
      const fills = [fill('buy', quantity() * 10 ** int(6), price()), fill('buy', quantity(), price())];
      const mark = price() * 10 ** int(4);
      // a float product like the mark of a mid: its 16th-17th digits are residue, not price (position.ts markAmount)
      const m15 = new Wide(mark).toSignificantDigits(15, DecimalJs.ROUND_HALF_EVEN);
      const contractSize = [1, 0.001, 25][int(3)]!;
      const p = run(fills, contractSize);
      const want = new Wide(p.quantity.toString()).times(m15).minus(cashFlow(fills).neg()).times(contractSize);
      expect(unrealizedPnl(p, mark, contractSize).toString(), `${JSON.stringify(fills)} at ${mark}`).toBe(D(want).toString());

      const portfolio = createPortfolio({ contractSizeOf: () => contractSize, markOf: () => mark });
      for (const f of [...fills, fill('sell', fills[1]!.lastQty, price())]) portfolio.applyFill('X', f);
      const held = portfolio.position('X');
      const equity = new Wide(1_000_000.01).plus(held.realizedPnl.toString()).minus(held.fees.toString()).plus(new Wide(held.quantity.toString()).times(m15).minus(held.costBasis.toString()).times(contractSize));
      expect(equityOf(portfolio, () => contractSize, 1_000_000.01).toString()).toBe(D(equity).toString());
    }
  });
});
