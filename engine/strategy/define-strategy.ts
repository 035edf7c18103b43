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
export interface StrategyDefinition<P extends StrategyParams = StrategyParams> {
  readonly name: string;
  readonly params?: P;
  onStart?(ctx: StrategyContext<P>): void;
  onTick?(ctx: StrategyContext<P>, tick: Tick): void;
  onOrderEvent?(ctx: StrategyContext<P>, event: OrderEvent): void;
  onTimer?(ctx: StrategyContext<P>, name: string): void;
  onStop?(ctx: StrategyContext<P>): void;
  /**
   * RxJS style: a pipeline from the context's streams to intents, subscribed at start and unsubscribed at stop.
   * Time-based operators must be given `ctx.scheduler` so they run on engine time.
   */
  intents$?(ctx: StrategyContext<P>): Observable<OrderIntent>;
}

export function defineStrategy<P extends StrategyParams>(definition: StrategyDefinition<P>): StrategyDefinition<P> {
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
export function isStrategyDefinition(x: unknown): x is StrategyDefinition {
  return typeof x === 'object' && x !== null && typeof (x as { name?: unknown }).name === 'string';
}
