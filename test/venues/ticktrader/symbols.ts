/** Reference data of the simulated TickTrader server: currency types, currencies and symbols in the documented shapes. */

export interface TickTraderCurrencyTypeWire {
  readonly Name: string;
  readonly Description: string;
}

export interface TickTraderCurrencyWire {
  readonly Name: string;
  readonly Precision: number;
  readonly Description: string;
  /** Not in the documented answer; used by the `Type` filter and left out of the wire answer. */
  readonly Type: string;
}

/** One entry of the documented Symbols answer (every documented field). */
export interface TickTraderSymbolWire {
  readonly Symbol: string;
  readonly Precision: number;
  readonly IsTradeAllowed: boolean;
  readonly MarginMode: string;
  readonly ProfitMode: string;
  readonly ContractSize: number;
  readonly MarginHedged: number;
  readonly MarginFactor: number;
  readonly MarginCurrency: string;
  readonly MarginCurrencyPrecision: number;
  readonly ProfitCurrency: string;
  readonly ProfitCurrencyPrecision: number;
  readonly Description: string;
  readonly SwapEnabled: boolean;
  readonly SwapSizeShort: number;
  readonly SwapSizeLong: number;
  readonly MinTradeAmount: number;
  readonly MaxTradeAmount: number;
  readonly TradeAmountStep: number;
  readonly CommissionType: string;
  readonly CommissionChargeType: string;
  readonly CommissionChargeMethod: string;
  readonly Commission: number;
  readonly LimitsCommission: number;
  readonly MinCommission: number;
  readonly MinCommissionCurrency: number;
  readonly DefaultSlippage: number;
  /** The document's example spells it `"StatusGroupId "` (a trailing space, a typo): the simulator sends the clean name. */
  readonly StatusGroupId: string;
  readonly SecurityName: string;
  readonly SecurityDescription: string;
  readonly StopOrderMarginReduction: number;
  readonly HiddenLimitOrderMarginReduction: number;
}

/** A simulated symbol: its wire description and where its market starts. */
export interface TickTraderSymbolSpec {
  readonly wire: TickTraderSymbolWire;
  readonly startMid: number;
  /** Spread in ticks (10^-Precision). */
  readonly spreadTicks: number;
}

export const CURRENCY_TYPES: readonly TickTraderCurrencyTypeWire[] = [
  { Name: 'Default', Description: 'Default currency type' },
  { Name: 'Share', Description: 'Share' },
  { Name: 'Crypto', Description: 'Crypto currency' },
];

export const CURRENCIES: readonly TickTraderCurrencyWire[] = [
  { Name: 'USD', Precision: 2, Description: 'United States Dollar', Type: 'Default' },
  { Name: 'EUR', Precision: 2, Description: 'Euro', Type: 'Default' },
  { Name: 'GBP', Precision: 2, Description: 'Pound Sterling', Type: 'Default' },
  { Name: 'XAU', Precision: 2, Description: 'Gold', Type: 'Default' },
  { Name: 'BTC', Precision: 8, Description: 'Bitcoin', Type: 'Crypto' },
  { Name: 'AAPL', Precision: 0, Description: 'Apple Inc.', Type: 'Share' },
];

const forex = (symbol: string, margin: string, profit: string, description: string, precision: number): TickTraderSymbolWire => ({
  Symbol: symbol, Precision: precision, IsTradeAllowed: true, MarginMode: 'Forex', ProfitMode: 'Forex', ContractSize: 100_000,
  MarginHedged: 0.5, MarginFactor: 1, MarginCurrency: margin, MarginCurrencyPrecision: 2, ProfitCurrency: profit, ProfitCurrencyPrecision: 2,
  Description: description, SwapEnabled: true, SwapSizeShort: 2.23, SwapSizeLong: 2.32, MinTradeAmount: 1000, MaxTradeAmount: 10_000_000,
  TradeAmountStep: 1000, CommissionType: 'Percentage', CommissionChargeType: 'PerLot', CommissionChargeMethod: 'RoundTurn', Commission: 0.005,
  LimitsCommission: 0.005, MinCommission: 0.005, MinCommissionCurrency: 0.005, DefaultSlippage: 0.005, StatusGroupId: 'Default',
  SecurityName: 'Forex', SecurityDescription: 'Forex', StopOrderMarginReduction: 0.005, HiddenLimitOrderMarginReduction: 0.005,
});

export const DEFAULT_SYMBOLS: readonly TickTraderSymbolSpec[] = [
  { wire: forex('EURUSD', 'EUR', 'USD', 'Euro vs US Dollar', 5), startMid: 1.12912, spreadTicks: 1 },
  { wire: forex('GBPUSD', 'GBP', 'USD', 'Great Britain Pound vs US Dollar', 5), startMid: 1.27345, spreadTicks: 2 },
  {
    wire: {
      ...forex('XAUUSD', 'XAU', 'USD', 'Gold vs US Dollar', 2), ContractSize: 100, MinTradeAmount: 1, MaxTradeAmount: 10_000, TradeAmountStep: 1,
      MarginMode: 'CFD', ProfitMode: 'CFD', SecurityName: 'Metals', SecurityDescription: 'Metals', Commission: 0.01, LimitsCommission: 0.008,
      CommissionChargeMethod: 'OneWay',
    },
    startMid: 1935.5,
    spreadTicks: 20,
  },
  {
    wire: {
      ...forex('BTCUSD', 'BTC', 'USD', 'Bitcoin vs US Dollar', 2), ContractSize: 1, MinTradeAmount: 0.001, MaxTradeAmount: 100, TradeAmountStep: 0.001,
      MarginMode: 'CFD', ProfitMode: 'CFD', SecurityName: 'Crypto', SecurityDescription: 'Crypto currencies', CommissionType: 'Absolute',
    },
    startMid: 30_000,
    spreadTicks: 500,
  },
];
