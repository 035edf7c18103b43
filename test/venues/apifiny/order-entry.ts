/**
 * newOrder: checks the request as the venue does (symbol, type, side, time in force, price/quantity on the grid and
 * within the symbol's limits, notional, balance, orderId format and uniqueness), freezes the funds, records the order
 * as PENDING_SUBMIT and hands a SubmitOrder to the engine's simulated venue, whose events move it on.
 */
import { D, type Decimal } from '../../../engine/model/decimal.js';
import type { SubmitOrder } from '../../../engine/model/commands.js';
import type { SimAccount } from './accounts.js';
import { ApifinyFailure, fail } from './error-codes.js';
import { createOrderIdGenerator, orderIdProblem } from './order-id.js';
import type { OrderRecord } from './order-store.js';
import type { ApifinyOrderSide, ApifinyOrderType } from './protocol.js';
import type { ApifinySymbolSpec } from './symbols.js';
import type { VenueCore } from './venue-core.js';

const DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;
const nextOrderId = createOrderIdGenerator();

/** A positive decimal given as a string (as documented) or a number; undefined when absent. */
export function decimalParam(v: unknown, name: string): Decimal | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v.trim() : undefined;
  if (s === undefined || !(DECIMAL.test(s) || /^\d+(\.\d+)?e[-+]?\d+$/i.test(s))) fail('BAD_PARAMS', `${name} must be a decimal number`);
  const d = D(s);
  if (!d.gt(0)) fail('BAD_PARAMS', `${name} must be positive`);
  return d;
}

const onGrid = (x: Decimal, step: number): boolean => x.mod(step).isZero();

function checkLimits(spec: ApifinySymbolSpec, price: Decimal | undefined, qty: Decimal | undefined, notional: Decimal | undefined): void {
  if (price !== undefined) {
    if (!onGrid(price, spec.tickSize)) fail('BAD_PARAMS', `limitPrice ${price} is not a multiple of tickSize ${spec.tickSize}`);
    if (price.lt(spec.minPrice) || price.gt(spec.maxPrice)) fail('BAD_PARAMS', `limitPrice outside [${spec.minPrice}, ${spec.maxPrice}]`);
  }
  if (qty !== undefined) {
    if (!onGrid(qty, spec.stepSize)) fail('BAD_PARAMS', `quantity ${qty} is not a multiple of stepSize ${spec.stepSize}`);
    if (qty.lt(spec.minQuantity)) fail('BAD_PARAMS', `quantity below minQuantity ${spec.minQuantity}`);
    if (qty.gt(spec.maxQuantity)) fail('BAD_PARAMS', `quantity above maxQuantity ${spec.maxQuantity}`);
  }
  if (notional !== undefined) {
    if (notional.lt(spec.minNotional)) fail('BAD_PARAMS', `notional ${notional} below minNotional ${spec.minNotional}`);
    if (notional.gt(spec.maxNotional)) fail('BAD_PARAMS', `notional ${notional} above maxNotional ${spec.maxNotional}`);
  }
}

/** The quantity a market buy can get for `spend` (quote, fees included) walking the asks, truncated to the step. */
function quantityForSpend(asks: readonly (readonly [number, number])[], spend: Decimal, spec: ApifinySymbolSpec): Decimal {
  let left = spend.div(1 + spec.takeFee);
  let qty = D(0);
  for (const [price, size] of asks) {
    const cost = D(price).times(size);
    if (cost.lte(left)) {
      qty = qty.plus(size);
      left = left.minus(cost);
    } else {
      qty = qty.plus(left.div(price));
      break;
    }
  }
  return qty.minus(qty.mod(spec.stepSize));
}

const TIF: Record<string, SubmitOrder['timeInForce'] | undefined> = { '1': 'GTC', '3': 'IOC', '7': 'GTC' };

export function placeOrder(core: VenueCore, account: SimAccount, body: Record<string, unknown>): OrderRecord {
  const now = core.clock.now();
  const info = body.orderInfo;
  if (typeof info !== 'object' || info === null) fail('BAD_PARAMS', 'orderInfo is required');
  const p = info as Record<string, unknown>;
  const spec = typeof p.symbol === 'string' ? core.market.spec(p.symbol) : undefined;
  if (spec === undefined) fail('UNKNOWN_SYMBOL', `symbol ${String(p.symbol)}`);
  const orderType = p.orderType as ApifinyOrderType;
  if (orderType !== 'LIMIT' && orderType !== 'MARKET') fail('BAD_PARAMS', 'orderType must be LIMIT or MARKET');
  const orderSide = p.orderSide as ApifinyOrderSide;
  if (orderSide !== 'BUY' && orderSide !== 'SELL') fail('BAD_PARAMS', 'orderSide must be BUY or SELL');
  const tifText = p.timeInForce === undefined || p.timeInForce === null ? '1' : String(p.timeInForce);
  if (tifText === '2') fail('BAD_PARAMS', 'timeInForce 2 (GTD) is temporarily not supported');
  const tif = TIF[tifText];
  if (tif === undefined) fail('BAD_PARAMS', 'timeInForce must be 1 (GTC), 3 (IOC) or 7 (PostOnly)');
  const postOnly = tifText === '7';
  if (postOnly && orderType === 'MARKET') fail('BAD_PARAMS', 'a market order cannot be PostOnly');

  let price: Decimal | undefined;
  let qty: Decimal | undefined;
  let freeze: Decimal;
  if (orderType === 'LIMIT') {
    price = decimalParam(p.limitPrice, 'limitPrice') ?? fail('BAD_PARAMS', 'limitPrice is required for LIMIT');
    qty = decimalParam(p.quantity, 'quantity') ?? fail('BAD_PARAMS', 'quantity is required');
    checkLimits(spec, price, qty, price.times(qty));
    freeze = orderSide === 'BUY' ? price.times(qty).times(1 + spec.takeFee) : qty;
  } else {
    const book = core.market.book(spec.symbol);
    const best = orderSide === 'BUY' ? book?.asks[0] : book?.bids[0];
    if (book === undefined || best === undefined) fail('NO_MARKET', spec.symbol);
    if (orderSide === 'BUY') {
      const total = decimalParam(p.total, 'total') ?? fail('BAD_PARAMS', 'total is required for a MARKET BUY');
      qty = quantityForSpend(book.asks, total, spec);
      checkLimits(spec, undefined, qty, total);
      freeze = total;
    } else {
      qty = decimalParam(p.quantity, 'quantity') ?? fail('BAD_PARAMS', 'quantity is required');
      checkLimits(spec, undefined, qty, qty.times(best[0]));
      freeze = qty;
    }
  }
  const frozenCurrency = orderSide === 'BUY' ? spec.quoteAsset : spec.baseAsset;
  if (account.balances.available(frozenCurrency).lt(freeze)) fail('INSUFFICIENT_BALANCE', `${freeze} ${frozenCurrency} needed`);

  const orderId = resolveOrderId(core, account, body.orderId, now);
  const order: OrderRecord = {
    accountId: account.accountId,
    subAccountId: account.subAccountId,
    venue: core.venue,
    orderId,
    simId: `${account.accountId}:${orderId}`,
    symbol: spec.symbol,
    baseCurrency: spec.baseAsset,
    quoteCurrency: spec.quoteAsset,
    orderType,
    orderSide,
    timeInForce: Number(tifText),
    limitPrice: price === undefined ? null : price.toNumber(),
    quantity: qty.toNumber(),
    filledQuantity: D(0),
    fillNotional: D(0),
    status: 'PENDING_SUBMIT',
    createdAt: now,
    updatedAt: now,
    cancelledUpdatedAt: null,
    filledUpdatedAt: null,
    lastFill: undefined,
    frozenCurrency,
    frozenRemaining: freeze,
    cancelPending: false,
  };
  core.store.add(order);
  account.balances.apply([{ currency: frozenCurrency, frozen: freeze }], now);
  core.events.pushUpdate(order);
  core.sim.submit({
    kind: 'SubmitOrder',
    clientOrderId: order.simId,
    strategyId: 'apifiny-sim',
    instrumentId: core.market.instrument(spec.symbol)!.id,
    side: orderSide === 'BUY' ? 'buy' : 'sell',
    type: orderType === 'LIMIT' ? 'limit' : 'market',
    quantity: order.quantity,
    ...(order.limitPrice !== null ? { price: order.limitPrice } : {}),
    timeInForce: orderType === 'MARKET' ? 'IOC' : tif,
    postOnly,
    reduceOnly: false,
    tsInit: now,
  });
  return order;
}

function resolveOrderId(core: VenueCore, account: SimAccount, given: unknown, now: number): string {
  if (given === undefined || given === null || given === '') {
    let id = nextOrderId(account.accountId, now);
    while (core.store.get(account.accountId, id) !== undefined) id = nextOrderId(account.accountId, now);
    return id;
  }
  if (typeof given !== 'string' && typeof given !== 'number') fail('ORDER_ID_RULE', 'orderId must be a string of digits');
  const id = String(given);
  const problem = orderIdProblem(id, account.accountId, now, core.orderIdMaxSkewMs);
  if (problem !== undefined) throw new ApifinyFailure(problem);
  if (core.store.get(account.accountId, id) !== undefined) fail('DUPLICATE_ORDER_ID', id);
  return id;
}
