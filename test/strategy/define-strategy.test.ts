import { describe, expect, it } from 'vitest';
import { defineStrategy, isStrategyDefinition, type StrategyDefinition } from '../../engine/strategy/define-strategy.js';

describe('defineStrategy', () => {
  it('refuses a strategy without a name', () => {
    expect(() => defineStrategy({ name: '', onTick: () => undefined })).toThrow(TypeError);
    expect(() => defineStrategy({ name: '', onTick: () => undefined })).toThrow('a strategy needs a non-empty name');
    expect(() => defineStrategy({ onTick: () => undefined } as unknown as StrategyDefinition)).toThrow('non-empty name');
  });

  it('refuses a strategy without any hook, listing the hooks it could define', () => {
    expect(() => defineStrategy({ name: 'idle', params: { a: 1 } })).toThrow(
      'defineStrategy(idle): define at least one of onStart, onTick, onOrderEvent, onTimer, onStop, intents$',
    );
  });

  it('accepts a strategy with only an intents$ pipeline and returns it frozen', () => {
    const def = defineStrategy({ name: 'piped', intents$: () => ({}) as never });
    expect(Object.isFrozen(def)).toBe(true);
    expect(isStrategyDefinition(def)).toBe(true);
  });

  it('tells a strategy definition from other module exports', () => {
    expect(isStrategyDefinition({ name: 'x' })).toBe(true);
    expect(isStrategyDefinition(undefined)).toBe(false);
    expect(isStrategyDefinition(() => undefined)).toBe(false);
    expect(isStrategyDefinition({ name: 3 })).toBe(false);
  });
});
