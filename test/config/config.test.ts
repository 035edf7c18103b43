import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../engine/config/config.js';
import { loadInstruments } from '../../engine/config/load.js';

const minimal = { strategies: [{ use: 'sma-cross' }] };

function problemsOf(input: unknown): string[] {
  try {
    resolveConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return [...(e as ConfigError).problems];
  }
  throw new Error('expected the config to be refused');
}

describe('resolveConfig', () => {
  it('applies defaults once for every section', () => {
    const c = resolveConfig(minimal);
    expect(c.mode).toBe('backtest');
    expect(c.risk).toMatchObject({ tradingState: 'ACTIVE', pricePolicy: 'round', qtyPolicy: 'truncate' });
    expect(c.storage).toEqual({ path: 'data/engine.db', flushIntervalMs: 5, backtestEvents: 'journal', writerThread: true });
    expect(c.retention).toEqual({ closedOrders: 10_000, minAgeMs: 60_000 });
    expect(c.sim.latencyMs).toBe(0);
    expect(c.strategies[0]!.params).toEqual({});
  });

  it('names the key path and the bad value of a wrong type', () => {
    expect(problemsOf({ ...minimal, risk: { maxNotional: { 'BTCUSD.SIM': 'abc' } } })).toEqual([
      'risk.maxNotional.BTCUSD.SIM: expected a positive number, got "abc"',
    ]);
  });

  it('rejects unknown keys, listing the known ones', () => {
    const [p] = problemsOf({ ...minimal, risk: { maxNotionl: { X: 1 } } });
    expect(p).toMatch(/^risk\.maxNotionl: unknown key \(known: tradingState, pricePolicy/);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({ mode: 'demo', strategies: [{ use: 'x', extra: 1 }], storage: { maxBatch: 0 }, retention: { closedOrders: -1 } });
    expect(problems).toEqual([
      'mode: expected one of "backtest", "paper", "live", got "demo"',
      'strategies[0].extra: unknown key (known: use, id, params, instruments, warmup)',
      'storage.maxBatch: expected a positive integer, got 0',
      'retention.closedOrders: expected a positive integer, got -1',
    ]);
  });

  it('requires strategies and refuses duplicate strategy ids', () => {
    expect(problemsOf({})).toEqual(['strategies: is required (a list of an object)']);
    expect(problemsOf({ strategies: [{ use: 'a' }, { use: 'a' }] })[0]).toMatch(/"a" is used twice/);
  });

  it('checks rate limit specs', () => {
    expect(problemsOf({ ...minimal, risk: { rateLimits: { perStrategy: 'fast' } } })).toEqual([
      'risk.rateLimits.perStrategy: expected a rate like "20/1s", got "fast"',
    ]);
  });

  it('returns a frozen result', () => {
    const c = resolveConfig(minimal);
    expect(Object.isFrozen(c.risk)).toBe(true);
    expect(() => ((c as { mode: string }).mode = 'live')).toThrow();
  });

  it('applies overrides given on the command line over the file', () => {
    expect(resolveConfig(minimal, { mode: 'paper' }).mode).toBe('paper');
  });
});

describe('loadInstruments', () => {
  it('derives grids and reports a bad instrument with its index', () => {
    const spec = { id: 'BTCUSD.SIM', venue: 'SIM', venueSymbol: 'BTCUSD', base: 'BTC', quote: 'USD', tickSize: 0.01, stepSize: 0.0001 };
    const [btc] = loadInstruments(resolveConfig({ ...minimal, instruments: [spec] }));
    expect(btc!.pricePrecision).toBe(2);
    expect(btc!.qtyPrecision).toBe(4);
    expect(() => resolveConfig({ ...minimal, instruments: [{ ...spec, tickSize: -1 }] })).toThrow(/instruments\[0\]\.tickSize: expected a positive number, got -1/);
  });
});
