import { defineStrategy } from '../engine/strategy/index.js';

/**
 * Two-sided quoter: every `refreshMs` it replaces a post-only bid and ask `halfSpread` away from the mid,
 * and stops quoting the side that would take its inventory past `maxPosition`.
 */
export default defineStrategy({
  name: 'quoter',
  params: { instrument: 'EURUSD.FXCM', halfSpread: 0.00005, size: 10_000, maxPosition: 50_000, refreshMs: 5_000 },
  onStart(ctx) {
    ctx.setTimer('requote', ctx.params.refreshMs, { repeat: true });
  },
  onTimer(ctx) {
    const { instrument, halfSpread, size, maxPosition } = ctx.params;
    const quote = ctx.lastQuote(instrument);
    if (!quote) return;
    ctx.cancelAll(instrument);
    const mid = (quote.bid + quote.ask) / 2;
    const position = ctx.position(instrument).quantity;
    if (position + size <= maxPosition) ctx.buy(instrument, size, { price: mid - halfSpread, postOnly: true });
    if (position - size >= -maxPosition) ctx.sell(instrument, size, { price: mid + halfSpread, postOnly: true });
  },
  onOrderEvent(ctx, event) {
    if (event.kind === 'OrderFilled') ctx.log.info({ side: event.side, qty: event.lastQty, price: event.lastPrice }, 'quote filled');
  },
});
