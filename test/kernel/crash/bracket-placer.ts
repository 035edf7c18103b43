import { defineStrategy } from '../../../engine/strategy/index.js';

/**
 * For the emulated-order kill tests: on its first quote (once, across restarts: `placed` is persisted state) a bracket,
 * a buy (at the market, or `limitEntry`: a limit at the ask, for venues without market buys) with a take-profit and a
 * stop-loss `band` (a fraction of the price) either side of the market, and a trailing sell stop of its own `trail` (a
 * fraction of the price) behind the bid.
 */
export default defineStrategy({
  name: 'bracket-placer',
  params: { instrument: 'BTCUSD.VENUE1', quantity: 0.01, band: 0.001, trail: 0.005, limitEntry: false },
  onTick(ctx, tick) {
    const { instrument, quantity, band, trail, limitEntry } = ctx.params;
    if (tick.kind !== 'quote' || tick.instrumentId !== instrument || ctx.state.get('placed') !== undefined) return;
    const grid = ctx.instrument(tick.instrumentId)!.priceGrid;
    const round = (x: number) => grid.round(x, 'nearest');
    const ids = ctx.bracket({
      instrumentId: tick.instrumentId, side: 'buy', quantity, price: limitEntry ? tick.ask : undefined,
      takeProfit: round(tick.ask * (1 + band)), stopLoss: round(tick.bid * (1 - band)), trigger: 'bid_ask', tag: 'bracket',
    });
    const trailing = ctx.sell(tick.instrumentId, quantity, { trailing: round(tick.bid * trail), trigger: 'bid_ask', tag: 'trailing' });
    ctx.state.set('placed', { ...ids, trailing });
  },
  onOrderEvent(ctx, e) {
    // live holds new orders until the venue is reconciled: a bracket denied then is placed again at the next quote
    const placed = ctx.state.get<{ entry: string; trailing: string }>('placed');
    if (e.kind !== 'OrderDenied' || e.code !== 'NOT_RECONCILED' || e.clientOrderId !== placed?.entry) return;
    ctx.cancel(placed.trailing);
    ctx.state.set('placed', undefined);
  },
});
