import { pino, type Logger, type DestinationStream } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { terminalFor, type TerminalStream } from './terminal.js';

export type { Logger };
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** Keys whose values are secrets wherever they appear (one level of nesting covered by pino paths below). */
const SECRET_KEYS = ['secret', 'apiSecret', 'apiKey', 'password', 'token', 'signature', 'authorization', 'privateKey', 'passphrase'];
const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `headers.${k}`]);

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go (default: standard output). A TTY (`isTTY`) gets readable lines, anything else JSON lines. */
  destination?: DestinationStream | (TerminalStream & DestinationStream);
  name?: string;
  /** Readable lines instead of JSON (default: whether the destination is a TTY). */
  pretty?: boolean;
  /** Colours in readable lines (default: whether the destination is a TTY). */
  colorize?: boolean;
  /** Engine time (ms) for every line as `engineTime` (ISO): a backtest's simulated clock. */
  engineTime?: () => number | undefined;
  /** Also hands every JSON line (secrets already redacted) to this: the control plane's log tail. Must not throw. */
  tap?: (line: string) => void;
}

/**
 * The root logger, secrets redacted. On a TTY (or with `pretty: true`) each line is formatted by pino-pretty in this
 * process, synchronously (no worker thread, so a line is on the screen when the call returns, in order with the
 * progress line, and nothing is lost at exit), and written through the stream's Terminal, which erases a progress line
 * before the log line and draws it again after (JSON lines on a terminal too). Anywhere else: JSON lines, as they always
 * were. Redaction happens before either (pino's `redact`), so both hide the same secrets.
 *
 * One line never has a key twice: a key the logger's bindings already carry (`venue` of an adapter's child, `strategy`
 * of a strategy's) or one pino writes itself (`level`, `time`) is left out of the call's object when its value is the
 * same, and written as `call.<key>` when it differs (so is a "msg" in the object when a message is given too).
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const dest = opts.destination as (DestinationStream & TerminalStream) | undefined;
  const tty = dest?.isTTY === true;
  const pretty = opts.pretty ?? tty;
  const engineTime = opts.engineTime;
  return pino(
    {
      name: opts.name ?? 'engine',
      level: opts.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: undefined,
      hooks: { logMethod: dedupeLogMethod },
      ...(engineTime && {
        mixin: () => {
          const t = engineTime();
          return t === undefined || !Number.isFinite(t) ? {} : { engineTime: new Date(t).toISOString() };
        },
      }),
    },
    tapped(pretty ? prettyDestination(dest ?? (process.stdout as TerminalStream), opts.colorize ?? tty) : tty ? jsonOnTerminal(dest) : opts.destination, opts.tap),
  );
}

/** The destination, with every line also handed to `tap` first. */
function tapped(destination: DestinationStream | undefined, tap: ((line: string) => void) | undefined): DestinationStream | undefined {
  if (tap === undefined) return destination;
  const inner = destination ?? pino.destination(1);
  return {
    write(line: string) {
      tap(line);
      inner.write(line);
    },
  };
}

/** JSON lines on a terminal (`pretty: false`) still go above its progress line. */
function jsonOnTerminal(stream: TerminalStream): DestinationStream {
  const terminal = terminalFor(stream);
  return { write: (line: string) => terminal.write(line) };
}

/** pino-pretty's formatter, called in this process for each line, written through the stream's Terminal. */
function prettyDestination(stream: TerminalStream, colorize: boolean): DestinationStream {
  const format = prettyFactory({
    colorize,
    translateTime: 'SYS:HH:MM:ss.l',
    // the config key of a venue (venueKey) is in the JSON lines; on a terminal the venue id says enough
    ignore: 'pid,hostname,name,engineTime,venueKey',
    singleLine: true,
    // a backtest's line starts with its engine time (the wall clock is the time column)
    messageFormat: '{if engineTime}[{engineTime}] {end}{msg}',
  });
  const terminal = terminalFor(stream);
  return {
    write(line: string) {
      const text = format(line);
      terminal.write(text.endsWith('\n') ? text : `${text}\n`);
    },
  };
}

/** A logger's bound keys (its chain of child bindings), cached by the bindings' text. */
const boundKeyCache = new Map<string, ReadonlySet<string>>();
const RESERVED = ['level', 'time'];

function boundKeys(log: Logger): ReadonlySet<string> {
  const chindings = (log as unknown as Record<symbol, string>)[pino.symbols.chindingsSym] ?? '';
  let keys = boundKeyCache.get(chindings);
  if (keys === undefined) {
    keys = new Set([...RESERVED, ...Object.keys(log.bindings())]);
    if (boundKeyCache.size < 1_000) boundKeyCache.set(chindings, keys);
  }
  return keys;
}

function dedupeLogMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void): void {
  const obj = args[0];
  if (obj !== null && typeof obj === 'object' && !(obj instanceof Error)) {
    const bound = boundKeys(this);
    // the message argument is written as "msg": a "msg" in the object would be a second one
    const taken = (k: string): boolean => bound.has(k) || (k === 'msg' && args[1] !== undefined);
    let clash = false;
    for (const k in obj) if (taken(k)) clash = true;
    if (clash) {
      const bindings = this.bindings() as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(obj)) {
        if (!taken(k)) out[k] = v;
        else if (!(k in bindings && bindings[k] === v)) out[`call.${k}`] = v;
      }
      args = [out, ...args.slice(1)];
    }
  }
  method.apply(this, args);
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
