import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../engine/config/config.js';
import { mergeParams } from '../../engine/strategy/params.js';
import { defineStrategy } from '../../engine/strategy/define-strategy.js';
import { createNode } from './node-fixture.js';

const DEFAULTS = { fast: 5, slow: 20, instrument: 'BTCUSD.SIM', enabled: true, levels: [1, 2], extra: null };

const problemsOf = (f: () => unknown): readonly string[] => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
};

describe('mergeParams', () => {
  it('applies overrides over the defaults and returns a frozen object, leaving the defaults untouched', () => {
    const defaults = { ...DEFAULTS };
    const merged = mergeParams(defaults, { fast: 8, instrument: 'ETHUSD.SIM' }, 'strategies[0].params');
    expect(merged).toEqual({ ...DEFAULTS, fast: 8, instrument: 'ETHUSD.SIM' });
    expect(Object.isFrozen(merged)).toBe(true);
    expect(defaults).toEqual(DEFAULTS);
  });

  it('refuses a param the strategy does not declare, naming the path and the known params', () => {
    expect(problemsOf(() => mergeParams(DEFAULTS, { fsat: 8 }, 'strategies[0].params'))).toEqual([
      'strategies[0].params.fsat: unknown param (known: fast, slow, instrument, enabled, levels, extra)',
    ]);
    expect(problemsOf(() => mergeParams({}, { x: 1 }, 'strategies[2].params'))).toEqual([
      'strategies[2].params.x: unknown param (known: none)',
    ]);
  });

  it('refuses a value of another type than the default, with the path in the message', () => {
    expect(problemsOf(() => mergeParams(DEFAULTS, { fast: 'x' }, 'strategies[0].params'))).toEqual([
      'strategies[0].params.fast: expected a number, got "x"',
    ]);
    expect(problemsOf(() => mergeParams(DEFAULTS, { enabled: 'yes', levels: 3 }, 'strategies[1].params'))).toEqual([
      'strategies[1].params.enabled: expected a boolean, got "yes"',
      'strategies[1].params.levels: expected a list, got 3',
    ]);
    expect(problemsOf(() => mergeParams({ risk: { max: 1 } }, { risk: 2 }, 'strategies[2].params'))).toEqual([
      'strategies[2].params.risk: expected an object, got 2',
    ]);
  });

  it('reports every problem at once in the error message', () => {
    let message = '';
    try {
      mergeParams(DEFAULTS, { fast: 'x', nope: 1 }, 'strategies[0].params');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('strategies[0].params.fast: expected a number, got "x"');
    expect(message).toContain('strategies[0].params.nope: unknown param');
  });

  it('accepts any type for a param whose default is null', () => {
    expect(mergeParams(DEFAULTS, { extra: { a: 1 } }, 'p').extra).toEqual({ a: 1 });
  });

  it('is applied by the node at construction, so a typo in config fails before anything runs', () => {
    const sma = defineStrategy({ name: 'sma', params: { fast: 5 }, onTick: () => undefined });
    expect(() => createNode({ definitions: { sma }, entries: [{ use: 'sma', params: { fast: 'x' } }] })).toThrow(
      'strategies[0].params.fast: expected a number, got "x"',
    );
  });

  it('gives the strategy the merged params through ctx.params', () => {
    const got: unknown[] = [];
    const sma = defineStrategy({ name: 'sma', params: { fast: 5, slow: 20 }, onStart: (ctx) => void got.push(ctx.params) });
    const f = createNode({ definitions: { sma }, entries: [{ use: 'sma', params: { slow: 30 } }] });
    f.node.start();
    expect(got).toEqual([{ fast: 5, slow: 30 }]);
    expect(Object.isFrozen(got[0])).toBe(true);
  });
});
