import type { Observable } from 'rxjs';
import type { OrderIntent } from '../model/commands.js';
import type { OrderEvent } from '../model/events.js';
import type { Tick } from '../model/tick.js';
import type { StrategyContext } from './context.js';

export type StrategyParams = Record<string, unknown>;

/**
 * A strategy: hooks, an RxJS pipeline of intents, or both. The same definition runs in backtest, paper and live.
 * Params declared here are the defaults; config may override them (same keys, same types).
 */
export interface StrategyDefinition<P extends StrategyParams = StrategyParams, V = unknown> {
  readonly name: string;
  readonly params?: P;
  /** Per-instance working memory (`ctx.vars`), made fresh for every run; not persisted (use ctx.state for that). */
  vars?(params: Readonly<P>): V;
  onStart?(ctx: StrategyContext<P, V>): void;
  onTick?(ctx: StrategyContext<P, V>, tick: Tick): void;
  onOrderEvent?(ctx: StrategyContext<P, V>, event: OrderEvent): void;
  onTimer?(ctx: StrategyContext<P, V>, name: string): void;
  onStop?(ctx: StrategyContext<P, V>): void;
  /**
   * RxJS style: a pipeline from the context's streams to intents, subscribed at start and unsubscribed at stop.
   * Time-based operators must be given `ctx.scheduler` so they run on engine time.
   */
  intents$?(ctx: StrategyContext<P, V>): Observable<OrderIntent>;
}

export function defineStrategy<P extends StrategyParams, V = undefined>(definition: StrategyDefinition<P, V>): StrategyDefinition<P, V> {
  if (!definition || typeof definition.name !== 'string' || definition.name.length === 0) {
    throw new TypeError('defineStrategy: a strategy needs a non-empty name');
  }
  const hooks = ['onStart', 'onTick', 'onOrderEvent', 'onTimer', 'onStop', 'intents$'] as const;
  if (!hooks.some((h) => typeof definition[h] === 'function')) {
    throw new TypeError(`defineStrategy(${definition.name}): define at least one of ${hooks.join(', ')}`);
  }
  return Object.freeze(definition);
}

/** True when a module's default export looks like a strategy definition. */
export function isStrategyDefinition(x: unknown): x is StrategyDefinition<StrategyParams, unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { name?: unknown }).name === 'string';
}
