/** Adapter options (validated, readable errors) and credentials (environment only, never printed). */
import { isPeriodicity, type TickTraderPeriodicity } from './constants.js';

export interface TickTraderCredentials {
  readonly webApiId: string;
  readonly webApiKey: string;
  readonly secret: string;
  /** Base32 TOTP secret, for accounts with two-factor authentication. */
  readonly totpSecret: string | undefined;
}

export interface TickTraderConfig {
  /** e.g. wss://marginalttlivewebapi.fxopen.net:3000 (the simulator: ws://127.0.0.1:18710/). */
  readonly wsUrl: string;
  /** The engine's venue id, the suffix of instrument ids `<SYMBOL>.<venueId>`; default TICKTRADER. */
  readonly venueId: string;
  /** BookDepth of every FeedSubscribe; default 5. */
  readonly bookDepth: number;
  /** FrequencyPriority of every FeedSubscribe (at most one tick per 2^p × 500 ms); unset = every tick. */
  readonly frequencyPriority: number | undefined;
  /** Periodicity of the `bar` ticks (BarFeedSubscribe); default M1. */
  readonly barPeriodicity: TickTraderPeriodicity;
  /** Price type of bars (live and history); default Bid. */
  readonly barPriceType: 'Bid' | 'Ask';
  /** Only these symbols become instruments (all when absent). */
  readonly symbols: readonly string[] | undefined;
  readonly deviceId: string;
  readonly appSessionId: string;
  readonly requestTimeoutMs: number;
  /** Reconnect when nothing (frame or ping) arrived for this long. */
  readonly idleTimeoutMs: number;
  readonly credentials: TickTraderCredentials;
}

export class TickTraderConfigError extends Error {
  override readonly name = 'TickTraderConfigError';
}

const KNOWN = ['wsUrl', 'venueId', 'bookDepth', 'frequencyPriority', 'barPeriodicity', 'barPriceType', 'symbols', 'deviceId', 'appSessionId', 'requestTimeoutMs', 'idleTimeoutMs'];
export const ENV = { webApiId: 'TICKTRADER_ID', webApiKey: 'TICKTRADER_KEY', secret: 'TICKTRADER_SECRET', totpSecret: 'TICKTRADER_TOTP_SECRET' } as const;

export function parseTickTraderConfig(options: Readonly<Record<string, unknown>>, env: Readonly<Record<string, string | undefined>>): TickTraderConfig {
  const problems: string[] = [];
  for (const k of Object.keys(options)) if (!KNOWN.includes(k)) problems.push(`unknown option "${k}" (known: ${KNOWN.join(', ')})`);
  const wsUrl = ((): string => {
    const v = options.wsUrl;
    if (typeof v !== 'string' || v === '') return void problems.push('wsUrl is required (a ws or wss url)'), '';
    try {
      if (!['ws:', 'wss:'].includes(new URL(v).protocol)) problems.push(`wsUrl must be a ws or wss url, got ${new URL(v).protocol}`);
    } catch {
      problems.push('wsUrl is not a valid url');
    }
    return v;
  })();
  const int = (k: string, dflt: number | undefined, lo: number, hi: number): number | undefined => {
    const v = options[k] ?? dflt;
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) return void problems.push(`${k} must be an integer in [${lo}, ${hi}], got ${JSON.stringify(v)}`), dflt;
    return v;
  };
  const str = (k: string, dflt: string): string => {
    const v = options[k] ?? dflt;
    if (typeof v !== 'string' || v === '') return void problems.push(`${k} must be a non-empty string`), dflt;
    return v;
  };
  const venueId = str('venueId', 'TICKTRADER');
  if (!/^[A-Za-z0-9_]+$/.test(venueId)) problems.push(`venueId must be letters, digits or _, got ${JSON.stringify(venueId)}`);
  const barPeriodicity = options.barPeriodicity ?? 'M1';
  if (!isPeriodicity(barPeriodicity)) problems.push(`barPeriodicity must be one of S1, S10, M1, M5, M15, M30, H1, H4, D1, W1, got ${JSON.stringify(barPeriodicity)}`);
  const barPriceType = options.barPriceType ?? 'Bid';
  if (barPriceType !== 'Bid' && barPriceType !== 'Ask') problems.push(`barPriceType must be "Bid" or "Ask", got ${JSON.stringify(barPriceType)}`);
  const symbols = options.symbols;
  if (symbols !== undefined && (!Array.isArray(symbols) || symbols.some((s) => typeof s !== 'string'))) problems.push('symbols must be an array of symbol names');
  const credentials = readCredentials(env, problems);
  const config: TickTraderConfig = {
    wsUrl,
    venueId,
    bookDepth: int('bookDepth', 5, 0, 100)!,
    frequencyPriority: int('frequencyPriority', undefined, 0, 10),
    barPeriodicity: isPeriodicity(barPeriodicity) ? barPeriodicity : 'M1',
    barPriceType: barPriceType === 'Ask' ? 'Ask' : 'Bid',
    symbols: Array.isArray(symbols) ? (symbols as string[]) : undefined,
    deviceId: str('deviceId', 'strategy-engine'),
    appSessionId: str('appSessionId', 'engine'),
    requestTimeoutMs: int('requestTimeoutMs', 5_000, 1, 600_000)!,
    idleTimeoutMs: int('idleTimeoutMs', 60_000, 1, 3_600_000)!,
    credentials,
  };
  if (problems.length > 0) throw new TickTraderConfigError(`ticktrader adapter options:\n  - ${problems.join('\n  - ')}`);
  return config;
}

function readCredentials(env: Readonly<Record<string, string | undefined>>, problems: string[]): TickTraderCredentials {
  const get = (k: keyof typeof ENV, required: boolean): string | undefined => {
    const v = env[ENV[k]]?.trim();
    if (v === undefined || v === '') {
      if (required) problems.push(`environment variable ${ENV[k]} is not set`);
      return undefined;
    }
    return v;
  };
  const webApiId = get('webApiId', true) ?? '';
  const webApiKey = get('webApiKey', true) ?? '';
  const secret = get('secret', true) ?? '';
  const totpSecret = get('totpSecret', false);
  const hidden = '[redacted]';
  return Object.freeze({
    get webApiId() {
      return webApiId;
    },
    get webApiKey() {
      return webApiKey;
    },
    get secret() {
      return secret;
    },
    get totpSecret() {
      return totpSecret;
    },
    toJSON: () => ({ webApiId: hidden, webApiKey: hidden, secret: hidden, totpSecret: totpSecret ? hidden : undefined }),
  }) as TickTraderCredentials;
}
