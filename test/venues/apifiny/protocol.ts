/**
 * Apifiny Connect wire shapes and paths as the venue document (shared/venue-docs/apifiny-connect.txt) describes them.
 * Numbers are JSON numbers (the doc's examples: "limitPrice": 100, "quantity": 1.12); times are epoch milliseconds.
 */
import type { ApifinyError } from './error-codes.js';

/** "Standard response": `{ "result": …, "error": null }` or `{ "result": null, "error": { code, message } }`. */
export interface ApifinyEnvelope<T> {
  readonly result: T | null;
  readonly error: ApifinyError | null;
}

export const envelopeOk = <T>(result: T): ApifinyEnvelope<T> => ({ result, error: null });
export const envelopeError = (error: ApifinyError): ApifinyEnvelope<never> => ({ result: null, error });

/**
 * Order Status table. PART_FILLED is documented as a *final* status ("final status, partially filled order") and
 * listCompletedOrder returns "filled, partially filled, canceled and rejected orders", so an order that is partially
 * filled and still working stays SUBMITTED (its filledCumulativeQuantity grows); when its remainder is canceled (a
 * cancel, or IOC) it ends PART_FILLED, and CANCELLED only when nothing was filled.
 */
export type ApifinyOrderStatus = 'PENDING_SUBMIT' | 'SUBMITTED' | 'PART_FILLED' | 'FILLED' | 'CANCELLED' | 'REJECTED';
export const OPEN_STATUSES: ReadonlySet<ApifinyOrderStatus> = new Set(['PENDING_SUBMIT', 'SUBMITTED']);
export const COMPLETED_STATUSES: ReadonlySet<ApifinyOrderStatus> = new Set(['PART_FILLED', 'FILLED', 'CANCELLED', 'REJECTED']);

export type ApifinyOrderType = 'LIMIT' | 'MARKET';
export type ApifinyOrderSide = 'BUY' | 'SELL';
/** Time In Force table: 1 = GTC, 2 = GTD (temporarily not supported: rejected), 3 = IOC, 7 = Post Only. */
export const TIME_IN_FORCE = { GTC: 1, GTD: 2, IOC: 3, POST_ONLY: 7 } as const;
export type ApifinyTimeInForce = 1 | 3 | 7;

/** The new order response / queryOrderInfo / listOpenOrder element ("Same as new order response"). */
export interface ApifinyOrderWire {
  readonly accountId: string;
  readonly venue: string;
  readonly orderId: string;
  readonly symbol: string;
  readonly orderType: ApifinyOrderType;
  readonly orderSide: ApifinyOrderSide;
  /** null for a market order ("not available for market order"). */
  readonly limitPrice: number | null;
  readonly quantity: number;
  readonly filledAveragePrice: number;
  readonly filledCumulativeQuantity: number;
  readonly timeInForce: number;
  readonly openQuantity: number;
  readonly orderStatus: ApifinyOrderStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly cancelledUpdatedAt: number | null;
  readonly filledUpdatedAt: number | null;
}

/** The last-fill fields of listFilledOrder records and of order updates. */
export interface ApifinyLastFillWire {
  readonly lastCommission: number;
  readonly lastCommissionCurrency: string;
  readonly lastFilledQuantity: number;
  readonly lastFilledPrice: number;
  readonly lastFilledCreatedAt: number;
  readonly isTaker: boolean;
  /**
   * SIMULATOR EXTENSION, not in the document: the matching engine's trade id of this fill. A portable fill key that
   * only uses documented fields is (orderId, filledCumulativeQuantity after the fill).
   */
  readonly tradeId: string;
}

export type ApifinyFillWire = ApifinyOrderWire & ApifinyLastFillWire;

/** Order Update payload (user stream /order): not wrapped in the standard envelope, as documented. */
export interface ApifinyOrderUpdateFrame {
  readonly logTimestamp: number;
  readonly payload: ApifinyOrderWire & Partial<ApifinyLastFillWire>;
}

export interface ApifinyBalanceWire {
  readonly accountId: string;
  readonly venue: string;
  readonly currency: string;
  readonly coin: string;
  readonly amount: number;
  readonly available: number;
  readonly frozen: number;
  readonly updatedAt: number;
}

/** Account Update payload (user stream /asset): wrapped in the standard envelope, as documented. */
export type ApifinyAssetUpdateFrame = ApifinyEnvelope<{
  readonly logTimestamp: number;
  readonly payload: readonly Omit<ApifinyBalanceWire, 'coin' | 'updatedAt'>[];
}>;

/** [price, size] levels, best first. */
export type ApifinyLevel = readonly [price: number, size: number];

export interface ApifinyOrderbookWire {
  readonly symbol: string;
  readonly updatedAt: number;
  readonly asks: readonly ApifinyLevel[];
  readonly bids: readonly ApifinyLevel[];
}

export interface ApifinyTradeWire {
  readonly symbol: string;
  readonly provider: string;
  readonly price: number;
  readonly qty: number;
  /** The MAKER order's side ("buy side indicates a down-tick"). */
  readonly side: ApifinyOrderSide;
  readonly tradeTime: number;
  readonly exchangeID: string;
  readonly updateTime: number;
}

export interface ApifinyKlineWire {
  /** BASE/QUOTE, e.g. "BTC/USD". */
  readonly currencyPair: string;
  readonly period: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly vol: number;
  readonly count: number;
  /** Bucket start. The table says "in seconds" but every example is in milliseconds: milliseconds. */
  readonly timestamp: number;
  readonly exchange: string;
}

export interface ApifinyTickerWire {
  readonly symbol: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly vol: number;
  readonly amount: number;
  readonly count: number;
  readonly provider: string;
  readonly tickerTime: number;
  readonly updateAt: number;
}

export const KLINE_PERIODS = ['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w', '1M'] as const;
export type KlinePeriod = (typeof KLINE_PERIODS)[number];
export const isKlinePeriod = (p: string): p is KlinePeriod => (KLINE_PERIODS as readonly string[]).includes(p);

/** Market data websocket request: `{ channel, symbol, venues, action: "sub" | "unsub" }`. */
export interface ApifinyMdRequest {
  readonly channel: string;
  readonly symbol: string;
  readonly venues: readonly string[];
  readonly action: 'sub' | 'unsub';
}

/** Paths, "Other Venues" shape: REST https://api.apifiny.com/ac/v2/VENUE1, streams …/ac/ws/v2/VENUE1/order|asset. */
export const apifinyPaths = (venue: string) =>
  ({
    restBase: `/ac/v2/${venue}`,
    mdWs: '/md/ws/v1',
    orderWs: `/ac/ws/v2/${venue}/order`,
    assetWs: `/ac/ws/v2/${venue}/asset`,
  }) as const;
