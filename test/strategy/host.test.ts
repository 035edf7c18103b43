import { filter, map, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { OrderIntent } from '../../engine/model/commands.js';
import type { OrderSide } from '../../engine/model/order.js';
import type { Quote } from '../../engine/model/tick.js';
import { defineStrategy } from '../../engine/strategy/define-strategy.js';
import { BTC, capturingLogger, createNode, START } from './node-fixture.js';

const ERROR = 50;

describe('strategy host: a strategy that throws', () => {
  it('is stopped as failed, its open orders are canceled, the failure names it and the event, and the others trade on', () => {
    const { log, lines } = capturingLogger();
    let faultyTicks = 0;
    let resting = '';
    const steadyTicks: number[] = [];
    const faulty = defineStrategy({
      name: 'faulty',
      onTick(ctx) {
        faultyTicks++;
        if (faultyTicks === 1) resting = ctx.buy(BTC.id, 1, { price: 90 });
        if (faultyTicks === 3) throw new Error('boom');
      },
    });
    const steady = defineStrategy({
      name: 'steady',
      onTick(ctx, tick) {
        steadyTicks.push(tick.tsEvent);
        if (steadyTicks.length >= 3) ctx.buy(BTC.id, 0.1);
      },
    });
    const f = createNode({ definitions: { faulty, steady }, log });
    f.node.start();
    for (let i = 1; i <= 5; i++) f.quote(START + i * 1_000, 99.9, 100.1);
    f.clock.advanceTo(START + 6_000);

    expect(f.node.host.status('faulty')).toBe('failed');
    expect(f.node.host.status('steady')).toBe('running');
    expect(f.node.host.failures).toEqual([{ id: 'faulty', during: `onTick(quote BTCUSD.SIM @${START + 3_000})`, error: 'boom' }]);
    const logged = lines.find((l) => l.level === ERROR && l.strategy === 'faulty');
    expect(logged?.msg).toContain(`strategy faulty failed in onTick(quote BTCUSD.SIM @${START + 3_000}): boom`);
    expect(faultyTicks).toBe(3);

    // the resting order was canceled at the venue once the strategy failed
    expect(f.kinds(resting)).toEqual(['OrderSubmitted', 'OrderAccepted', 'OrderPendingCancel', 'OrderCanceled']);
    expect(f.node.exec.order(resting)?.status).toBe('CANCELED');

    // the other strategy saw every tick and kept trading after the failure
    expect(steadyTicks).toEqual([1, 2, 3, 4, 5].map((i) => START + i * 1_000));
    const steadyFills = f.events().filter((e) => e.kind === 'OrderFilled' && e.strategyId === 'steady');
    expect(steadyFills).toHaveLength(3);
    expect(f.node.portfolio.view(BTC.id).quantity).toBe(0.3);
  });

  it('delivers the fill a tick caused before that tick reaches onTick', () => {
    const trace: string[] = [];
    const s = defineStrategy({
      name: 'tracer',
      onStart(ctx) {
        ctx.buy(BTC.id, 1, { price: 100 });
      },
      onTick(_ctx, tick) {
        trace.push(`tick@${tick.tsEvent}`);
      },
      onOrderEvent(_ctx, e) {
        trace.push(`${e.kind}@${e.tsEvent}`);
      },
    });
    const f = createNode({ definitions: { tracer: s } });
    f.node.start();
    f.quote(START + 1_000, 100.1, 100.3);
    f.quote(START + 2_000, 99.7, 99.9);
    expect(trace).toEqual([
      `OrderSubmitted@${START}`,
      `OrderAccepted@${START}`,
      `tick@${START + 1_000}`,
      `OrderFilled@${START + 2_000}`,
      `tick@${START + 2_000}`,
    ]);
  });
});

describe('strategy host: ctx.submit', () => {
  it('returns <strategyId>-<run>-<counter> at once; the OrderDenied of a malformed intent arrives after the hook returns', () => {
    const trace: string[] = [];
    const maker = defineStrategy({
      name: 'maker',
      onTick(ctx) {
        if (trace.length > 0) return;
        trace.push('onTick:start');
        trace.push(`id:${ctx.submit({ instrumentId: BTC.id, side: 'hold' as unknown as OrderSide, quantity: 1 })}`);
        trace.push(`id:${ctx.submit({ instrumentId: BTC.id, side: 'buy', type: 'market', price: 100, quantity: 1 })}`);
        trace.push(`id:${ctx.buy(BTC.id, 1, { price: 100, timeInForce: 'GTD' })}`);
        trace.push('onTick:end');
      },
      onOrderEvent(_ctx, e) {
        trace.push(e.kind === 'OrderDenied' ? `${e.kind}:${e.clientOrderId}:${e.code}:${e.message}` : e.kind);
      },
    });
    const f = createNode({ definitions: { maker } });
    expect(f.node.runId).toBe(1);
    f.node.start();
    f.quote(START + 1_000, 99.9, 100.1);

    expect(trace).toEqual([
      'onTick:start',
      'id:maker-1-1',
      'id:maker-1-2',
      'id:maker-1-3',
      'onTick:end',
      'OrderDenied:maker-1-1:INVALID_INTENT:side must be "buy" or "sell", got "hold"',
      'OrderDenied:maker-1-2:INVALID_INTENT:a market order takes no price',
      'OrderDenied:maker-1-3:INVALID_INTENT:a GTD order needs expireAt (engine time, ms)',
    ]);
    expect(f.events().map((e) => e.kind)).toEqual(['OrderDenied', 'OrderDenied', 'OrderDenied']);
    expect(f.node.stats.deniedByCode).toEqual({ INVALID_INTENT: 3 });
  });

  it('numbers the client order ids of a second backtest on the same database with its own run', () => {
    const once = defineStrategy({
      name: 'once',
      onStart(ctx) {
        ctx.buy(BTC.id, 1, { price: 90 });
      },
    });
    const first = createNode({ definitions: { once } });
    first.node.start();
    const second = createNode({ definitions: { once }, db: first.db });
    second.node.start();
    expect(second.node.runId).toBe(2);
    expect(second.events()[0]?.clientOrderId).toBe('once-2-1');
  });

  it('denies STRATEGY_STOPPED a submit made after the strategy stopped itself', () => {
    const ids: string[] = [];
    const quitter = defineStrategy({
      name: 'quitter',
      onStart(ctx) {
        ctx.stop('done');
        ids.push(ctx.buy(BTC.id, 1, { price: 90 }));
      },
    });
    const f = createNode({ definitions: { quitter } });
    f.node.start();
    expect(f.node.host.status('quitter')).toBe('stopped');
    expect(f.events()).toMatchObject([{ kind: 'OrderDenied', clientOrderId: ids[0], code: 'STRATEGY_STOPPED' }]);
  });
});

describe('strategy host: RxJS strategies', () => {
  const bidOf = (q: unknown): number => (q as Quote).bid;

  it('an error inside an intents$ pipeline stops only that strategy and cancels its orders', () => {
    const steadyTicks: number[] = [];
    const fragile = defineStrategy({
      name: 'fragile',
      intents$: (ctx): Observable<OrderIntent> =>
        ctx.ticks$(BTC.id).pipe(
          map((t): OrderIntent => {
            if (bidOf(t) > 100) throw new Error('bad tick');
            return { kind: 'submit', instrumentId: BTC.id, side: 'buy', quantity: 1, price: 90 };
          }),
        ),
    });
    const steady = defineStrategy({ name: 'steady', onTick: (_ctx, t) => void steadyTicks.push(t.tsEvent) });
    const f = createNode({ definitions: { fragile, steady } });
    f.node.start();
    f.quote(START + 1_000, 99.9, 100.1);
    f.quote(START + 2_000, 100.5, 100.7);
    f.quote(START + 3_000, 99.9, 100.1);

    expect(f.node.host.status('fragile')).toBe('failed');
    expect(f.node.host.failures).toEqual([{ id: 'fragile', during: 'intents$ pipeline', error: 'bad tick' }]);
    expect(f.node.host.status('steady')).toBe('running');
    expect(steadyTicks).toHaveLength(3);
    expect(f.kinds('fragile-1-1')).toEqual(['OrderSubmitted', 'OrderAccepted', 'OrderPendingCancel', 'OrderCanceled']);
    expect(f.events().filter((e) => e.kind === 'OrderSubmitted')).toHaveLength(1);
  });

  it('does not call onTick of a strategy whose pipeline failed on that same tick', () => {
    const seen: number[] = [];
    const mixed = defineStrategy({
      name: 'mixed',
      intents$: (ctx): Observable<OrderIntent> =>
        ctx.ticks$().pipe(
          map((t) => {
            if (bidOf(t) > 100) throw new Error('bad tick');
            return t;
          }),
          filter((): boolean => false),
        ) as Observable<never>,
      onTick: (_ctx, t) => void seen.push(t.tsEvent),
    });
    const f = createNode({ definitions: { mixed } });
    f.node.start();
    f.quote(START + 1_000, 99.9, 100.1);
    f.quote(START + 2_000, 100.5, 100.7);
    expect(f.node.host.status('mixed')).toBe('failed');
    expect(seen).toEqual([START + 1_000]);
  });
});

describe('strategy host: stopping and identity', () => {
  it('stops every strategy on stopAll: onStop runs once, open orders are canceled', () => {
    let stops = 0;
    let resting = '';
    const s = defineStrategy({
      name: 'stoppable',
      onStart: (ctx) => void (resting = ctx.buy(BTC.id, 1, { price: 90 })),
      onStop: () => void stops++,
    });
    const f = createNode({ definitions: { s } });
    f.node.start();
    f.node.stopStrategies('end of data');
    f.node.stopStrategies('again');
    f.clock.advanceTo(START + 1);
    expect(stops).toBe(1);
    expect(f.node.host.status('stoppable')).toBe('stopped');
    expect(f.node.exec.order(resting)?.status).toBe('CANCELED');
  });

  it('runs onStop once when onStop itself calls ctx.stop()', () => {
    let stops = 0;
    const s = defineStrategy({
      name: 'restopper',
      onStop(ctx) {
        stops++;
        ctx.stop('from onStop');
      },
    });
    const f = createNode({ definitions: { s } });
    f.node.start();
    f.node.stopStrategies('end of data');
    expect(stops).toBe(1);
    expect(f.node.host.status('restopper')).toBe('stopped');
    expect(f.node.host.failures).toEqual([]);
  });

  it('refuses two strategy entries that would run under the same id', () => {
    const sma = defineStrategy({ name: 'sma', onStart: (ctx) => void ctx.buy(BTC.id, 1, { price: 90 }) });
    expect(() => createNode({ definitions: { sma, 'strategies/sma.ts': sma } })).toThrow(/two strategies would run under the id "sma"/);
  });
});

