import { describe, expect, it } from 'vitest';
import { defineStrategy } from '../../engine/strategy/define-strategy.js';
import { BTC, createNode, START } from './node-fixture.js';

describe('strategy timers', () => {
  it('fire onTimer at engine time, repeat until canceled, and a canceled timer never fires', () => {
    const fired: Array<[string, number]> = [];
    const timed = defineStrategy({
      name: 'timed',
      onStart(ctx) {
        ctx.setTimer('once', 500);
        ctx.setTimer('every', 300, { repeat: true });
        ctx.setTimer('never', 400);
        ctx.cancelTimer('never');
      },
      onTimer(ctx, name) {
        fired.push([name, ctx.now() - START]);
        if (name === 'every' && ctx.now() - START >= 900) ctx.cancelTimer('every');
      },
    });
    const f = createNode({ definitions: { timed } });
    f.node.start();
    f.clock.advanceTo(START + 5_000);
    expect(fired).toEqual([['every', 300], ['once', 500], ['every', 600], ['every', 900]]);
    expect(f.clock.pendingTimers).toBe(0);
  });

  it('replaces a timer set again under the same name', () => {
    const fired: number[] = [];
    const s = defineStrategy({
      name: 'replacer',
      onStart(ctx) {
        ctx.setTimer('t', 1_000);
        ctx.setTimer('t', 200);
      },
      onTimer: (ctx) => void fired.push(ctx.now() - START),
    });
    const f = createNode({ definitions: { s } });
    f.node.start();
    f.clock.advanceTo(START + 2_000);
    expect(fired).toEqual([200]);
  });

  it('keeps the existing timer when setTimer is called again with an invalid delay (and the hook fails)', () => {
    const fired: number[] = [];
    const s = defineStrategy({
      name: 'badDelay',
      onStart(ctx) {
        ctx.setTimer('t', 300);
        try {
          ctx.setTimer('t', -1);
        } catch (e) {
          ctx.log.warn({ err: e }, 'refused');
        }
      },
      onTimer: (ctx) => void fired.push(ctx.now() - START),
    });
    const f = createNode({ definitions: { s } });
    f.node.start();
    f.clock.advanceTo(START + 1_000);
    expect(fired).toEqual([300]);
  });

  it('can trade from onTimer, at the timer time', () => {
    const s = defineStrategy({
      name: 'scheduled',
      onStart: (ctx) => ctx.setTimer('buy', 1_500),
      onTimer: (ctx) => void ctx.buy(BTC.id, 0.5),
    });
    const f = createNode({ definitions: { s } });
    f.node.start();
    f.quote(START + 1_000, 99.9, 100.1);
    f.quote(START + 2_000, 99.9, 100.1);
    expect(f.events().filter((e) => e.kind === 'OrderFilled')).toMatchObject([{ tsEvent: START + 1_500, lastPrice: 100.1, lastQty: 0.5 }]);
  });

  it('do not fire for a strategy that stopped', () => {
    const fired: string[] = [];
    const s = defineStrategy({
      name: 'stopper',
      onStart(ctx) {
        ctx.setTimer('later', 2_000);
        ctx.setTimer('tick', 500, { repeat: true });
      },
      onTick: (ctx) => ctx.stop('enough'),
      onTimer: (_ctx, name) => void fired.push(name),
    });
    const f = createNode({ definitions: { s } });
    f.node.start();
    f.quote(START + 1_000, 99.9, 100.1);
    f.clock.advanceTo(START + 10_000);
    expect(f.node.host.status('stopper')).toBe('stopped');
    expect(fired).toEqual(['tick', 'tick']);
  });

  it('do not fire for a strategy that failed', () => {
    const fired: string[] = [];
    const s = defineStrategy({
      name: 'crasher',
      onStart: (ctx) => ctx.setTimer('later', 2_000),
      onTick() {
        throw new Error('crash');
      },
      onTimer: (_ctx, name) => void fired.push(name),
    });
    const f = createNode({ definitions: { s } });
    f.node.start();
    f.quote(START + 1_000, 99.9, 100.1);
    f.clock.advanceTo(START + 10_000);
    expect(f.node.host.status('crasher')).toBe('failed');
    expect(fired).toEqual([]);
  });

  it('stop a strategy whose onTimer throws, naming the timer', () => {
    const s = defineStrategy({
      name: 'badtimer',
      onStart: (ctx) => ctx.setTimer('oops', 100),
      onTimer() {
        throw new Error('timer broke');
      },
    });
    const f = createNode({ definitions: { s } });
    f.node.start();
    f.clock.advanceTo(START + 1_000);
    expect(f.node.host.failures).toEqual([{ id: 'badtimer', during: 'onTimer(oops)', error: 'timer broke' }]);
  });
});
