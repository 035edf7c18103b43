/**
 * The read side of the API: each GET route's answer, built from the source's snapshots (cheap by contract, so an
 * answer costs one call and one JSON.stringify). Every answer names its schema, `engine.<name>/1` (see API.md).
 */
import { err, ok, type Result } from '../model/result.js';
import { parseLimit } from './http-util.js';
import type { ControlSource } from './source.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;
/** Fills in the combined status answer (and the stream's hello). */
export const STATUS_FILLS = 20;

export type ReadRoute = 'session' | 'venues' | 'strategies' | 'positions' | 'orders' | 'fills' | 'equity' | 'stats' | 'logs' | 'status';

export const READ_ROUTES: readonly ReadRoute[] = ['session', 'venues', 'strategies', 'positions', 'orders', 'fills', 'equity', 'stats', 'logs', 'status'];

export const isReadRoute = (name: string): name is ReadRoute => (READ_ROUTES as readonly string[]).includes(name);

const newest = <T>(rows: readonly T[], limit: number): readonly T[] => (rows.length > limit ? rows.slice(rows.length - limit) : rows);

/** Everything a status screen shows, in one answer (`engine.status/1`). */
export function statusView(source: ControlSource): Record<string, unknown> {
  return {
    schema: 'engine.status/1',
    session: source.session(),
    venues: source.venues(),
    strategies: source.strategies(),
    positions: source.positions(),
    orders: source.openOrders(),
    fills: newest(source.recentFills(STATUS_FILLS), STATUS_FILLS),
    stats: source.stats(),
  };
}

/** The answer of GET /api/v1/<route>, or a message for a bad query (400). */
export function readView(source: ControlSource, route: ReadRoute, query: URLSearchParams): Result<Record<string, unknown>> {
  switch (route) {
    case 'session':
      return ok({ schema: 'engine.session/1', session: source.session() });
    case 'venues':
      return ok({ schema: 'engine.venues/1', venues: source.venues() });
    case 'strategies':
      return ok({ schema: 'engine.strategies/1', strategies: source.strategies() });
    case 'positions':
      return ok({ schema: 'engine.positions/1', positions: source.positions() });
    case 'orders':
      return ok({ schema: 'engine.orders/1', orders: source.openOrders() });
    case 'fills': {
      const limit = parseLimit(query, DEFAULT_LIMIT, MAX_LIMIT);
      if (!limit.ok) return err(limit.error);
      return ok({ schema: 'engine.fills/1', fills: newest(source.recentFills(limit.value), limit.value) });
    }
    case 'equity':
      return ok({ schema: 'engine.equity/1', equity: source.equity() });
    case 'stats':
      return ok({ schema: 'engine.stats/1', stats: source.stats() });
    case 'logs': {
      const limit = parseLimit(query, DEFAULT_LIMIT, MAX_LIMIT);
      if (!limit.ok) return err(limit.error);
      return ok({ schema: 'engine.logs/1', logs: newest(source.recentLogs(limit.value), limit.value) });
    }
    case 'status':
      return ok(statusView(source));
  }
}
