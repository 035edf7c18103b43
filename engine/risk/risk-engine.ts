/**
 * The risk engine: runs the checks in a fixed order and returns the first denial, or the (possibly adjusted) command.
 *
 * Submit order of checks (cheap structural checks first; the rate limit last, so a denied order takes no token):
 *   1. trading state  HALTED                       TRADING_HALTED
 *   2. order shape    quantity, price, type, TIF   INVALID_INTENT, QTY_ZERO, INVALID_PRICE
 *   3. instrument     known                        UNKNOWN_INSTRUMENT
 *   4. price          tick grid, min/max           PRICE_OFF_TICK, INVALID_PRICE, PRICE_BELOW_MIN, PRICE_ABOVE_MAX
 *   5. quantity       step grid, min/max           QTY_OFF_STEP, QTY_ZERO, QTY_BELOW_MIN, QTY_ABOVE_MAX
 *   6. notional       per-order min/max            NOTIONAL_BELOW_MIN, NOTIONAL_ABOVE_MAX
 *   7. price band     fat finger vs last mid       PRICE_BAND
 *   8. trading state  REDUCING, worst case         TRADING_REDUCING
 *   9. reduce-only    worst case                   REDUCE_ONLY
 *  10. open orders    per strategy                 MAX_OPEN_ORDERS
 *  11. position       worst-case qty and notional  POSITION_LIMIT, POSITION_NOTIONAL_LIMIT
 *  12. rate limit     venue, then strategy         RATE_LIMITED
 * Modify: 1, then the target order (UNKNOWN_ORDER, INVALID_INTENT), then 2–12 on the order as it would be after the
 * modify (10 does not apply; 11 counts only the change of quantity, and a raised price is checked for position
 * notional at the new price).
 * Worst case: the open orders of all strategies on the same instrument and side are counted as if they all filled.
 * Cancel: never denied, not even when HALTED or rate limited; it takes a rate token from each bucket that has one.
 */
import type { CancelOrder, ModifyOrder, SubmitOrder } from '../model/commands.js';
import type { InstrumentId, VenueId } from '../model/ids.js';
import { validateLimits } from './limits.js';
import { applyDraft, checkModifyTarget, modifyDraft } from './modify-check.js';
import { checkNotional } from './notional-check.js';
import { checkOpenOrders } from './open-orders-check.js';
import { checkOrderShape } from './order-shape-check.js';
import { checkPositionLimits } from './position-limit-check.js';
import { checkPriceBand } from './price-band-check.js';
import { checkPrice } from './price-check.js';
import { checkQuantity } from './quantity-check.js';
import { checkRateLimit, consumeRateTokens, createRateLimiter } from './rate-limit-check.js';
import { checkReduceOnly } from './reduce-only-check.js';
import { checkReducing, checkTradingState } from './trading-state-check.js';
import {
  approve,
  deny,
  TRADING_STATES,
  type CheckContext,
  type OrderCheck,
  type RiskEnv,
  type RiskLimits,
  type RiskVerdict,
  type TradingState,
} from './types.js';

/** The documented order, as data (names of the steps above). */
export const CHECK_ORDER = [
  'tradingState',
  'orderShape',
  'instrument',
  'price',
  'quantity',
  'notional',
  'priceBand',
  'reducing',
  'reduceOnly',
  'openOrders',
  'positionLimits',
  'rateLimit',
] as const;

/** Steps 4–11: the per-order checks that take the instrument, in order. */
const ORDER_CHECKS: readonly OrderCheck[] = [
  checkPrice,
  checkQuantity,
  checkNotional,
  checkPriceBand,
  checkReducing,
  checkReduceOnly,
  checkOpenOrders,
  checkPositionLimits,
];

export interface RiskEngine {
  readonly state: TradingState;
  /** The kill switch. */
  setTradingState(s: TradingState): void;
  /** How much of the venue's rate limit the last window used (null when none is configured). */
  rateUsage(venue: VenueId): { spec: string; used: number; limit: number } | null;
  /** The command may come back adjusted (rounded price / truncated quantity). */
  checkSubmit(cmd: SubmitOrder): RiskVerdict<SubmitOrder>;
  checkModify(cmd: ModifyOrder): RiskVerdict<ModifyOrder>;
  /** Always passes; takes a rate token when one is available. */
  checkCancel(cmd: CancelOrder): RiskVerdict<CancelOrder>;
}

export interface RiskEngineOptions {
  /** Default ACTIVE. */
  readonly initialState?: TradingState;
  /**
   * The configured instruments. When given, a per-instrument limit (maxOrderQty, minNotional, maxNotional,
   * maxPositionQty, maxPositionNotional) keyed by anything else than `'*'` or one of these ids is a config error.
   */
  readonly instrumentIds?: readonly InstrumentId[];
}

/**
 * Throws (only) on a malformed config: unknown key, negative limit, bad rate spec, a per-instrument limit keyed by an
 * instrument not in `opts.instrumentIds`, unknown initial state. One Error names every problem of the limits.
 */
export function createRiskEngine(limits: RiskLimits, env: RiskEnv, opts: RiskEngineOptions = {}): RiskEngine {
  validateLimits(limits, opts.instrumentIds);
  const assertState = (s: TradingState): TradingState => {
    if (!TRADING_STATES.includes(s)) throw new Error(`unknown trading state ${JSON.stringify(s)}`);
    return s;
  };
  let state = assertState(opts.initialState ?? 'ACTIVE');
  const limiter = createRateLimiter(limits.rateLimits, () => env.now());

  /** Steps 2–12 on a submit, or on the draft of a modify. */
  const checkOrder = (draft: SubmitOrder, modifying?: CheckContext['modifying']): RiskVerdict<SubmitOrder> => {
    const shape = checkOrderShape(draft);
    if (!shape.ok) return shape;
    const instrument = env.instrument(draft.instrumentId);
    if (!instrument) return deny('UNKNOWN_INSTRUMENT', `unknown instrument ${draft.instrumentId}`);
    const ctx: CheckContext = modifying ? { instrument, state, modifying } : { instrument, state };
    let cmd = draft;
    for (const check of ORDER_CHECKS) {
      const v = check(cmd, env, limits, ctx);
      if (!v.ok) return v;
      cmd = v.command;
    }
    return checkRateLimit(cmd, limiter.limitersFor(instrument.venue, cmd.strategyId));
  };

  return {
    get state() {
      return state;
    },
    setTradingState(s) {
      state = assertState(s);
    },
    rateUsage(venue) {
      const l = limiter.venueLimiter(venue);
      if (l === undefined) return null;
      const limit = l.limiter.rate.tokens;
      return { spec: l.spec, used: limit - l.limiter.available(), limit };
    },
    checkSubmit(cmd) {
      const halted = checkTradingState(cmd, state);
      if (!halted.ok) return halted;
      return checkOrder(cmd);
    },
    checkModify(cmd) {
      const halted = checkTradingState(cmd, state);
      if (!halted.ok) return halted;
      const order = env.order(cmd.clientOrderId);
      const target = checkModifyTarget(cmd, order);
      if (!target.ok || !order) return target;
      const v = checkOrder(modifyDraft(cmd, order), order);
      return v.ok ? approve(applyDraft(cmd, v.command)) : v;
    },
    checkCancel(cmd) {
      // An unknown venue (instrument and order both unknown) still draws on the strategy bucket.
      const venue = env.instrument(cmd.instrumentId)?.venue ?? env.order(cmd.clientOrderId)?.venue;
      return consumeRateTokens(cmd, limiter.limitersFor(venue, cmd.strategyId));
    },
  };
}
