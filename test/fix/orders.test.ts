/**
 * The FIX 4.2 order messages read back at the edge (engine/fix/orders.ts): an ExecutionReport whose fill cannot be
 * applied exactly is refused with the tag it lacks, never read as a fill at price 0; a status answer (ExecTransType 3)
 * carries the order's state as its ExecType and needs no fill of its own; order bodies carry exact decimal text.
 */
import { describe, expect, it } from 'vitest';
import { FixMessage, type FixField } from '../../engine/fix/codec.js';
import { newOrderSingle, parseExecutionReport } from '../../engine/fix/orders.js';

const er = (extra: FixField[], drop: number[] = []): FixMessage => {
  const base: FixField[] = [[35, '8'], [6, '0'], [11, 'A1'], [14, '0.5'], [17, 'T-1'], [20, '0'], [37, 'A1'], [38, '1'], [39, '1'], [54, '1'], [55, 'BTCUSD'], [150, '1'], [151, '0.5']];
  const fields = base.filter(([t]) => !drop.includes(t));
  for (const [t, v] of extra) {
    const at = fields.findIndex(([x]) => x === t);
    if (at >= 0) fields[at] = [t, v];
    else fields.push([t, v]);
  }
  return new FixMessage(fields);
};

describe('FIX order messages', () => {
  it('reads a partial fill with its LastShares and LastPx, or the Price the Apifiny document puts there', () => {
    expect(parseExecutionReport(er([[32, '0.5'], [31, '30000.5']]))).toMatchObject({ execType: 'partial', lastQty: 0.5, lastPrice: 30000.5, cumQty: 0.5, execId: 'T-1' });
    expect(parseExecutionReport(er([[32, '0.5'], [44, '30000.25']]))).toMatchObject({ lastQty: 0.5, lastPrice: 30000.25 });
  });

  it('refuses a fill without LastShares, or without LastPx and Price, naming the tag', () => {
    expect(parseExecutionReport(er([[31, '30000.5']]))).toMatch(/LastShares \(32\)/);
    expect(parseExecutionReport(er([[32, '0.5']]))).toMatch(/LastPx \(31\) or Price \(44\)/);
    expect(parseExecutionReport(er([[32, '0']]))).toMatch(/LastShares \(32\)/);
  });

  it('reads a status answer (ExecTransType 3) of a filled order without a fill of its own', () => {
    const r = parseExecutionReport(er([[20, '3'], [150, '2'], [39, '2'], [14, '1'], [151, '0']]));
    expect(r).toMatchObject({ status: true, execType: 'fill', ordStatus: 'fill', cumQty: 1, lastQty: undefined });
  });

  it('writes quantities and prices as exact decimal text, never in exponent form', () => {
    const body = newOrderSingle({ clOrdId: 'A1', account: 'STA-1', symbol: 'BTCUSD', exchange: 'VENUE1', side: 'buy', quantity: 1e-7, price: 1e21, timeInForce: 'GTC', transactTime: 0 });
    expect(body).toEqual(expect.arrayContaining([[38, '0.0000001'], [44, '1000000000000000000000']]));
  });
});
