/** Adapter options (validated, readable errors) and credentials (environment only, never printed). */
import { parseRate, type Rate } from '../../engine/risk/sliding-window.js';
import { ENVIRONMENTS, type TtEnvironment } from './constants.js';

export interface TtCredentials {
  readonly appKey: string;
  readonly appSecret: string;
}

export interface TtConfig {
  /** https://ttrestapi.trade.tt (services at `<baseUrl>/<service>/<environment>`). */
  readonly baseUrl: string;
  readonly environment: TtEnvironment;
  /** The engine's venue id and the suffix of instrument ids (`ESH7.TT`); default TT. */
  readonly venueId: string;
  /** The two names of TT's requestId `<app_name>-<company_name>--<guid>`. */
  readonly appName: string;
  readonly companyName: string;
  /** Accounts whose fills, positions and limits are read; default: every account the key sees. */
  readonly accountIds: readonly string[];
  /** ttpds market names whose futures become instruments (default all), and product symbols (default all). */
  readonly markets: readonly string[];
  readonly products: readonly string[];
  readonly requestTimeoutMs: number;
  /** The shared request budget of the application key, all services together. */
  readonly rate: Rate;
  /** Get a new token this long before the current one expires (at most half its lifetime). */
  readonly tokenRefreshMarginMs: number;
  /** Whether a paper or live session applies the accounts' TT limits on top of the configured risk limits (default false). */
  readonly applyRiskLimits: boolean;
  readonly credentials: TtCredentials;
}

export class TtConfigError extends Error {
  override readonly name = 'TtConfigError';
}

const KNOWN = new Set(['baseUrl', 'environment', 'venueId', 'appName', 'companyName', 'accountIds', 'markets', 'products', 'requestTimeoutMs', 'rateLimit', 'tokenRefreshMarginMs', 'applyRiskLimits']);
export const ENV = { appKey: 'TT_APP_KEY', appSecret: 'TT_APP_SECRET' } as const;

export function parseTtConfig(options: Readonly<Record<string, unknown>>, env: Readonly<Record<string, string | undefined>>): TtConfig {
  const problems: string[] = [];
  for (const k of Object.keys(options)) if (!KNOWN.has(k)) problems.push(`unknown option "${k}" (known: ${[...KNOWN].join(', ')})`);
  const baseUrl = ((): string => {
    const v = options.baseUrl ?? 'https://ttrestapi.trade.tt';
    if (typeof v !== 'string') return void problems.push('baseUrl must be an http or https url'), '';
    try {
      const u = new URL(v);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') problems.push(`baseUrl must be an http or https url, got ${u.protocol}`);
      if (u.search !== '' || u.username !== '') problems.push('baseUrl must not carry a query string or credentials');
    } catch {
      problems.push('baseUrl is not a valid url');
    }
    return v.replace(/\/+$/, '');
  })();
  const environment = options.environment ?? 'ext_uat_cert';
  if (!(ENVIRONMENTS as readonly unknown[]).includes(environment)) problems.push(`environment must be ${ENVIRONMENTS.join(' or ')}, got ${JSON.stringify(environment)}`);
  const name = (k: string, dflt: string, re: RegExp, what: string): string => {
    const v = options[k] ?? dflt;
    if (typeof v !== 'string' || !re.test(v)) return void problems.push(`${k} must be ${what}, got ${JSON.stringify(v)}`), dflt;
    return v;
  };
  const list = (k: string, re: RegExp, what: string): string[] => {
    const v = options[k] ?? [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !re.test(x))) return void problems.push(`${k} must be a list of ${what}`), [];
    return v as string[];
  };
  const positive = (k: string, dflt: number): number => {
    const v = options[k] ?? dflt;
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) return void problems.push(`${k} must be a positive number, got ${JSON.stringify(v)}`), dflt;
    return v;
  };
  let rate: Rate = { tokens: 10, perMs: 1000 };
  try {
    rate = parseRate(options.rateLimit === undefined ? '10/1s' : String(options.rateLimit));
  } catch (e) {
    problems.push(`rateLimit: ${(e as Error).message}`);
  }
  const config: TtConfig = {
    baseUrl,
    environment: environment as TtEnvironment,
    venueId: name('venueId', 'TT', /^[A-Za-z0-9_]+$/, 'letters, digits or _'),
    // TT's requestId is <app_name>-<company_name>--<guid>: a name holding "-" would blur it
    appName: name('appName', 'engine', /^[A-Za-z0-9_.]{1,40}$/, 'letters, digits, _ or . (no "-")'),
    companyName: name('companyName', 'company', /^[A-Za-z0-9_.]{1,40}$/, 'letters, digits, _ or . (no "-")'),
    accountIds: list('accountIds', /^\d+$/, 'account ids (digits, as strings)'),
    markets: list('markets', /^[A-Za-z0-9_ -]+$/, 'market names'),
    products: list('products', /^[A-Za-z0-9_]+$/, 'product symbols'),
    requestTimeoutMs: positive('requestTimeoutMs', 15_000),
    rate,
    tokenRefreshMarginMs: positive('tokenRefreshMarginMs', 60_000),
    applyRiskLimits: ((): boolean => {
      const v = options.applyRiskLimits ?? false;
      if (typeof v !== 'boolean') return void problems.push(`applyRiskLimits must be true or false, got ${JSON.stringify(v)}`), false;
      return v;
    })(),
    credentials: readCredentials(env, problems),
  };
  if (problems.length > 0) throw new TtConfigError(`tt adapter options:\n  - ${problems.join('\n  - ')}`);
  return config;
}

/** TT_APP_KEY and TT_APP_SECRET; the secret may be given as `<key>:<secret>`, as TT's setup shows it. */
function readCredentials(env: Readonly<Record<string, string | undefined>>, problems: string[]): TtCredentials {
  const get = (k: keyof typeof ENV): string => {
    const v = env[ENV[k]];
    if (v === undefined || v.trim() === '') return void problems.push(`environment variable ${ENV[k]} is not set`), '';
    return v.trim();
  };
  const appKey = get('appKey');
  let appSecret = get('appSecret');
  if (appKey !== '' && appSecret.startsWith(`${appKey}:`)) appSecret = appSecret.slice(appKey.length + 1);
  return Object.freeze({
    get appKey() {
      return appKey;
    },
    get appSecret() {
      return appSecret;
    },
    toJSON: () => ({ appKey: '[redacted]', appSecret: '[redacted]' }),
  }) as TtCredentials;
}
