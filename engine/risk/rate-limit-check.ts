/**
 * Rate limits: one token bucket per venue and one per strategy. A submit or modify needs a token from both and is
 * denied (RATE_LIMITED, never queued) when either is empty; tokens are taken only when all are available, and this
 * check runs last, so a command denied for any reason consumes nothing. Cancels are never denied; they take a token
 * from each bucket that has one.
 */
import type { Millis, StrategyId, VenueId } from '../model/ids.js';
import { createTokenBucket, parseRate, type Rate, type TokenBucket } from './token-bucket.js';
import { approve, deny, type RiskLimits, type RiskVerdict } from './types.js';

export interface LabeledBucket {
  /** Names the limit in a denial message, e.g. `venue SIM`, `strategy mm-1`. */
  readonly label: string;
  readonly spec: string;
  readonly bucket: TokenBucket;
}

export interface RateLimiter {
  /** The buckets a command of this strategy to this venue draws on (created on first use); venue first. */
  bucketsFor(venue: VenueId | undefined, strategyId: StrategyId): readonly LabeledBucket[];
}

/** Specs are parsed here, eagerly, so a bad spec throws at construction rather than on the first order. */
export function createRateLimiter(config: RiskLimits['rateLimits'], now: () => Millis): RateLimiter {
  const perVenue = new Map<string, { spec: string; rate: Rate }>();
  for (const [venue, spec] of Object.entries(config?.perVenue ?? {})) {
    perVenue.set(venue, { spec, rate: parseRate(spec) });
  }
  const strategySpec = config?.perStrategy;
  const strategyRate = strategySpec === undefined ? undefined : parseRate(strategySpec);
  const venueBuckets = new Map<VenueId, LabeledBucket | null>();
  const strategyBuckets = new Map<StrategyId, LabeledBucket>();

  const venueBucket = (venue: VenueId): LabeledBucket | undefined => {
    let b = venueBuckets.get(venue);
    if (b === undefined) {
      // '*' is a default spec: each venue without its own entry still gets its own bucket.
      const cfg = perVenue.get(venue) ?? perVenue.get('*');
      b = cfg ? { label: `venue ${venue}`, spec: cfg.spec, bucket: createTokenBucket(cfg.rate, now) } : null;
      venueBuckets.set(venue, b);
    }
    return b ?? undefined;
  };
  const strategyBucket = (strategyId: StrategyId): LabeledBucket | undefined => {
    if (strategySpec === undefined || strategyRate === undefined) return undefined;
    let b = strategyBuckets.get(strategyId);
    if (!b) {
      b = { label: `strategy ${strategyId}`, spec: strategySpec, bucket: createTokenBucket(strategyRate, now) };
      strategyBuckets.set(strategyId, b);
    }
    return b;
  };
  return {
    bucketsFor: (venue, strategyId) => {
      const out: LabeledBucket[] = [];
      const v = venue === undefined ? undefined : venueBucket(venue);
      if (v) out.push(v);
      const s = strategyBucket(strategyId);
      if (s) out.push(s);
      return out;
    },
  };
}

/** Denies when any bucket is empty (naming it); otherwise takes one token from every bucket. */
export function checkRateLimit<C>(cmd: C, buckets: readonly LabeledBucket[]): RiskVerdict<C> {
  for (const b of buckets) {
    if (!b.bucket.canTake()) return deny('RATE_LIMITED', `${b.label} rate limit ${b.spec} exceeded`);
  }
  for (const b of buckets) b.bucket.tryTake();
  return approve(cmd);
}

/** For cancels: never denies; takes a token from each bucket that has one. */
export function consumeRateTokens<C>(cmd: C, buckets: readonly LabeledBucket[]): RiskVerdict<C> {
  for (const b of buckets) b.bucket.tryTake();
  return approve(cmd);
}
