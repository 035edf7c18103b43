import { defineStrategy } from '../engine/strategy/index.js';

/** Benchmark strategy: one IOC market order on every quote, alternating sides (every tick → order → fill). */
export default defineStrategy({
  name: 'every-tick',
  params: { instrument: 'EURUSD.FXCM', quantity: 1_000 },
  vars: () => ({ n: 0 }),
  onTick(ctx, tick) {
    if (tick.kind !== 'quote') return;
    const side = ctx.vars.n++ % 2 === 0 ? 'buy' : 'sell';
    ctx.submit({ instrumentId: ctx.params.instrument, side, quantity: ctx.params.quantity, timeInForce: 'IOC' });
  },
});
