import { defineStrategy } from '../engine/strategy/index.js';

/** Moving-average crossover: long when the fast average of the mid is above the slow one, short when below. */
export default defineStrategy({
  name: 'sma-cross',
  params: { instrument: 'EURUSD.FXCM', fast: 50, slow: 400, quantity: 10_000 },
  vars: () => ({ mids: [] as number[] }),
  onTick(ctx, tick) {
    const { instrument, fast, slow, quantity } = ctx.params;
    if (tick.kind !== 'quote' || tick.instrumentId !== instrument) return;
    const mids = ctx.vars.mids;
    mids.push((tick.bid + tick.ask) / 2);
    if (mids.length > slow) mids.shift();
    if (mids.length < slow || ctx.openOrders(instrument).length > 0) return;

    const average = (n: number) => mids.slice(-n).reduce((a, b) => a + b, 0) / n;
    const target = average(fast) > average(slow) ? quantity : -quantity;
    const position = ctx.position(instrument).quantity;
    if (position < target) ctx.buy(instrument, target - position, { tag: 'cross' });
    if (position > target) ctx.sell(instrument, position - target, { tag: 'cross' });
  },
});
