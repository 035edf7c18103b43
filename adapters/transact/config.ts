/** Adapter options (validated, readable errors) and credentials (environment only, never printed). */

export interface TransactCredentials {
  readonly username: string;
  readonly password: string;
  readonly apiKey: string;
}

export interface TransactConfig {
  /** The authentication connection, e.g. wss://api.example/auth */
  readonly authUrl: string;
  readonly ordersUrl: string;
  readonly pricesUrl: string;
  /** Engine venue id: instruments are `<SYMBOL>.<venueId>`; default TRANSACT. */
  readonly venueId: string;
  /** Deadline of a status answer. */
  readonly requestTimeoutMs: number;
  /** Reconnect a connection silent this long (the venue sends heartbeats). */
  readonly idleTimeoutMs: number;
  /** Log in again this long before the session key expires. */
  readonly reloginMarginMs: number;
  /** Log in again after this long at the latest, whatever the key's expiry says (the document: up to 24 h). */
  readonly maxSessionMs: number;
  readonly credentials: TransactCredentials;
}

export class TransactConfigError extends Error {
  override readonly name = 'TransactConfigError';
}

export const ENV = { username: 'TRANSACT_USERNAME', password: 'TRANSACT_PASSWORD', apiKey: 'TRANSACT_API_KEY' } as const;
const KNOWN = new Set(['authUrl', 'ordersUrl', 'pricesUrl', 'venueId', 'requestTimeoutMs', 'idleTimeoutMs', 'reloginMarginMs', 'maxSessionMs']);

export function parseTransactConfig(options: Readonly<Record<string, unknown>>, env: Readonly<Record<string, string | undefined>>): TransactConfig {
  const problems: string[] = [];
  for (const k of Object.keys(options)) if (!KNOWN.has(k)) problems.push(`unknown option "${k}" (known: ${[...KNOWN].join(', ')})`);
  const url = (k: string): string => {
    const v = options[k];
    if (typeof v !== 'string' || v === '') return void problems.push(`${k} is required (a ws or wss url)`), '';
    try {
      const u = new URL(v);
      if (u.protocol !== 'ws:' && u.protocol !== 'wss:') problems.push(`${k} must be a ws or wss url, got ${u.protocol}`);
    } catch {
      problems.push(`${k} is not a valid url`);
    }
    return v;
  };
  const positive = (k: string, dflt: number): number => {
    const v = options[k] ?? dflt;
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) return void problems.push(`${k} must be a positive number, got ${JSON.stringify(v)}`), dflt;
    return v;
  };
  const venueId = options.venueId ?? 'TRANSACT';
  if (typeof venueId !== 'string' || !/^[A-Za-z0-9_]+$/.test(venueId)) problems.push(`venueId must be letters, digits or _, got ${JSON.stringify(venueId)}`);
  const config: TransactConfig = {
    authUrl: url('authUrl'),
    ordersUrl: url('ordersUrl'),
    pricesUrl: url('pricesUrl'),
    venueId: typeof venueId === 'string' ? venueId : 'TRANSACT',
    requestTimeoutMs: positive('requestTimeoutMs', 5_000),
    idleTimeoutMs: positive('idleTimeoutMs', 16_000),
    reloginMarginMs: positive('reloginMarginMs', 300_000),
    maxSessionMs: positive('maxSessionMs', 23 * 3_600_000),
    credentials: readCredentials(env, problems),
  };
  if (problems.length > 0) throw new TransactConfigError(`transact adapter options:\n  - ${problems.join('\n  - ')}`);
  return config;
}

function readCredentials(env: Readonly<Record<string, string | undefined>>, problems: string[]): TransactCredentials {
  const get = (k: keyof typeof ENV): string => {
    const v = env[ENV[k]];
    if (v === undefined || v.trim() === '') return void problems.push(`environment variable ${ENV[k]} is not set`), '';
    return v.trim();
  };
  const username = get('username');
  const password = get('password');
  const apiKey = get('apiKey');
  return Object.freeze({
    username,
    get password() {
      return password;
    },
    get apiKey() {
      return apiKey;
    },
    toJSON: () => ({ username, password: '[redacted]', apiKey: '[redacted]' }),
  }) as TransactCredentials;
}
