import { add, Amount, sub } from '../model/amount.js';
import type { Decimal } from '../model/decimal.js';
import type { InstrumentId } from '../model/ids.js';
import type { Portfolio } from './portfolio.js';
import { unrealizedPnl } from './position.js';

/** Exact equity: capital + Σ (realized − fees + unrealized at the last mark), summed over instruments. */
export function equityOf(portfolio: Portfolio, contractSizeOf: (id: InstrumentId) => number, capital: Decimal | number = 0): Decimal {
  let total = Amount.from(capital);
  for (const p of portfolio.all()) {
    total = add(sub(add(total, p.realizedPnl), p.fees), unrealizedPnl(p, portfolio.markOf(p.instrumentId), contractSizeOf(p.instrumentId)));
  }
  return total.toDecimal();
}
