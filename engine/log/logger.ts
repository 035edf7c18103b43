import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/** Keys whose values are secrets wherever they appear (one level of nesting covered by pino paths below). */
const SECRET_KEYS = ['secret', 'apiSecret', 'apiKey', 'password', 'token', 'signature', 'authorization', 'privateKey', 'passphrase'];
const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `headers.${k}`]);

/** The root logger: JSON lines, secrets redacted. */
export function createLogger(opts: { level?: LogLevel; destination?: DestinationStream; name?: string } = {}): Logger {
  return pino(
    {
      name: opts.name ?? 'engine',
      level: opts.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: undefined,
    },
    opts.destination,
  );
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger = (): Logger => pino({ level: 'silent' });

/** A deep copy with every secret-looking key replaced, for anything that is stored or printed (config in the runs table). */
export function redactSecrets<T>(value: T): T {
  const secret = new Set(SECRET_KEYS.map((k) => k.toLowerCase()));
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = secret.has(k.toLowerCase()) ? '[redacted]' : walk(x);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
