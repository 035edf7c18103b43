/** TransAct Futures protocol constants (CONTRACT.md in this folder: status codes, connection paths). */

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

/** Refusals of the credentials: connect() fails for good, never retried. */
export const CREDENTIAL_STATUSES: ReadonlySet<number> = new Set([STATUS.BAD_LOGIN, STATUS.BAD_API_KEY]);
/** The session key was refused: log in again, present the new key, resend the command once. */
export const SESSION_STATUSES: ReadonlySet<number> = new Set([STATUS.SESSION_EXPIRED, STATUS.SESSION_INVALID, STATUS.NOT_AUTHENTICATED]);
/** Failures whose outcome is not definitive: the order stays in flight and reconciliation settles it. */
export const UNKNOWN_OUTCOME_STATUSES: ReadonlySet<number> = new Set([STATUS.INTERNAL]);

/**
 * The data message a successful status of these commands comes with (CONTRACT.md). The document lets it arrive before
 * or after the status, so a command is complete only once both are in.
 */
export const ANSWER_DATA: Readonly<Record<string, string>> = {
  login: 'session',
  instruments: 'instruments',
  query_orders: 'orders',
  query_order: 'orders',
  query_fills: 'fills',
};

export const PATHS = { auth: '/auth', orders: '/orders', prices: '/prices' } as const;

/** What the venue accepts as a client_id. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Characters of a bad frame quoted in a log line. */
export const EXCERPT_CHARS = 200;
