import { describe, expect, it } from 'vitest';
import { loadStrategyState, openDatabase } from '../../engine/persistence/index.js';
import { defineStrategy } from '../../engine/strategy/define-strategy.js';
import { BTC, createNode, START } from './node-fixture.js';

/** Counts its starts in ctx.state; `seen` gets the count each start found. */
function startCounter(seen: unknown[]) {
  return defineStrategy({
    name: 'counter',
    onStart(ctx) {
      const n = ctx.state.get<number>('starts') ?? 0;
      seen.push(n);
      ctx.state.set('starts', n + 1);
      ctx.state.set('last', { at: ctx.now(), tags: ['a', 'b'] });
      if (ctx.state.get('starts') !== n + 1) throw new Error('a value set is not visible at once in the same run');
    },
  });
}

describe('strategy state', () => {
  it('set in one paper node is visible to the next node on the same database and portfolio', () => {
    const seen: unknown[] = [];
    const counter = startCounter(seen);
    const db = openDatabase(':memory:');
    for (let i = 0; i < 3; i++) {
      const f = createNode({ definitions: { counter }, mode: 'paper', portfolio: 'acct', db });
      f.node.start();
      expect(f.node.host.failures).toEqual([]);
      f.node.close();
    }
    expect(seen).toEqual([0, 1, 2]);
    expect(loadStrategyState(db, 'acct-paper', 'counter')).toEqual({ starts: 3, last: { at: START, tags: ['a', 'b'] } });
  });

  it('is scoped to the portfolio: another paper portfolio and a backtest on the same database start empty', () => {
    const seen: unknown[] = [];
    const counter = startCounter(seen);
    const db = openDatabase(':memory:');
    const runs = [
      createNode({ definitions: { counter }, mode: 'paper', portfolio: 'acct', db }),
      createNode({ definitions: { counter }, mode: 'paper', portfolio: 'other', db }),
      createNode({ definitions: { counter }, mode: 'backtest', db }),
    ];
    for (const f of runs) {
      f.node.start();
      f.node.close();
    }
    expect(seen).toEqual([0, 0, 0]);
  });

  it('deletes a key set to undefined', () => {
    const db = openDatabase(':memory:');
    const writer = defineStrategy({ name: 'w', onStart: (ctx) => ctx.state.set('k', 1) });
    const eraser = defineStrategy({ name: 'w', onStart: (ctx) => ctx.state.set('k', undefined) });
    const a = createNode({ definitions: { w: writer }, mode: 'paper', db });
    a.node.start();
    a.node.close();
    expect(loadStrategyState(db, 'default-paper', 'w')).toEqual({ k: 1 });
    const b = createNode({ definitions: { w: eraser }, mode: 'paper', db });
    b.node.start();
    b.node.close();
    expect(loadStrategyState(db, 'default-paper', 'w')).toEqual({});
  });

  it('fails the strategy (not the engine) when a value cannot be persisted', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const s = defineStrategy({ name: 'cyclic', onStart: (ctx) => ctx.state.set('k', cyclic) });
    const f = createNode({ definitions: { s }, mode: 'paper' });
    f.node.start();
    expect(f.node.host.status('cyclic')).toBe('failed');
    expect(f.node.host.failures[0]).toMatchObject({ id: 'cyclic', during: 'onStart' });
    f.node.close();
  });
});

describe('client order ids across paper runs', () => {
  it('resume past every counter this strategy used on the database, under the new run number', () => {
    const ids: string[] = [];
    const s = defineStrategy({
      name: 'placer',
      onStart(ctx) {
        ids.push(ctx.buy(BTC.id, 1, { price: 90 }), ctx.buy(BTC.id, 1, { price: 91 }));
      },
    });
    const db = openDatabase(':memory:');
    for (let i = 0; i < 2; i++) {
      const f = createNode({ definitions: { s }, mode: 'paper', db });
      f.node.start();
      f.node.close();
    }
    expect(ids).toEqual(['placer-1-1', 'placer-1-2', 'placer-2-3', 'placer-2-4']);
  });
});
