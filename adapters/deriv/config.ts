/** Adapter options (validated, readable errors) and credentials (environment only: DERIV_API_TOKEN, DERIV_APP_ID). */
import { CONTRACT_TYPES, DEFAULT_URL, DEFAULT_VENUE_ID, type DerivContractType } from './constants.js';

export interface DerivCredentials {
  readonly appId: number;
  /** Never logged: a getter, redacted by toJSON. */
  readonly token: string;
}

export interface DerivConfig {
  /** wss://ws.derivws.com/websockets/v3 (app_id is appended). */
  readonly url: string;
  readonly venueId: string;
  readonly requestTimeoutMs: number;
  /** Reconnect after this long without a frame; a ping is sent every third of it. */
  readonly idleTimeoutMs: number;
  /** Every contract bought: duration and unit (t ticks, s seconds, m minutes). */
  readonly duration: number;
  readonly durationUnit: 't' | 's' | 'm';
  readonly contractTypes: readonly DerivContractType[];
  /** Payout used to quote a contract instrument's price per unit. */
  readonly quotePayout: number;
  /** Currency until authorize tells the account's. */
  readonly currency: string;
  readonly credentials: DerivCredentials;
}

export class DerivConfigError extends Error {
  override readonly name = 'DerivConfigError';
}

const KNOWN = new Set(['url', 'venueId', 'requestTimeoutMs', 'idleTimeoutMs', 'duration', 'durationUnit', 'contractTypes', 'quotePayout', 'currency']);
export const ENV = { token: 'DERIV_API_TOKEN', appId: 'DERIV_APP_ID' } as const;

export function parseDerivConfig(options: Readonly<Record<string, unknown>>, env: Readonly<Record<string, string | undefined>>): DerivConfig {
  const problems: string[] = [];
  for (const k of Object.keys(options)) if (!KNOWN.has(k)) problems.push(`unknown option "${k}" (known: ${[...KNOWN].join(', ')})`);
  const url = typeof options.url === 'string' ? options.url : options.url === undefined ? DEFAULT_URL : '';
  try {
    const u = new URL(url);
    if (u.protocol !== 'ws:' && u.protocol !== 'wss:') problems.push(`url must be a ws or wss url, got ${u.protocol}`);
    if (u.search !== '') problems.push('url must not carry a query (app_id comes from DERIV_APP_ID)');
  } catch {
    problems.push('url is not a valid url');
  }
  const positive = (k: string, dflt: number, integer = false): number => {
    const v = options[k] ?? dflt;
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v) || (integer && !Number.isInteger(v))) return void problems.push(`${k} must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(v)}`), dflt;
    return v;
  };
  const venueId = options.venueId ?? DEFAULT_VENUE_ID;
  if (typeof venueId !== 'string' || !/^[A-Za-z0-9_]+$/.test(venueId)) problems.push(`venueId must be letters, digits or _, got ${JSON.stringify(venueId)}`);
  const unit = options.durationUnit ?? 't';
  if (unit !== 't' && unit !== 's' && unit !== 'm') problems.push(`durationUnit must be t, s or m, got ${JSON.stringify(unit)}`);
  const types = options.contractTypes ?? CONTRACT_TYPES;
  if (!Array.isArray(types) || types.length === 0 || types.some((t) => !(CONTRACT_TYPES as readonly unknown[]).includes(t))) problems.push(`contractTypes must be a non-empty list of ${CONTRACT_TYPES.join(', ')}`);
  const currency = options.currency ?? 'USD';
  if (typeof currency !== 'string' || !/^[A-Z]{3,5}$/.test(currency)) problems.push(`currency must be a currency code, got ${JSON.stringify(currency)}`);

  const token = env[ENV.token]?.trim() ?? '';
  if (token === '') problems.push(`environment variable ${ENV.token} is not set (an API token with the read and trade scopes)`);
  const appRaw = env[ENV.appId]?.trim() ?? '';
  const appId = Number(appRaw);
  if (appRaw === '' || !Number.isInteger(appId) || appId <= 0) problems.push(`environment variable ${ENV.appId} must be your registered app_id (a positive integer)`);

  if (problems.length > 0) throw new DerivConfigError(`deriv adapter options:\n  - ${problems.join('\n  - ')}`);
  const credentials = Object.freeze({
    appId,
    get token() {
      return token;
    },
    toJSON: () => ({ appId, token: '[redacted]' }),
  }) as DerivCredentials;
  return {
    url: url.replace(/\/+$/, ''),
    venueId: venueId as string,
    requestTimeoutMs: positive('requestTimeoutMs', 5_000),
    idleTimeoutMs: positive('idleTimeoutMs', 30_000),
    duration: positive('duration', 5, true),
    durationUnit: unit as DerivConfig['durationUnit'],
    contractTypes: types as DerivContractType[],
    quotePayout: positive('quotePayout', 100),
    currency: currency as string,
    credentials,
  };
}
