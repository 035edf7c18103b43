/**
 * Every risk denial, through the real execution engine: an OrderDenied with the check's code is published, the order
 * is DENIED, and the venue client receives nothing.
 */
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createSimulatedClock } from '../../engine/clock/simulated-clock.js';
import { createExecutionEngine, type ExecutionEngine } from '../../engine/execution/execution-engine.js';
import type { ExecutionClient } from '../../engine/execution/venue-client.js';
import { silentLogger } from '../../engine/log/logger.js';
import type { SubmitOrder } from '../../engine/model/commands.js';
import type { DenialCode, OrderEvent, VenueOrderEvent } from '../../engine/model/events.js';
import { createPortfolio } from '../../engine/portfolio/portfolio.js';
import { createRiskEngine, type RiskLimits, type TradingState } from '../../engine/risk/index.js';
import { defineInstrument } from '../../engine/model/instrument.js';

const BTC = defineInstrument({
  id: 'BTCUSD.SIM', venue: 'SIM', venueSymbol: 'BTCUSD', base: 'BTC', quote: 'USD', tickSize: 0.01, stepSize: 0.0001, minQty: 0.001, minNotional: 10,
});

function rig(limits: RiskLimits, opts: { state?: TradingState; position?: number; mid?: number } = {}) {
  const clock = createSimulatedClock({ start: 1_000 });
  const sent: unknown[] = [];
  const client: ExecutionClient = {
    venue: 'SIM',
    events$: new Subject<VenueOrderEvent>(),
    submit: (c) => void sent.push(c),
    cancel: (c) => void sent.push(c),
    modify: (c) => void sent.push(c),
  };
  const portfolio = createPortfolio();
  if (opts.position) {
    portfolio.applyFill(BTC.id, { side: opts.position > 0 ? 'buy' : 'sell', lastQty: Math.abs(opts.position), lastPrice: 100, fee: 0, tsEvent: 0 });
  }
  const published: OrderEvent[] = [];
  let exec: ExecutionEngine | undefined;
  const risk = createRiskEngine(limits, {
    instrument: (id) => (id === BTC.id ? BTC : undefined),
    positionQty: (id) => portfolio.quantity(id),
    openOrders: (s) => exec!.openOrders(s),
    openOrdersFor: (i) => exec!.openOrdersFor(i),
    order: (id) => exec!.order(id),
    lastMid: () => opts.mid ?? 100,
    now: () => clock.now(),
  }, { initialState: opts.state });
  exec = createExecutionEngine({
    clock, risk, clients: new Map([['SIM', client]]), instruments: new Map([[BTC.id, BTC]]), portfolio, log: silentLogger(),
    publish: (e) => void published.push(e),
  });
  return { exec, sent, published };
}

let n = 0;
const order = (o: Partial<SubmitOrder>): SubmitOrder => ({
  kind: 'SubmitOrder', clientOrderId: `s-1-${++n}`, strategyId: 's', instrumentId: BTC.id, side: 'buy', type: 'limit',
  quantity: 1, price: 100, timeInForce: 'GTC', postOnly: false, reduceOnly: false, tsInit: 1_000, ...o,
});

const CASES: Array<[DenialCode, RiskLimits, Partial<SubmitOrder>, { state?: TradingState; position?: number }?]> = [
  ['TRADING_HALTED', {}, {}, { state: 'HALTED' }],
  ['TRADING_REDUCING', {}, { side: 'buy' }, { state: 'REDUCING', position: 1 }],
  ['INVALID_INTENT', {}, { quantity: Number.NaN }],
  ['QTY_ZERO', {}, { quantity: 0 }],
  ['INVALID_PRICE', {}, { price: -5 }],
  ['UNKNOWN_INSTRUMENT', {}, { instrumentId: 'NOPE.SIM' }],
  ['PRICE_OFF_TICK', { pricePolicy: 'reject' }, { price: 100.005 }],
  ['QTY_OFF_STEP', { qtyPolicy: 'reject' }, { quantity: 1.00005 }],
  ['QTY_ZERO', {}, { quantity: 0.00001 }], // truncates to zero on the step
  ['QTY_BELOW_MIN', {}, { quantity: 0.0005 }],
  ['QTY_ABOVE_MAX', { maxOrderQty: { '*': 2 } }, { quantity: 3 }],
  ['NOTIONAL_BELOW_MIN', {}, { quantity: 0.05 }],
  ['NOTIONAL_ABOVE_MAX', { maxNotional: { 'BTCUSD.SIM': 500 } }, { quantity: 6 }],
  ['PRICE_BAND', { priceBandPct: 5 }, { price: 120 }],
  ['REDUCE_ONLY', {}, { reduceOnly: true, side: 'buy' }, { position: 1 }],
  ['POSITION_LIMIT', { maxPositionQty: { '*': 2 } }, { quantity: 1.5 }, { position: 1 }],
  ['POSITION_NOTIONAL_LIMIT', { maxPositionNotional: { '*': 150 } }, { quantity: 1 }, { position: 1 }],
];

describe('a risk denial never reaches the venue', () => {
  it.each(CASES)('%s: OrderDenied with its code, order DENIED, nothing sent', (code, limits, o, opts) => {
    const { exec, sent, published } = rig(limits, opts);
    const cmd = order(o);
    exec.submit(cmd);
    expect(published.map((e) => e.kind)).toEqual(['OrderDenied']);
    expect(published[0]).toMatchObject({ kind: 'OrderDenied', code, clientOrderId: cmd.clientOrderId });
    expect((published[0] as { message: string }).message.length).toBeGreaterThan(10);
    expect(exec.order(cmd.clientOrderId)?.status).toBe('DENIED');
    expect(sent).toEqual([]);
  });

  it('MAX_OPEN_ORDERS: the order over the limit is denied and not sent', () => {
    const { exec, sent, published } = rig({ maxOpenOrders: 2 });
    for (let i = 0; i < 3; i++) exec.submit(order({}));
    expect(sent.length).toBe(2);
    expect(published.at(-1)).toMatchObject({ kind: 'OrderDenied', code: 'MAX_OPEN_ORDERS' });
  });

  it('RATE_LIMITED: over the budget is denied, not queued, and not sent', () => {
    const { exec, sent, published } = rig({ rateLimits: { perVenue: { SIM: '3/1s' } } });
    for (let i = 0; i < 5; i++) exec.submit(order({}));
    expect(sent.length).toBe(3);
    expect(published.filter((e) => e.kind === 'OrderDenied').map((e) => (e as { code: string }).code)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('an approved order is the only thing sent, with its price rounded on the safe side', () => {
    const { exec, sent } = rig({});
    exec.submit(order({ price: 100.017 }));
    expect(sent).toEqual([expect.objectContaining({ kind: 'SubmitOrder', price: 100.01 })]);
  });
});
