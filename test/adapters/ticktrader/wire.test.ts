import { describe, expect, it } from 'vitest';
import { parseSymbols } from '../../../adapters/ticktrader/wire.js';

const entry = { Symbol: 'EURUSD', Precision: 5, ContractSize: 100_000, MarginCurrency: 'EUR', ProfitCurrency: 'USD', MinTradeAmount: 1000, MaxTradeAmount: 10_000_000, TradeAmountStep: 1000 };

describe('TickTrader Symbols entries', () => {
  it('reads StatusGroupId under its clean name and under the document example\'s "StatusGroupId " (trailing space)', () => {
    const read = (extra: Record<string, unknown>) => {
      const r = parseSymbols({ Symbols: [{ ...entry, ...extra }] });
      if (!r.ok) throw new Error(r.error);
      return r.value.symbols[0]!.StatusGroupId;
    };
    expect(read({ StatusGroupId: 'Default' })).toBe('Default');
    expect(read({ 'StatusGroupId ': 'Default' })).toBe('Default');
    expect(read({ StatusGroupId: 'Clean', 'StatusGroupId ': 'Typo' })).toBe('Clean');
    expect(read({})).toBeUndefined();
  });
});
