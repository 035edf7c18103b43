import { defineStrategy } from '../../../engine/strategy/index.js';

/**
 * For the paper scenario test: on its first quote of `instrument` (the test holds the market at 30,000) one order of
 * every emulated type and contingency, 0.01 each, all watching bid and ask; their ids go to state `ids`.
 */
export default defineStrategy({
  name: 'scenario-placer',
  params: { instrument: 'BTCUSD.VENUE1' },
  onTick(ctx, tick) {
    const { instrument } = ctx.params;
    if (tick.kind !== 'quote' || tick.instrumentId !== instrument || ctx.state.get('ids') !== undefined) return;
    const q = 0.01;
    const on = 'bid_ask' as const;
    const ids: Record<string, string> = {};
    ids.stopMarket = ctx.sell(instrument, q, { stop: 29_900, trigger: on });
    ids.stopLimit = ctx.sell(instrument, q, { stop: 29_900, price: 29_850, trigger: on });
    ids.mit = ctx.buy(instrument, q, { touch: 29_850, trigger: on });
    ids.lit = ctx.sell(instrument, q, { touch: 30_100, price: 30_100, trigger: on });
    ids.ocoTouch = ctx.sell(instrument, q, { touch: 30_200, price: 30_150, trigger: on });
    ids.ocoStop = ctx.sell(instrument, q, { stop: 29_800, trigger: on, ocoWith: ids.ocoTouch });
    ids.otoParent = ctx.buy(instrument, q, { price: 29_750 });
    ids.otoChild = ctx.sell(instrument, q, { stop: 29_700, trigger: on, parent: ids.otoParent });
    ids.trailing = ctx.sell(instrument, q, { trailing: 50, trigger: on });
    const b = ctx.bracket({ instrumentId: instrument, side: 'buy', quantity: q, price: 30_000.01, takeProfit: 30_300, stopLoss: 29_600, trigger: on });
    Object.assign(ids, { bracketEntry: b.entry, bracketTp: b.takeProfit, bracketSl: b.stopLoss });
    ctx.state.set('ids', ids);
  },
});
