/**
 * The simulator's resources behind authentication: ttpds, ttledger, ttmonitor and ttaccount (CONTRACT.md). Each
 * handler answers a status and a JSON-able body (bigints are written as JSON numbers).
 */
import type { SimData, SimFill } from './data.js';
import { accountBook, fillsPage, ordersOf, page } from './views.js';

export interface RouteReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export interface RouteContext {
  readonly data: SimData;
  readonly pageSize: number;
  readonly fillsPerPage: number;
  /** Fills added at run time (tests: a fill made elsewhere), by account. */
  readonly extraFills: ReadonlyMap<number, readonly SimFill[]>;
}

const failed = (status: number, message: string): RouteReply => ({ status, body: { status: 'Failed', message } });
const ok = (body: Record<string, unknown>): RouteReply => ({ status: 200, body: { status: 'Ok', ...body } });
const NS = /^\d{1,20}$/;

function paged<T>(kind: string, field: string, items: readonly T[], q: URLSearchParams, size: number): RouteReply {
  const p = page(kind, items, q.get('nextPageKey'), size);
  if (p === undefined) return failed(400, 'invalid nextPageKey');
  return ok({ lastPage: String(p.lastPage), ...(p.nextPageKey === undefined ? {} : { nextPageKey: p.nextPageKey }), [field]: p.items });
}

function fillsOf(ctx: RouteContext, accountId: number): SimFill[] {
  const base = ctx.data.fills.get(accountId) ?? [];
  const extra = ctx.extraFills.get(accountId) ?? [];
  return extra.length === 0 ? base : [...base, ...extra].sort((a, b) => (a.transactTime < b.transactTime ? -1 : a.transactTime > b.transactTime ? 1 : 0));
}

/** `resource` is the path after `/<service>/<environment>/`. */
export function route(ctx: RouteContext, service: string, method: string, resource: string, q: URLSearchParams): RouteReply {
  const { data } = ctx;
  const account = (raw: string | null): number | undefined => {
    const id = raw === null || !/^\d+$/.test(raw) ? undefined : Number(raw);
    return id !== undefined && data.accounts.some((a) => a.id === id) ? id : undefined;
  };
  if (method !== 'GET') return failed(405, `${method} not allowed on /${service}/…/${resource}`);
  const parts = resource.split('/');
  switch (service) {
    case 'ttpds':
      if (resource === 'markets') return ok({ markets: data.markets });
      if (resource === 'products') {
        const marketId = Number(q.get('marketId'));
        if (!data.markets.some((m) => m.id === marketId)) return failed(400, 'unknown or missing marketId');
        const products = data.products.filter((p) => p.marketId === marketId)
          .map((p) => ({ id: p.id, name: p.name, description: p.description, marketId: p.marketId, productTypeId: p.productTypeId, currency: p.currency }));
        return paged('products', 'products', products, q, ctx.pageSize);
      }
      if (resource === 'instruments') {
        const productId = q.get('productId');
        if (productId === null || !data.products.some((p) => p.id === productId)) return failed(400, 'unknown or missing productId');
        return paged('instruments', 'instruments', data.instruments.filter((i) => i.productId === productId), q, ctx.pageSize);
      }
      if (parts[0] === 'instrument' && parts.length === 2) {
        const found = data.instruments.find((i) => i.id === parts[1]);
        return found === undefined ? failed(404, 'unknown instrument') : ok({ instrument: [found] });
      }
      break;
    case 'ttledger':
      if (resource === 'fills') {
        const id = account(q.get('accountId'));
        if (id === undefined) return failed(400, 'unknown or missing accountId');
        const min = q.get('minTimestamp');
        const max = q.get('maxTimestamp');
        if ((min !== null && !NS.test(min)) || (max !== null && !NS.test(max))) return failed(400, 'minTimestamp and maxTimestamp are nanoseconds since the epoch');
        const p = fillsPage(fillsOf(ctx, id), BigInt(min ?? '0'), max === null ? undefined : BigInt(max), ctx.fillsPerPage);
        return ok({ lastPage: String(p.lastPage), fills: p.fills });
      }
      if (resource === 'orders') {
        // paged as fills are (ours: the same 500 and the same +1 rule, by each order's last change)
        const id = account(q.get('accountId'));
        if (id === undefined) return failed(400, 'unknown or missing accountId');
        const min = q.get('minTimestamp');
        if (min !== null && !NS.test(min)) return failed(400, 'minTimestamp is nanoseconds since the epoch');
        const p = fillsPage(ordersOf(fillsOf(ctx, id)), BigInt(min ?? '0'), undefined, ctx.fillsPerPage);
        return ok({ lastPage: String(p.lastPage), orders: p.fills });
      }
      break;
    case 'ttmonitor': {
      if (resource === 'position') {
        const ids = (q.get('accountIds') ?? '').split(',').filter((s) => s !== '');
        const accounts = ids.length === 0 ? data.accounts.map((a) => a.id) : ids.map((s) => account(s));
        if (accounts.some((a) => a === undefined)) return failed(400, 'unknown account in accountIds');
        const positions = accounts.flatMap((a) => accountBook(data, a!, ctx.extraFills.get(a!)).positions);
        return paged('position', 'positions', positions, q, ctx.pageSize);
      }
      if (parts[0] === 'sod' && parts.length === 2) {
        const id = account(parts[1]!);
        if (id === undefined) return failed(404, 'unknown account');
        return paged('sod', 'sod', accountBook(data, id).sod, q, ctx.pageSize);
      }
      break;
    }
    case 'ttaccount':
      if (resource === 'accounts') return paged('accounts', 'accounts', data.accounts, q, ctx.pageSize);
      if (parts[0] === 'account' && parts.length === 3 && parts[2] === 'limits') {
        const id = account(parts[1]!);
        const limits = id === undefined ? undefined : data.limits.get(id);
        if (limits === undefined) return failed(404, 'unknown account');
        return ok({ accountId: id, tradingAllowed: limits.tradingAllowed, limits: limits.limits });
      }
      break;
  }
  return failed(404, `no resource /${service}/<environment>/${resource}`);
}
