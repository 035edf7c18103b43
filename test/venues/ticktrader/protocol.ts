/**
 * Protocol constants of the simulated TickTrader Feed WebSocket API. The document gives the error envelope
 * (`{"Id", "Response": "Error", "Error": <description>}`) but not the descriptions: these texts are the simulator's.
 */
export const ERRORS = {
  badJson: 'Invalid request: the message is not valid JSON',
  badEnvelope: 'Invalid request: "Request" must be a string',
  unknownRequest: (r: string) => `Unsupported request: ${r}`,
  notLoggedIn: 'Session is not logged in',
  alreadyLoggedIn: 'Session is already logged in',
  twoFactorRequired: 'Two-factor authentication is required',
  twoFactorNotExpected: 'Two-factor authentication is not expected',
  authType: 'Invalid AuthType: only HMAC is supported',
  unknownKey: 'Invalid Web API Id or Web API Key',
  badSignature: 'Invalid signature',
  badTimestamp: 'Invalid timestamp: outside the allowed window',
  param: (name: string) => `Invalid parameter: ${name}`,
  symbolNotFound: (s: string) => `Symbol not found: ${s}`,
  periodicity: (p: string) => `Invalid periodicity: ${p}`,
  priceType: (p: string) => `Invalid price type: ${p}`,
  historyNotFound: (s: string) => `Quote history not available for ${s}`,
} as const;

export const TWO_FACTOR = {
  required: 'Two-factor authentication is required.',
  success: 'Success',
  invalid: 'Invalid one-time password!',
  expired: 'Two-factor authentication token is expired or unknown',
} as const;

/** Bar periodicities the simulator knows, with their length. */
export const PERIODICITY_MS: Readonly<Record<string, number>> = {
  S1: 1_000, S10: 10_000, M1: 60_000, M5: 300_000, M15: 900_000, M30: 1_800_000, H1: 3_600_000, H4: 14_400_000, D1: 86_400_000, W1: 604_800_000,
};

export const QUOTE_HISTORY_VERSION = 1;
export const MAX_BOOK_DEPTH = 100;
export const MAX_FREQUENCY_PRIORITY = 10;
export const MAX_HISTORY_COUNT = 1000;
