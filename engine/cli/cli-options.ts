/**
 * Option values the command line checks before any work starts: a wrong one is commander's one-line error and exit
 * code 2 (see main.ts), never a run that fails later.
 */
import { InvalidArgumentError } from 'commander';

/**
 * A time on the command line: epoch milliseconds (digits only) or an ISO date; undefined when it is neither, or names
 * a day that does not exist (Date.parse takes 2014-02-30 for March 2).
 */
export function parseTime(value: string): number | undefined {
  const s = value.trim();
  if (/^\d+$/.test(s)) return Number(s);
  const ymd = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (ymd) {
    const [year, month, day] = [Number(ymd[1]), Number(ymd[2]), Number(ymd[3])];
    if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  }
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `--from` / `--to`: kept as written (the config takes the same strings), refused when it is not a time. */
export function timeOption(value: string): string {
  if (parseTime(value) === undefined) throw new InvalidArgumentError('expected an ISO date (2014-05-05, 2014-05-05T10:30:00Z) or epoch milliseconds');
  return value;
}

/** A whole number from `min` up, e.g. `--workers 4`, `--limit 20`. */
export const wholeNumberOption = (min: number) => (value: string): number => {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number, ${min} or more`);
  return n;
};
