import { defineStrategy } from '../engine/strategy/index.js';

/**
 * Demo for the Deriv adapter: when flat, buys a contract (`payout` units of a `<SYMBOL>-CALL.DERIV` instrument at
 * most `maxPrice` per unit, i.e. a stake of at most payout × maxPrice); `holdMs` later it closes it with a market
 * sell before expiry. A contract that expires first is closed by its settlement (the adapter settles it and the
 * engine adopts the close), so the position is flat again and the next contract is bought.
 */
export default defineStrategy({
  name: 'deriv-contracts',
  params: { instrument: 'R_100-CALL.DERIV', payout: 10, maxPrice: 0.55, holdMs: 4_000, everyMs: 1_000 },
  vars: () => ({ boughtAt: 0, pending: false }),
  onStart(ctx) {
    ctx.setTimer('beat', ctx.params.everyMs, { repeat: true });
  },
  onTimer(ctx) {
    const { instrument, payout, maxPrice, holdMs } = ctx.params;
    const v = ctx.vars;
    if (v.pending || ctx.openOrders(instrument).length > 0) return;
    const held = ctx.position(instrument).quantity;
    if (held === 0) {
      v.pending = true;
      ctx.buy(instrument, payout, { price: maxPrice });
    } else if (held > 0 && ctx.now() - v.boughtAt >= holdMs) {
      v.pending = true;
      ctx.sell(instrument, held);
    }
  },
  onOrderEvent(ctx, e) {
    const v = ctx.vars;
    if (e.kind === 'OrderFilled' && e.side === 'buy') v.boughtAt = ctx.now();
    if (e.kind === 'OrderFilled' || e.kind === 'OrderRejected' || e.kind === 'OrderDenied') v.pending = false;
    if (e.kind === 'OrderFilled') ctx.log.info({ side: e.side, payout: e.lastQty, price: e.lastPrice, contract: e.venueOrderId }, 'contract fill');
    if (e.kind === 'OrderRejected' || e.kind === 'OrderDenied') ctx.log.warn({ kind: e.kind, why: e.kind === 'OrderRejected' ? e.reason : e.message }, 'order refused');
  },
});
