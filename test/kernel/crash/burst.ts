/**
 * The kill -9 harness's strategy: about six orders a second on one instrument — IOC buys and sells that cross the
 * spread (they fill at once, or are canceled unfilled), and resting buys below the market that it cancels a moment
 * later — so a crash can land between any send and its answer.
 */
import { defineStrategy } from '../../../engine/strategy/index.js';

export default defineStrategy({
  name: 'burst',
  params: { instrument: 'BTCUSD.VENUE1', periodMs: 160, quantity: 0.001, restMs: 400 },
  vars: () => ({ n: 0 }),
  onStart(ctx) {
    ctx.setTimer('burst', ctx.params.periodMs, { repeat: true });
  },
  onTimer(ctx) {
    const { instrument, quantity, restMs } = ctx.params;
    const book = ctx.lastBook(instrument);
    const bid = book?.bids[0]?.price;
    const ask = book?.asks[0]?.price;
    if (bid === undefined || ask === undefined) return;
    const step = ctx.vars.n++ % 4;
    if (step === 0) ctx.buy(instrument, quantity, { price: ask * 1.002, timeInForce: 'IOC' });
    else if (step === 1) ctx.sell(instrument, quantity, { price: bid * 0.998, timeInForce: 'IOC' });
    else if (step === 2) ctx.buy(instrument, quantity, { price: bid * 0.995, timeInForce: 'GTC' });
    else {
      // cancel what has rested long enough (orders taken over from a killed run included)
      for (const o of ctx.openOrders(instrument)) if (ctx.now() - o.tsInit >= restMs) ctx.cancel(o.clientOrderId);
    }
  },
});
