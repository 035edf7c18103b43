/** TickTrader Feed WebSocket API: request names, periodicities, defaults. */
export const REQUESTS = {
  login: 'Login',
  twoFactor: 'TwoFactor',
  sessionInfo: 'SessionInfo',
  symbols: 'Symbols',
  feedSubscribe: 'FeedSubscribe',
  barFeedSubscribe: 'BarFeedSubscribe',
  quoteHistoryBars: 'QuoteHistoryBars',
} as const;

/** Notifications (frames without a request Id). */
export const NOTIFICATIONS = { feedTick: 'FeedTick', feedBarUpdate: 'FeedBarUpdate' } as const;

export const TWO_FACTOR_SUCCESS = 'Success';

/** Bar periodicities and their length in ms. */
export const PERIODICITY_MS = {
  S1: 1_000, S10: 10_000, M1: 60_000, M5: 300_000, M15: 900_000, M30: 1_800_000, H1: 3_600_000, H4: 14_400_000, D1: 86_400_000, W1: 604_800_000,
} as const;
export type TickTraderPeriodicity = keyof typeof PERIODICITY_MS;
export const isPeriodicity = (p: unknown): p is TickTraderPeriodicity => typeof p === 'string' && Object.hasOwn(PERIODICITY_MS, p);

/** QuoteHistoryBars takes a Count in [-1000, -1] ∪ [1, 1000]. */
export const MAX_HISTORY_COUNT = 1000;

export const EXCERPT_CHARS = 200;
/** Resume a two-factor token only when it stays valid at least this long. */
export const TWO_FACTOR_RESUME_MARGIN_MS = 30_000;
