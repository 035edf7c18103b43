/** Engine commands → TickTrader requests (`{"Id", "Request", "Params"}`). */
import type { TickTraderCredentials } from './config.js';
import { REQUESTS, type TickTraderPeriodicity } from './constants.js';
import { createSignature } from './auth.js';

export interface TickTraderRequest {
  readonly Request: string;
  readonly Params?: unknown;
}

export const frame = (id: string, r: TickTraderRequest): string => JSON.stringify({ Id: id, ...r });

export function loginRequest(c: TickTraderCredentials, timestamp: number, device: { deviceId: string; appSessionId: string }): TickTraderRequest {
  return {
    Request: REQUESTS.login,
    Params: {
      AuthType: 'HMAC', WebApiId: c.webApiId, WebApiKey: c.webApiKey, Timestamp: timestamp,
      Signature: createSignature(timestamp, c.webApiId, c.webApiKey, c.secret), DeviceId: device.deviceId, AppSessionId: device.appSessionId,
    },
  };
}

/** With a one-time password; without one it asks to resume the session's earlier two-factor token. */
export const twoFactorRequest = (oneTimePassword?: string): TickTraderRequest =>
  oneTimePassword === undefined ? { Request: REQUESTS.twoFactor } : { Request: REQUESTS.twoFactor, Params: { OneTimePassword: oneTimePassword } };

export const symbolsRequest = (symbols?: readonly string[]): TickTraderRequest =>
  symbols ? { Request: REQUESTS.symbols, Params: { Symbol: symbols.join(';') } } : { Request: REQUESTS.symbols };

export const feedSubscribeRequest = (symbols: readonly string[], bookDepth: number, frequencyPriority: number | undefined): TickTraderRequest => ({
  Request: REQUESTS.feedSubscribe,
  Params: { Subscribe: symbols.map((Symbol) => ({ Symbol, BookDepth: bookDepth, ...(frequencyPriority !== undefined ? { FrequencyPriority: frequencyPriority } : {}) })) },
});

export const feedUnsubscribeRequest = (symbols: readonly string[]): TickTraderRequest => ({ Request: REQUESTS.feedSubscribe, Params: { Unsubscribe: symbols } });

export const barSubscribeRequest = (symbols: readonly string[], periodicity: TickTraderPeriodicity, priceType: 'Bid' | 'Ask'): TickTraderRequest => ({
  Request: REQUESTS.barFeedSubscribe,
  Params: { Subscribe: symbols.map((Symbol) => ({ Symbol, BarParams: [{ Periodicity: periodicity, PriceType: priceType }] })) },
});

export const barUnsubscribeRequest = (symbols: readonly string[]): TickTraderRequest => ({ Request: REQUESTS.barFeedSubscribe, Params: { Unsubscribe: symbols } });

export const historyBarsRequest = (symbol: string, periodicity: TickTraderPeriodicity, priceType: 'Bid' | 'Ask', timestamp: number, count: number): TickTraderRequest => ({
  Request: REQUESTS.quoteHistoryBars,
  Params: { Symbol: symbol, Periodicity: periodicity, PriceType: priceType, Timestamp: timestamp, Count: count },
});
