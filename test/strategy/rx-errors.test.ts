import { config, interval, map } from 'rxjs';
import { timeoutProvider } from 'rxjs/internal/scheduler/timeoutProvider';
import { describe, expect, it } from 'vitest';
import { defineStrategy } from '../../engine/strategy/define-strategy.js';
import { BTC, START, createNode } from './node-fixture.js';

describe('errors inside a strategy\'s own RxJS subscriptions', () => {
  it('stop that strategy at the tick that threw, and the others go on', () => {
    const seen: number[] = [];
    const thrower = defineStrategy({
      name: 'thrower',
      onStart(ctx) {
        ctx.ticks$().pipe(map((t) => t.tsEvent)).subscribe((ts) => {
          if (ts >= START + 2_000) throw new Error('boom in a subscription');
        });
      },
    });
    const steady = defineStrategy({ name: 'steady', onTick: (_ctx, t) => void seen.push(t.tsEvent) });
    const f = createNode({ definitions: { thrower, steady } });
    f.node.start();
    for (let i = 1; i <= 4; i++) f.quote(START + i * 1_000, 100, 101);
    expect(f.node.host.status('thrower')).toBe('failed');
    expect(f.node.host.failures).toEqual([
      { id: 'thrower', during: `ticks$ (quote ${BTC.id} @${START + 2_000})`, error: 'boom in a subscription' },
    ]);
    expect(f.node.host.status('steady')).toBe('running');
    expect(seen.length).toBe(4);
  });

  it('stop a strategy whose scheduled work throws, naming it', () => {
    const s = defineStrategy({
      name: 'ticker',
      onStart(ctx) {
        interval(1_000, ctx.scheduler).subscribe((n) => {
          if (n === 2) throw new Error('third beat');
        });
      },
    });
    const f = createNode({ definitions: { s } });
    f.node.start();
    f.clock.advanceTo(START + 10_000);
    expect(f.node.host.failures.map((x) => [x.id, x.during, x.error])).toEqual([['ticker', 'scheduled work (in an RxJS subscription)', 'third beat']]);
  });

  it('cancel a stopped strategy\'s scheduled work', () => {
    const beats: number[] = [];
    const s = defineStrategy({
      name: 'beater',
      onStart(ctx) {
        interval(1_000, ctx.scheduler).subscribe(() => beats.push(ctx.now() - START));
        ctx.setTimer('stop', 3_500);
      },
      onTimer: (ctx) => ctx.stop('enough'),
    });
    const f = createNode({ definitions: { s } });
    f.node.start();
    f.clock.advanceTo(START + 10_000);
    expect(beats).toEqual([1_000, 2_000, 3_000]);
    expect(f.node.host.status('beater')).toBe('stopped');
    expect(f.clock.pendingTimers).toBe(0);
  });

  it('rely on RxJS internals that still exist (an RxJS upgrade that changes them fails here)', () => {
    createNode({ definitions: { s: defineStrategy({ name: 's', onTick: () => {} }) } });
    expect(typeof config.onUnhandledError).toBe('function');
    expect(timeoutProvider.delegate).toBeDefined();
  });
});
