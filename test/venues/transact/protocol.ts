/**
 * The TransAct Futures wire protocol as the simulator speaks it (adapters/transact/CONTRACT.md). Written from the
 * contract, independently of the adapter's own wire types, so the two can disagree and a test can notice.
 */

export const STATUS = {
  OK: 1,
  BAD_LOGIN: -1,
  BAD_API_KEY: -2,
  MALFORMED: -3,
  SESSION_EXPIRED: -10,
  SESSION_INVALID: -11,
  NOT_AUTHENTICATED: -12,
  BAD_ORDER: -20,
  UNKNOWN_SYMBOL: -21,
  DUPLICATE_CLIENT_ID: -22,
  ORDER_NOT_FOUND: -30,
  ORDER_NOT_WORKING: -31,
  INTERNAL: -99,
} as const;

export const PATHS = { auth: '/auth', orders: '/orders', prices: '/prices' } as const;
export type ConnectionKind = keyof typeof PATHS;

export type TransactSide = 'BUY' | 'SELL';
export type TransactOrderState = 'PENDING' | 'WORKING' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';
export type TransactTif = 'GTC' | 'DAY' | 'IOC';

export interface TransactOrderWire {
  readonly order_id: string;
  readonly client_id: string;
  readonly symbol: string;
  readonly side: TransactSide;
  readonly type: 'LIMIT' | 'MARKET';
  readonly tif: TransactTif;
  readonly qty: string;
  readonly price: string | null;
  readonly filled_qty: string;
  readonly avg_price: string | null;
  readonly state: TransactOrderState;
  readonly text?: string;
  readonly time: number;
}

export interface TransactFillWire {
  readonly fill_id: string;
  readonly order_id: string;
  readonly client_id: string;
  readonly symbol: string;
  readonly side: TransactSide;
  readonly qty: string;
  readonly price: string;
  readonly fee: string;
  readonly fee_currency: string;
  readonly liquidity: 'MAKER' | 'TAKER';
  readonly time: number;
}

export interface TransactInstrumentWire {
  readonly symbol: string;
  readonly root: string;
  readonly currency: string;
  readonly tick_size: string;
  readonly lot_size: string;
  readonly min_qty: string;
  readonly max_qty: string;
  readonly contract_size: string;
  readonly maker_fee: string;
  readonly taker_fee: string;
  readonly status: 'open' | 'halted';
}

/** A futures contract of the simulator, and where its random walk starts. */
export interface TransactSymbolSpec {
  readonly symbol: string;
  readonly root: string;
  readonly currency: string;
  readonly tickSize: number;
  readonly lotSize: number;
  readonly minQty: number;
  readonly maxQty: number;
  readonly contractSize: number;
  readonly makerFee: number;
  readonly takerFee: number;
  readonly startPrice: number;
  /** Typical size of a book level / trade, in contracts. */
  readonly typicalSize: number;
}

export const DEFAULT_SYMBOLS: readonly TransactSymbolSpec[] = [
  { symbol: 'ESZ6', root: 'ES', currency: 'USD', tickSize: 0.25, lotSize: 1, minQty: 1, maxQty: 500, contractSize: 50, makerFee: 0.00002, takerFee: 0.00005, startPrice: 5000, typicalSize: 20 },
  { symbol: 'CLF7', root: 'CL', currency: 'USD', tickSize: 0.01, lotSize: 1, minQty: 1, maxQty: 300, contractSize: 1000, makerFee: 0.00002, takerFee: 0.00005, startPrice: 70, typicalSize: 10 },
];

export function instrumentWire(s: TransactSymbolSpec): TransactInstrumentWire {
  return {
    symbol: s.symbol, root: s.root, currency: s.currency, tick_size: String(s.tickSize), lot_size: String(s.lotSize),
    min_qty: String(s.minQty), max_qty: String(s.maxQty), contract_size: String(s.contractSize),
    maker_fee: String(s.makerFee), taker_fee: String(s.takerFee), status: 'open',
  };
}
