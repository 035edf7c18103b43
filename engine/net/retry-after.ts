import type { Clock } from '../clock/clock.js';

/**
 * Retry-After (RFC 9110 §10.2.3) in milliseconds: either delay-seconds or an HTTP date. A date is measured against the
 * response's own Date header (the server's clock, so no skew), else against the engine clock when one is given.
 * Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  responseDate?: string | null,
  clock?: Pick<Clock, 'now'>,
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  const sent = responseDate ? Date.parse(responseDate) : Number.NaN;
  const now = Number.isNaN(sent) ? clock?.now() : sent;
  if (now === undefined) return undefined;
  return Math.max(0, at - now);
}
