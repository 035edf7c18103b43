export * from './types.js';
export { createRiskEngine, CHECK_ORDER, type RiskEngine, type RiskEngineOptions } from './risk-engine.js';
export { parseRate, createSlidingWindowLimiter, type Rate, type SlidingWindowLimiter } from './sliding-window.js';
export {
  createRateLimiter,
  checkRateLimit,
  consumeRateTokens,
  type LabeledLimiter,
  type RateLimiter,
} from './rate-limit-check.js';
export { limitFor, validateLimits } from './limits.js';
export { checkTradingState, checkReducing } from './trading-state-check.js';
export { checkOrderShape } from './order-shape-check.js';
export { checkPrice } from './price-check.js';
export { checkQuantity } from './quantity-check.js';
export { checkNotional } from './notional-check.js';
export { checkPriceBand } from './price-band-check.js';
export { checkReduceOnly } from './reduce-only-check.js';
export { checkOpenOrders } from './open-orders-check.js';
export { checkPositionLimits } from './position-limit-check.js';
export { checkModifyTarget, modifyDraft, applyDraft } from './modify-check.js';
