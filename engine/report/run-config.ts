/** What the report reads from a run's stored config (runs.config_json, the resolved and redacted EngineConfig). */
import { isObject } from './is-object.js';
import type { StrategyRef } from './run-report.js';

/** The configured strategies, as `{ id, use }` (id defaults to use). */
export function strategiesOf(config: unknown): StrategyRef[] {
  if (!isObject(config) || !Array.isArray(config.strategies)) return [];
  return config.strategies.filter(isObject).map((s) => {
    const use = typeof s.use === 'string' ? s.use : '?';
    return { id: typeof s.id === 'string' ? s.id : use, use };
  });
}

/** Contract sizes of instruments configured inline (an instruments file is not read: those count as 1). */
export function contractSizesOf(config: unknown): Map<string, number> {
  const out = new Map<string, number>();
  if (!isObject(config) || !Array.isArray(config.instruments)) return out;
  for (const i of config.instruments) {
    if (isObject(i) && typeof i.id === 'string' && typeof i.contractSize === 'number' && i.contractSize > 0) out.set(i.id, i.contractSize);
  }
  return out;
}

/** The configured starting capital (backtest.capital), if any. */
export function capitalOf(config: unknown): number | undefined {
  if (!isObject(config) || !isObject(config.backtest)) return undefined;
  const c = config.backtest.capital;
  return typeof c === 'number' && Number.isFinite(c) ? c : undefined;
}
