/** Apifiny Connect constants from shared/venue-docs/apifiny-connect.txt (paths, codes, statuses). */

export const REST_PATHS = {
  listSymbolInfo: '/utils/listSymbolInfo',
  queryAccountInfo: '/account/queryAccountInfo',
  getCommissionRate: '/order/getCommissionRate',
  newOrder: '/order/newOrder',
  cancelOrder: '/order/cancelOrder',
  queryOrderInfo: '/order/queryOrderInfo',
  listOpenOrder: '/order/listOpenOrder',
  listCompletedOrder: '/order/listCompletedOrder',
  listFilledOrder: '/order/listFilledOrder',
} as const;

/** Error codes (the decimal column of the doc's "Status/Error Codes" table) the adapter treats specially. */
export const ERROR_CODES = {
  SERVER_ERROR: 65579,
  RATE_LIMIT: 131114,
  ACCOUNT_NOT_EXIST: 131115,
  VENUE_MISMATCH: 131130,
  TOKEN_ERROR: 196634,
  ORDER_NOT_EXIST: 327738,
  CANCEL_TIMEOUT: 327818,
  SIGNATURE_ERROR: 2097162,
  PERMISSION_DENIED: 2097163,
} as const;

/** Codes that refuse the session itself: connect() fails for good, no retry. */
export const AUTH_ERROR_CODES: ReadonlySet<number> = new Set([
  ERROR_CODES.ACCOUNT_NOT_EXIST,
  ERROR_CODES.TOKEN_ERROR,
  ERROR_CODES.SIGNATURE_ERROR,
  ERROR_CODES.PERMISSION_DENIED,
]);

/**
 * Codes after which the venue may or may not have acted: the order stays in flight and reconciliation settles it.
 * 327818 is both "timeout for cancel order operation" and "incorrect timestamp format" in the table; for a cancel it
 * means the former (for a new order our ids always carry a valid timestamp).
 */
export const UNKNOWN_OUTCOME_CODES: ReadonlySet<number> = new Set([ERROR_CODES.SERVER_ERROR, ERROR_CODES.RATE_LIMIT, ERROR_CODES.CANCEL_TIMEOUT]);

export type ApifinyOrderStatus = 'PENDING_SUBMIT' | 'SUBMITTED' | 'PART_FILLED' | 'FILLED' | 'CANCELLED' | 'REJECTED';
export const ORDER_STATUSES: readonly ApifinyOrderStatus[] = ['PENDING_SUBMIT', 'SUBMITTED', 'PART_FILLED', 'FILLED', 'CANCELLED', 'REJECTED'];

/** Time In Force table: 1 GTC, 2 GTD (not supported by the venue), 3 IOC, 7 Post Only. */
export const TIF = { GTC: 1, IOC: 3, POST_ONLY: 7 } as const;

/** Characters of a raw frame quoted in a log line about it. */
export const EXCERPT_CHARS = 160;
