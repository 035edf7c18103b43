import { defineStrategy } from '../engine/strategy/index.js';

/**
 * The typical benchmark strategy (ema-cross.ts) with 10,000 resting emulated stop orders (issue 13): sell stops far
 * under the market, armed on the first quote and never touched, so each tick also passes the emulator's trigger books.
 * Its own order is tracked by id (not ctx.openOrders, which lists the 10,000 stops too).
 */
export default defineStrategy({
  name: 'ema-cross-triggers',
  params: { instrument: 'EURUSD.FXCM', fast: 0.05, slow: 0.005, every: 25, quantity: 10_000, triggers: 10_000 },
  vars: () => ({ fast: 0, slow: 0, n: 0, pending: '' }),
  onTick(ctx, tick) {
    if (tick.kind !== 'quote') return;
    const v = ctx.vars;
    const p = ctx.params;
    if (v.n === 0) for (let i = 0; i < p.triggers; i++) ctx.sell(p.instrument, 1_000, { stop: +(tick.bid / 2 - i * 0.00001).toFixed(5), trigger: 'bid_ask' });
    const mid = (tick.bid + tick.ask) / 2;
    v.fast = v.n === 0 ? mid : v.fast + p.fast * (mid - v.fast);
    v.slow = v.n === 0 ? mid : v.slow + p.slow * (mid - v.slow);
    if (++v.n % p.every !== 0) return;
    const target = v.fast > v.slow ? p.quantity : -p.quantity;
    const position = ctx.position(p.instrument).quantity;
    if (position !== target && v.pending === '') {
      v.pending = ctx.submit({ instrumentId: p.instrument, side: target > position ? 'buy' : 'sell', quantity: Math.abs(target - position) });
    }
  },
  onOrderEvent(ctx, e) {
    const done = e.kind === 'OrderFilled' || e.kind === 'OrderCanceled' || e.kind === 'OrderRejected' || e.kind === 'OrderDenied' || e.kind === 'OrderExpired';
    if (done && e.clientOrderId === ctx.vars.pending && ctx.order(e.clientOrderId)?.status !== 'PARTIALLY_FILLED') ctx.vars.pending = '';
  },
});
