import { defineStrategy } from '../../../engine/strategy/index.js';

/**
 * The scenario both the paper test (against the Apifiny simulator) and the backtest walk: the mids, each with what it
 * must have done by then (order name → status), the bid a cent under the mid and the ask a cent over.
 */
export const SCENARIO_PATH: ReadonlyArray<{ readonly mid: number; readonly what: string; readonly expect: Readonly<Record<string, string>> }> = [
  { mid: 30_000, what: 'the bracket entry fills at the ask', expect: { bracketEntry: 'FILLED', otoParent: 'ACCEPTED', stopMarket: 'EMULATED' } },
  { mid: 30_210, what: 'the if-touched sells release; the OCO stop ends with its sibling', expect: { lit: 'FILLED', ocoTouch: 'FILLED', ocoStop: 'CANCELED' } },
  { mid: 30_150, what: 'the trailing stop (50 under the 30,209.99 peak) releases', expect: { trailing: 'FILLED' } },
  { mid: 29_890, what: 'the stops release', expect: { stopMarket: 'FILLED', stopLimit: 'FILLED', mit: 'EMULATED' } },
  { mid: 29_840, what: 'the buy if-touched releases', expect: { mit: 'FILLED' } },
  { mid: 29_740, what: 'the OTO parent fills; its stop child is armed, its limit child rests at the venue', expect: { otoParent: 'FILLED', otoChild: 'EMULATED', otoLimit: 'ACCEPTED' } },
  { mid: 29_690, what: 'the OTO stop child releases once its OCO sibling at the venue is canceled', expect: { otoChild: 'FILLED', otoLimit: 'CANCELED' } },
  { mid: 29_590, what: 'the bracket stop-loss releases; its take-profit ends', expect: { bracketSl: 'FILLED', bracketTp: 'CANCELED' } },
];

/** The price each released order saw at its release on that path; the orders not named here are never released. */
export const SCENARIO_RELEASES: Readonly<Record<string, number>> = {
  lit: 30_209.99, ocoTouch: 30_209.99, trailing: 30_149.99, stopMarket: 29_889.99, stopLimit: 29_889.99, mit: 29_840.01,
  otoChild: 29_689.99, bracketSl: 29_589.99,
};

/**
 * For the scenario tests: on its first quote of `instrument` (the market is at 30,000) one order of
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
    // a bracket by hand: a take-profit resting at the venue once the parent is done, one-cancels-other with the stop
    ids.otoLimit = ctx.sell(instrument, q, { price: 30_000, parent: ids.otoParent, ocoWith: ids.otoChild });
    ids.trailing = ctx.sell(instrument, q, { trailing: 50, trigger: on });
    const b = ctx.bracket({ instrumentId: instrument, side: 'buy', quantity: q, price: 30_000.01, takeProfit: 30_300, stopLoss: 29_600, trigger: on });
    Object.assign(ids, { bracketEntry: b.entry, bracketTp: b.takeProfit, bracketSl: b.stopLoss });
    ctx.state.set('ids', ids);
  },
});
