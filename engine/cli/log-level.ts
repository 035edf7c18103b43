/**
 * Which level a command logs at, and its logger: `--log-level` (any verb) > `LOG_LEVEL` > the config's `log.level` > the
 * verb's default (`info` for paper, live and record; `warn` for backtests and sweeps, whose strategies' `ctx.log.info`
 * lines run to thousands in a replay of a few days). Every command creates its logger through `createCliLogger`.
 */
import { ConfigError } from '../config/config.js';
import { createLogger, LOG_LEVELS, type Logger, type LogLevel } from '../log/logger.js';

export { LOG_LEVELS };

/** The default level of a verb when neither the flag, LOG_LEVEL nor the config set one. */
export const DEFAULT_LOG_LEVEL = { session: 'info', backtest: 'warn' } as const satisfies Record<string, LogLevel>;

/** What a sweep worker thread needs to log like its parent (it has its own copy of this module). */
export interface CliLogSettings {
  readonly flag?: LogLevel;
  /** Readable lines: the parent's standard error is a terminal (a worker's is a pipe to the parent). */
  readonly pretty?: boolean;
}

let settings: CliLogSettings = {};

/** `value` as a level, or a ConfigError naming where it came from ("--log-level", "LOG_LEVEL"). */
export function parseLogLevel(value: string, source: string): LogLevel {
  const v = value.trim().toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(v)) return v as LogLevel;
  throw new ConfigError([`${JSON.stringify(value)} is not one of ${LOG_LEVELS.join(', ')}`], source);
}

/** main.ts: the `--log-level` given on the command line (undefined: none). */
export function setLogLevelFlag(level: LogLevel | undefined): void {
  settings = { ...settings, flag: level };
}

/** The settings a worker thread is started with (see `useCliLogSettings`). */
export function cliLogSettings(): CliLogSettings {
  return { ...settings, pretty: settings.pretty ?? process.stderr.isTTY === true };
}

/** In a worker thread: log as the parent does. */
export function useCliLogSettings(s: CliLogSettings | undefined): void {
  settings = { ...s };
}

/** flag > LOG_LEVEL > config > the verb's default. A LOG_LEVEL that is not a level is a ConfigError. */
export function resolveLogLevel(configLevel: LogLevel | undefined, verbDefault: LogLevel = 'info', env: NodeJS.ProcessEnv = process.env): LogLevel {
  if (settings.flag !== undefined) return settings.flag;
  const fromEnv = env.LOG_LEVEL;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return parseLogLevel(fromEnv, 'LOG_LEVEL');
  return configLevel ?? verbDefault;
}

/** A command's logger on standard error: readable on a terminal, JSON lines when piped. */
export function createCliLogger(opts: {
  configLevel: LogLevel | undefined; verbDefault: LogLevel; engineTime?: () => number | undefined; tap?: (line: string) => void;
}): Logger {
  return createLogger({
    ...(opts.tap && { tap: opts.tap }),
    level: resolveLogLevel(opts.configLevel, opts.verbDefault),
    destination: process.stderr,
    ...(settings.pretty !== undefined && { pretty: settings.pretty, colorize: settings.pretty }),
    ...(opts.engineTime && { engineTime: opts.engineTime }),
  });
}
