import { D, ZERO, type Decimal } from '../model/decimal.js';
import type { PositionView } from '../model/position.js';
import type { StoredFill } from '../persistence/rows.js';
import type { InstrumentStats } from './run-report.js';

interface Acc {
  fills: number;
  buys: number;
  sells: number;
  buyQty: Decimal;
  sellQty: Decimal;
  notional: Decimal;
  fees: Decimal;
  maker: number;
  taker: number;
}

const empty = (): Acc => ({ fills: 0, buys: 0, sells: 0, buyQty: ZERO, sellQty: ZERO, notional: ZERO, fees: ZERO, maker: 0, taker: 0 });

/**
 * Per-instrument trading figures from a run's fills (exact), with realized PnL taken from the run summary's positions.
 * Instruments with a position but no fill in this run are listed too. Sorted by instrument id.
 */
export function instrumentStats(
  fills: readonly StoredFill[],
  positions: readonly PositionView[] | undefined,
  contractSizeOf: (instrumentId: string) => number = () => 1,
): InstrumentStats[] {
  const acc = new Map<string, Acc>();
  for (const f of fills) {
    let a = acc.get(f.instrumentId);
    if (!a) acc.set(f.instrumentId, (a = empty()));
    const qty = D(f.lastQty);
    a.fills++;
    if (f.side === 'buy') {
      a.buys++;
      a.buyQty = a.buyQty.plus(qty);
    } else {
      a.sells++;
      a.sellQty = a.sellQty.plus(qty);
    }
    a.notional = a.notional.plus(qty.times(f.lastPrice).times(contractSizeOf(f.instrumentId)));
    a.fees = a.fees.plus(f.fee);
    if (f.liquidity === 'maker') a.maker++;
    else a.taker++;
  }
  for (const p of positions ?? []) if (!acc.has(p.instrumentId)) acc.set(p.instrumentId, empty());
  return [...acc.entries()]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([instrumentId, a]) => ({
      instrumentId,
      fills: a.fills,
      buys: a.buys,
      sells: a.sells,
      buyQty: a.buyQty.toString(),
      sellQty: a.sellQty.toString(),
      notional: a.notional.toString(),
      fees: a.fees.toString(),
      realizedPnl: positions?.find((p) => p.instrumentId === instrumentId)?.realizedPnl,
      makerFills: a.maker,
      takerFills: a.taker,
      makerShare: a.fills > 0 ? a.maker / a.fills : undefined,
    }));
}
