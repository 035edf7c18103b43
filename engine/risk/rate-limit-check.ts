/**
 * Rate limits: one exact sliding-window limiter per venue and one per strategy (sliding-window.ts: never more than N
 * in any window of the configured length). A submit or modify needs room in both and is denied (RATE_LIMITED, never
 * queued) when either is full; room is taken only when all have it, and this check runs last, so a command denied for
 * any reason takes nothing. Cancels are never denied; they take room in each limiter that has some.
 */
import type { Millis, StrategyId, VenueId } from '../model/ids.js';
import { createSlidingWindowLimiter, parseRate, type Rate, type SlidingWindowLimiter } from './sliding-window.js';
import { approve, deny, type RiskLimits, type RiskVerdict } from './types.js';

export interface LabeledLimiter {
  /** Names the limit in a denial message, e.g. `venue SIM`, `strategy mm-1`. */
  readonly label: string;
  readonly spec: string;
  readonly limiter: SlidingWindowLimiter;
}

export interface RateLimiter {
  /** The limiters a command of this strategy to this venue draws on (created on first use); venue first. */
  limitersFor(venue: VenueId | undefined, strategyId: StrategyId): readonly LabeledLimiter[];
  /** The venue's limiter, if one is configured (for the operator's view of how much of it is used). */
  venueLimiter(venue: VenueId): LabeledLimiter | undefined;
}

/** Specs are parsed here, eagerly, so a bad spec throws at construction rather than on the first order. */
export function createRateLimiter(config: RiskLimits['rateLimits'], now: () => Millis): RateLimiter {
  const perVenue = new Map<string, { spec: string; rate: Rate }>();
  for (const [venue, spec] of Object.entries(config?.perVenue ?? {})) {
    perVenue.set(venue, { spec, rate: parseRate(spec) });
  }
  const strategySpec = config?.perStrategy;
  const strategyRate = strategySpec === undefined ? undefined : parseRate(strategySpec);
  const venueLimiters = new Map<VenueId, LabeledLimiter | null>();
  const strategyLimiters = new Map<StrategyId, LabeledLimiter>();

  const venueLimiter = (venue: VenueId): LabeledLimiter | undefined => {
    let l = venueLimiters.get(venue);
    if (l === undefined) {
      // '*' is a default spec: each venue without its own entry still gets its own limiter.
      const cfg = perVenue.get(venue) ?? perVenue.get('*');
      l = cfg ? { label: `venue ${venue}`, spec: cfg.spec, limiter: createSlidingWindowLimiter(cfg.rate, now) } : null;
      venueLimiters.set(venue, l);
    }
    return l ?? undefined;
  };
  const strategyLimiter = (strategyId: StrategyId): LabeledLimiter | undefined => {
    if (strategySpec === undefined || strategyRate === undefined) return undefined;
    let l = strategyLimiters.get(strategyId);
    if (!l) {
      l = { label: `strategy ${strategyId}`, spec: strategySpec, limiter: createSlidingWindowLimiter(strategyRate, now) };
      strategyLimiters.set(strategyId, l);
    }
    return l;
  };
  const limitersFor = (venue: VenueId | undefined, strategyId: StrategyId): readonly LabeledLimiter[] => {
    const out: LabeledLimiter[] = [];
    const v = venue === undefined ? undefined : venueLimiter(venue);
    if (v) out.push(v);
    const s = strategyLimiter(strategyId);
    if (s) out.push(s);
    return out;
  };
  return { limitersFor, venueLimiter };
}

/** Denies when any limiter is full (naming the first, venue before strategy); otherwise takes room in every one. */
export function checkRateLimit<C>(cmd: C, limiters: readonly LabeledLimiter[]): RiskVerdict<C> {
  const last = limiters.length - 1;
  for (let i = 0; i < last; i++) {
    if (!limiters[i]!.limiter.canTake()) return rateLimited(limiters[i]!);
  }
  // The last is checked and taken in one step (a hot path: one clock read less); the others only once it has room.
  if (last >= 0 && !limiters[last]!.limiter.tryTake()) return rateLimited(limiters[last]!);
  for (let i = 0; i < last; i++) limiters[i]!.limiter.tryTake();
  return approve(cmd);
}

const rateLimited = <C>(l: LabeledLimiter): RiskVerdict<C> => deny('RATE_LIMITED', `${l.label} rate limit ${l.spec} exceeded`);

/** For cancels: never denies; takes room for one request in each limiter that has some. */
export function consumeRateTokens<C>(cmd: C, limiters: readonly LabeledLimiter[]): RiskVerdict<C> {
  for (const l of limiters) l.limiter.tryTake();
  return approve(cmd);
}
