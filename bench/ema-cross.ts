import { defineStrategy } from '../engine/strategy/index.js';

/** Benchmark "typical" strategy: O(1) work per quote, a decision every `every` quotes, few orders. */
export default defineStrategy({
  name: 'ema-cross',
  params: { instrument: 'EURUSD.FXCM', fast: 0.05, slow: 0.005, every: 25, quantity: 10_000 },
  vars: () => ({ fast: 0, slow: 0, n: 0 }),
  onTick(ctx, tick) {
    if (tick.kind !== 'quote') return;
    const v = ctx.vars;
    const p = ctx.params;
    const mid = (tick.bid + tick.ask) / 2;
    v.fast = v.n === 0 ? mid : v.fast + p.fast * (mid - v.fast);
    v.slow = v.n === 0 ? mid : v.slow + p.slow * (mid - v.slow);
    if (++v.n % p.every !== 0) return;
    const target = v.fast > v.slow ? p.quantity : -p.quantity;
    const position = ctx.position(p.instrument).quantity;
    if (position !== target && ctx.openOrders(p.instrument).length === 0) {
      ctx.submit({ instrumentId: p.instrument, side: target > position ? 'buy' : 'sell', quantity: Math.abs(target - position) });
    }
  },
});
