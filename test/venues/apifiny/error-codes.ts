/**
 * Apifiny Connect status/error codes used by the simulator, from the table "Apifiny Connect Status/Error Codes" at the
 * end of shared/venue-docs/apifiny-connect.txt. The JSON `code` is the table's first (decimal) column: the
 * "Standard response" example writes it as a hexadecimal literal (0x02002B), which is not valid JSON; 0x02002B is
 * 131115, so the decimal column is what goes on the wire. Where the table's two columns disagree (327738 is listed for
 * both 0x05003A and 0x05003B; 327802 for both 0x05007A and 0x05007B) the decimal of the …A row is used.
 *
 * GUESSED marks a case the document does not name: the closest documented code was picked.
 */
export const APIFINY_ERRORS = {
  /** 0x01001A — bad or missing parameters, quantity/price off the grid, below a minimum, above a maximum. */
  BAD_PARAMS: { code: 65562, message: 'general request error, please check if the parameters in request are correct.' },
  /** 0x01002B — the 5xx fault switch's body, and an unexpected exception in a handler. */
  SERVER_ERROR: { code: 65579, message: 'general server side error, retry or contact customer service.' },
  /** 0x02002A — more than 20 requests/s for one account (the doc's Rate Limits section: "rate limit is exceeded"). */
  RATE_LIMIT: { code: 131114, message: 'Request too often, please try later (rate limit is exceeded)' },
  /** 0x02002B — the token's accountId is unknown. */
  ACCOUNT_NOT_EXIST: { code: 131115, message: "Account doesn't exist, please verify account ID." },
  /** 0x02003A — the venue in the URL or the `venue` parameter is not this venue. */
  VENUE_MISMATCH: { code: 131130, message: 'Sorry, the venue does not match the request url, please check the base url.' },
  /** 0x03001A — missing/unparseable token or missing claims; GUESSED also for an expired token (doc names no code). */
  TOKEN_ERROR: { code: 196634, message: 'token error' },
  /** 0x04003A — unknown symbol. */
  UNKNOWN_SYMBOL: { code: 262202, message: 'Util_Unknown_Symbol' },
  /** 0x05002A — a client orderId this account already used. */
  DUPLICATE_ORDER_ID: { code: 327722, message: 'Order_OriginalOrderIdDuplicate' },
  /** 0x05003A — unknown orderId (query, cancel). */
  ORDER_NOT_EXIST: { code: 327738, message: "Order doesn't exist, please change order ID." },
  /** 0x05003D — market data asked for another venue. */
  VENUE_NOT_SUPPORTED: { code: 327741, message: 'This exchange is currently under maitenance or not supported yet.' },
  /** 0x05007A — cancel of an order already FILLED / CANCELLED / PART_FILLED / REJECTED. */
  CANCEL_BAD_STATUS: {
    code: 327802,
    message: 'cannot cancel order under current order status, need confirm order status and retry or abandon request.',
  },
  /** 0x05008A — the matching engine did not answer a cancel in time (cancelTimeoutMs). */
  CANCEL_TIMEOUT: { code: 327818, message: 'timeout for cancel order operation, need wait and retry.' },
  /** 0x05008A (same decimal as above in the table) — the 13-digit timestamp inside an orderId is not a timestamp. */
  ORDER_ID_TIMESTAMP_FORMAT: { code: 327818, message: 'Order create failed, incorrect timestamp format' },
  /** 0x05009A — the orderId's timestamp is too far from server time (orderIdMaxSkewMs). */
  ORDER_ID_TIMESTAMP: { code: 327834, message: 'Order create failed, timestamp error' },
  /** 0x05012A — an orderId that does not follow "account number + random + 13-digit timestamp + 3 digits, ≤ 64". */
  ORDER_ID_RULE: { code: 327978, message: 'order id rule error' },
  /** 0x05014A — a cancel for an order whose cancel is still being processed. */
  CANCEL_IN_PROGRESS: { code: 328010, message: 'the order is being cancelled, please verify order status.' },
  /** 0x05015A — cancel while the order is still PENDING_SUBMIT. */
  CANCEL_PENDING_SUBMIT: {
    code: 328026,
    message: 'order cannot be canceled when in Pending_Submit status,please wait for status changed to submitted to cancel order.',
  },
  /** 0x06002A — not enough available balance to freeze for a new order. */
  INSUFFICIENT_BALANCE: { code: 393258, message: 'Not enough asset available. Please verify if there is enough asset in account.' },
  /** 0x20000A — the token's HMAC does not verify; GUESSED also for a digest that does not match the request. */
  SIGNATURE_ERROR: { code: 2097162, message: 'Signature Error' },
  /** 0x20001A — a market order with no book to price it. */
  NO_MARKET: { code: 2097178, message: 'No matching market' },
  /** 0x20000B — unknown secretKeyId, a key of another account, or a request for another account than the token's. */
  PERMISSION_DENIED: { code: 2097163, message: 'Permission denied. Invalid API key or permissions for action.' },
} as const;

export type ApifinyErrorName = keyof typeof APIFINY_ERRORS;

/** An application error as it goes into the envelope; `detail` is appended to the documented message. */
export interface ApifinyError {
  readonly code: number;
  readonly message: string;
}

export function apifinyError(name: ApifinyErrorName, detail?: string): ApifinyError {
  const e = APIFINY_ERRORS[name];
  return { code: e.code, message: detail === undefined ? e.message : `${e.message} (${detail})` };
}

/** Thrown inside handlers to answer with an error envelope; anything else thrown becomes SERVER_ERROR. */
export class ApifinyFailure extends Error {
  constructor(readonly error: ApifinyError) {
    super(error.message);
  }
}

export function fail(name: ApifinyErrorName, detail?: string): never {
  throw new ApifinyFailure(apifinyError(name, detail));
}
