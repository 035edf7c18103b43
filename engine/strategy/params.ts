import { ConfigError } from '../config/config.js';
import type { StrategyParams } from './define-strategy.js';

/**
 * A strategy's params: its declared defaults, overridden by config. An override must name a declared param and have the
 * same type as its default (a number stays a number), so a typo in config fails at start, not mid-run.
 */
export function mergeParams(defaults: StrategyParams, overrides: Readonly<Record<string, unknown>>, path: string): StrategyParams {
  const problems: string[] = [];
  for (const [k, v] of Object.entries(overrides)) {
    if (!(k in defaults)) {
      problems.push(`${path}.${k}: unknown param (known: ${Object.keys(defaults).join(', ') || 'none'})`);
      continue;
    }
    const want = kindOf(defaults[k]);
    if (want !== 'null' && kindOf(v) !== want) problems.push(`${path}.${k}: expected ${want}, got ${JSON.stringify(v)}`);
  }
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze({ ...defaults, ...overrides });
}

function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
