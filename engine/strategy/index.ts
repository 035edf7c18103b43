export { defineStrategy, type StrategyDefinition, type StrategyParams } from './define-strategy.js';
export type { BracketOrder, StrategyContext, StrategyState, OrderOptions } from './context.js';
export type { OrderIntent } from '../model/commands.js';
export type { OrderEvent } from '../model/events.js';
export type { Tick, Quote, BookSnapshot, Trade, Bar } from '../model/tick.js';
