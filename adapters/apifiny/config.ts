/** Adapter options (validated, readable errors) and credentials (environment only, never printed). */
import { readFileSync } from 'node:fs';
import { parseRate, type Rate } from '../../engine/risk/sliding-window.js';

export interface ApifinyCredentials {
  readonly accountId: string;
  readonly keyId: string;
  readonly secret: string;
}

export interface ApifinyConfig {
  /** e.g. https://api.apifiny.com/ac/v2/VENUE1 */
  readonly restBaseUrl: string;
  /** e.g. wss://api.apifiny.com/md/ws/v1 */
  readonly mdWsUrl: string;
  /** e.g. wss://api.apifiny.com/ac/ws/v2 — the order stream is `${userWsBaseUrl}/${venue}/order`. */
  readonly userWsBaseUrl: string;
  /** The Apifiny venue name (VENUE1, BINANCE …). */
  readonly venue: string;
  /** The engine's venue id, and the suffix of instrument ids `<SYMBOL>.<venueId>`; default: `venue`. */
  readonly venueId: string;
  readonly requestTimeoutMs: number;
  /** Keep-alive REST connections (default 8); requests beyond them wait for one. */
  readonly restConnections: number;
  /** Shared REST budget of the account (the venue allows 20 requests/s). */
  readonly rate: Rate;
  /** Reconnect a stream that has been silent this long (the venue pings every 30 s). */
  readonly idleTimeoutMs: number;
  /** Seconds a signature stays valid. */
  readonly signatureTtlSeconds: number;
  /** Strategy ids to recognise in order ids that only carry a hash of the strategy (see format.ts). */
  readonly strategies: readonly string[];
  /** Where orders are entered: REST (default) or the FIX 4.2 API (`fix` below). */
  readonly orderEntry: 'rest' | 'fix';
  /** The FIX endpoint (option `fixUrl`, `tcp://host:port` or `tls://host:port`) and session settings, for `orderEntry: 'fix'`. */
  readonly fix: ApifinyFixConfig | undefined;
  readonly credentials: ApifinyCredentials;
}

export interface ApifinyFixConfig {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** HeartBtInt (108) in seconds; the document's settings give 30. */
  readonly heartBtInt: number;
  /** The first reconnect delay's upper bound (the document's ReconnectInterval=5 s), growing to 30 s. */
  readonly reconnectMs: number;
  /** With tls://: certificates (PEM, option `fixCaFile`) trusted beside the system's. */
  readonly ca: string | undefined;
}

export class ApifinyConfigError extends Error {
  override readonly name = 'ApifinyConfigError';
}

const KNOWN = new Set(['restBaseUrl', 'mdWsUrl', 'userWsBaseUrl', 'venue', 'venueId', 'requestTimeoutMs', 'restConnections', 'rateLimit', 'idleTimeoutMs', 'signatureTtlSeconds', 'strategies', 'orderEntry', 'fixUrl', 'fixHeartBtInt', 'fixReconnectMs', 'fixCaFile']);
export const ENV = { accountId: 'APIFINY_ACCOUNT_ID', keyId: 'APIFINY_KEY_ID', secret: 'APIFINY_SECRET' } as const;

export function parseApifinyConfig(options: Readonly<Record<string, unknown>>, env: Readonly<Record<string, string | undefined>>): ApifinyConfig {
  const problems: string[] = [];
  for (const k of Object.keys(options)) if (!KNOWN.has(k)) problems.push(`unknown option "${k}" (known: ${[...KNOWN].join(', ')})`);
  const url = (k: string, schemes: readonly string[]): string => {
    const v = options[k];
    if (typeof v !== 'string' || v === '') return void problems.push(`${k} is required (a ${schemes.join(' or ')} url)`), '';
    try {
      const u = new URL(v);
      if (!schemes.includes(u.protocol.replace(':', ''))) problems.push(`${k} must be a ${schemes.join(' or ')} url, got ${u.protocol}`);
    } catch {
      problems.push(`${k} is not a valid url`);
    }
    return v.replace(/\/+$/, '');
  };
  const positive = (k: string, dflt: number): number => {
    const v = options[k] ?? dflt;
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) return void problems.push(`${k} must be a positive number, got ${JSON.stringify(v)}`), dflt;
    return v;
  };
  const count = (k: string, dflt: number): number => {
    const v = options[k] ?? dflt;
    if (!Number.isSafeInteger(v) || (v as number) < 1) return void problems.push(`${k} must be a whole number ≥ 1, got ${JSON.stringify(v)}`), dflt;
    return v as number;
  };
  const name = (k: string, dflt: string | undefined): string => {
    const v = options[k] ?? dflt;
    if (typeof v !== 'string' || !/^[A-Za-z0-9_]+$/.test(v)) return void problems.push(`${k} must be a name of letters, digits or _, got ${JSON.stringify(v)}`), '';
    return v;
  };
  const restBaseUrl = url('restBaseUrl', ['http', 'https']);
  const mdWsUrl = url('mdWsUrl', ['ws', 'wss']);
  const userWsBaseUrl = url('userWsBaseUrl', ['ws', 'wss']);
  const venue = name('venue', 'VENUE1');
  const venueId = name('venueId', venue || 'VENUE1');
  let rate: Rate = { tokens: 20, perMs: 1000 };
  try {
    rate = parseRate(typeof options.rateLimit === 'string' ? options.rateLimit : options.rateLimit === undefined ? '20/1s' : String(options.rateLimit));
  } catch (e) {
    problems.push(`rateLimit: ${(e as Error).message}`);
  }
  const strategies = options.strategies ?? [];
  if (!Array.isArray(strategies) || strategies.some((s) => typeof s !== 'string')) problems.push('strategies must be an array of strategy ids');
  const orderEntry = options.orderEntry ?? 'rest';
  if (orderEntry !== 'rest' && orderEntry !== 'fix') problems.push(`orderEntry must be "rest" or "fix", got ${JSON.stringify(orderEntry)}`);
  const fix = orderEntry === 'fix' ? fixConfig(options, problems, positive) : undefined;
  const credentials = readCredentials(env, problems);
  const config: ApifinyConfig = {
    restBaseUrl, mdWsUrl, userWsBaseUrl, venue, venueId,
    requestTimeoutMs: positive('requestTimeoutMs', 5_000),
    restConnections: count('restConnections', 8),
    rate,
    idleTimeoutMs: positive('idleTimeoutMs', 75_000),
    signatureTtlSeconds: positive('signatureTtlSeconds', 30),
    strategies: Array.isArray(strategies) ? (strategies as string[]) : [],
    orderEntry: orderEntry === 'fix' ? 'fix' : 'rest',
    fix,
    credentials,
  };
  if (problems.length > 0) throw new ApifinyConfigError(`apifiny adapter options:\n  - ${problems.join('\n  - ')}`);
  return config;
}

function fixConfig(options: Readonly<Record<string, unknown>>, problems: string[], positive: (k: string, dflt: number) => number): ApifinyFixConfig | undefined {
  const heartBtInt = positive('fixHeartBtInt', 30);
  const reconnectMs = positive('fixReconnectMs', 5_000);
  const v = options.fixUrl;
  if (typeof v !== 'string' || v === '') return void problems.push('fixUrl is required with orderEntry "fix" (tcp://host:port or tls://host:port)'), undefined;
  const m = /^(tcp|tls):\/\/([^/:]+|\[[^\]]+\]):(\d{1,5})\/?$/.exec(v);
  const port = m ? Number(m[3]) : 0;
  if (!m || port < 1 || port > 65_535) return void problems.push(`fixUrl must be tcp://host:port or tls://host:port, got ${JSON.stringify(v)}`), undefined;
  if (!Number.isInteger(heartBtInt)) problems.push(`fixHeartBtInt must be a whole number of seconds, got ${heartBtInt}`);
  let ca: string | undefined;
  const caFile = options.fixCaFile;
  if (caFile !== undefined) {
    if (typeof caFile !== 'string' || caFile === '') problems.push('fixCaFile must be the path of a PEM file');
    else if (m[1] !== 'tls') problems.push('fixCaFile is for a tls:// fixUrl');
    else {
      try {
        ca = readFileSync(caFile, 'utf8');
        if (!ca.includes('-----BEGIN CERTIFICATE-----')) problems.push(`fixCaFile ${caFile} holds no PEM certificate`);
      } catch (e) {
        problems.push(`fixCaFile ${caFile} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
    }
  }
  return { host: m[2]!.replace(/^\[|\]$/g, ''), port, tls: m[1] === 'tls', heartBtInt, reconnectMs, ca };
}

function readCredentials(env: Readonly<Record<string, string | undefined>>, problems: string[]): ApifinyCredentials {
  const get = (k: keyof typeof ENV): string => {
    const v = env[ENV[k]];
    if (v === undefined || v.trim() === '') return void problems.push(`environment variable ${ENV[k]} is not set`), '';
    return v.trim();
  };
  const accountId = get('accountId');
  const keyId = get('keyId');
  const secret = get('secret');
  return Object.freeze({
    accountId,
    keyId,
    get secret() {
      return secret;
    },
    toJSON: () => ({ accountId, keyId, secret: '[redacted]' }),
  }) as ApifinyCredentials;
}
