/**
 * "Rate limits by Account ID … set at 20 requests per second": a sliding one-second window per account. Only admitted
 * requests count, so a client that backs off is served again as soon as its window has room.
 */
export interface RateLimiter {
  /** Whether `key` may make one more request at `now` (and counts it if so). */
  admit(key: string, now: number): boolean;
}

export function createRateLimiter(limit: number, windowMs = 1000): RateLimiter {
  const hits = new Map<string, number[]>();
  return {
    admit(key, now) {
      let list = hits.get(key);
      if (list === undefined) hits.set(key, (list = []));
      while (list.length > 0 && list[0]! <= now - windowMs) list.shift();
      if (list.length >= limit) return false;
      list.push(now);
      return true;
    },
  };
}
