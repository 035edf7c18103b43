/** A REST route of the simulator: how it is matched, whether it is signed, and its handler. */
import type { SimAccount } from './accounts.js';

export interface RestRequest {
  /** Path parameters (`:symbol` …). */
  readonly path: Readonly<Record<string, string>>;
  /** GET: the query parameters; POST: the JSON body's fields. null counts as absent. */
  readonly params: Readonly<Record<string, unknown>>;
  /** The signed-in account (private routes only). */
  readonly account: SimAccount | undefined;
}

export interface RestRoute {
  /** Names the endpoint for fault switches: "order/newOrder", "md/orderbook". */
  readonly key: string;
  readonly method: 'GET' | 'POST';
  /** Signed (JWT) and rate limited; checks accountId / venue parameters. */
  readonly private: boolean;
  /** The `venue` parameter is required (it is always checked when present). */
  readonly venueRequired?: boolean;
  /** Other `venue` values the route accepts (listCompletedOrder: "use GBBO"). */
  readonly venueAliases?: readonly string[];
  /** Answers wrapped in the standard envelope (/ac/v2 routes) or bare (market data REST). */
  readonly envelope: boolean;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  /** The result (envelope routes) or the body; throws ApifinyFailure for an error answer. */
  handle(req: RestRequest): unknown;
}

/** Compiles "/md/orderbook/v1/:symbol/:venue" into a pattern (a trailing slash is allowed). */
export function compilePath(template: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = template
    .split('/')
    .map((part) => {
      if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(part.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}/?$`), names };
}

export function route(
  method: 'GET' | 'POST',
  template: string,
  key: string,
  options: { private: boolean; envelope: boolean; venueRequired?: boolean; venueAliases?: readonly string[] },
  handle: (req: RestRequest) => unknown,
): RestRoute {
  return { key, method, ...options, ...compilePath(template), handle };
}

/** An optional integer query parameter in [min, max]; undefined when absent. */
export function intParam(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : Number.NaN;
}
