import { describe, expect, it } from 'vitest';
import { resolveConfig, sessionPortfolio } from '../../engine/config/config.js';

describe('the portfolio of a session', () => {
  it('keeps paper apart from live by default, and shares it only when the config names the live one', () => {
    const base = { strategies: [], portfolio: 'desk' };
    expect(sessionPortfolio(resolveConfig({ ...base, mode: 'live' }))).toBe('desk');
    expect(sessionPortfolio(resolveConfig({ ...base, mode: 'paper' }))).toBe('desk-paper');
    expect(sessionPortfolio(resolveConfig({ ...base, mode: 'paper', paperPortfolio: 'desk' }))).toBe('desk');
    expect(sessionPortfolio(resolveConfig({ ...base, mode: 'live', paperPortfolio: 'sim' }))).toBe('desk');
    expect(() => resolveConfig({ ...base, paperPortfolio: 'bad name' })).toThrow(/paperPortfolio: .*letters, digits/);
  });
});
