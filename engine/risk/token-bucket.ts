/**
 * Compatibility only: the rate limiter is now the exact sliding window in sliding-window.ts (a token bucket let
 * 2N − 1 through in one window). engine/risk/limits.ts still imports parseRate from here; point it at
 * './sliding-window.js' and delete this file.
 */
export { parseRate, type Rate } from './sliding-window.js';
