/** Signed account endpoints: account/queryAccountInfo, asset/listBalance, order/getCommissionRate. */
import { D } from '../../../engine/model/decimal.js';
import { fail } from './error-codes.js';
import { route, type RestRequest, type RestRoute } from './rest-route.js';
import type { VenueCore } from './venue-core.js';

const THIRTY_DAYS = 30 * 86_400_000;

export function accountRoutes(core: VenueCore): RestRoute[] {
  const signed = { private: true, envelope: true };
  const account = (req: RestRequest) => req.account!;

  const commissionRate = (req: RestRequest) => {
    const a = account(req);
    const symbol = req.params.symbol;
    if (symbol === undefined) fail('BAD_PARAMS', 'symbol is required');
    const spec = typeof symbol === 'string' ? core.market.spec(symbol) : undefined;
    if (spec === undefined) fail('UNKNOWN_SYMBOL', String(symbol));
    const since = core.clock.now() - THIRTY_DAYS;
    let volume = D(0);
    for (const f of core.store.fills(a.accountId)) {
      if (f.wire.lastFilledCreatedAt >= since) volume = volume.plus(D(f.wire.lastFilledPrice).times(f.wire.lastFilledQuantity));
    }
    return [{ accountId: a.subAccountId, tradingVolume: volume.toNumber(), takeFee: spec.takeFee, makeFee: spec.makeFee, specialRate: 0 }];
  };

  return [
    route('GET', '/account/queryAccountInfo', 'account/queryAccountInfo', signed, (req) => {
      const a = account(req);
      const sub = { accountId: a.subAccountId, venue: core.venue, accountStatus: 'OPENED', createdAt: a.createdAt, updatedAt: a.createdAt };
      return [{ accountId: a.accountId, accountStatus: 'OPENED', createdAt: a.createdAt, updatedAt: a.createdAt, subAccountInfo: [sub] }];
    }),
    route('GET', '/asset/listBalance', 'asset/listBalance', signed, (req) => {
      const a = account(req);
      return a.balances.rows().map((r) => ({ accountId: a.subAccountId, venue: core.venue, coin: r.currency, ...r }));
    }),
    route('GET', '/order/getCommissionRate', 'order/getCommissionRate', signed, commissionRate),
    // The official Python SDK calls it under /asset/: served there too.
    route('GET', '/asset/getCommissionRate', 'asset/getCommissionRate', signed, commissionRate),
  ];
}
