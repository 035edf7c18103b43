/**
 * The execution engine against the real simulated venue, wired through a dispatcher as trading-node.ts wires them:
 * venue events enter through dispatcher.run, clock timers through dispatcher.post.
 */
import { describe, expect, it } from 'vitest';
import { createSimulatedClock } from '../../engine/clock/simulated-clock.js';
import { createExecutionEngine, type ExecutionEngine } from '../../engine/execution/execution-engine.js';
import { createDispatcher } from '../../engine/kernel/dispatcher.js';
import { silentLogger } from '../../engine/log/logger.js';
import type { SubmitOrder } from '../../engine/model/commands.js';
import type { OrderEvent } from '../../engine/model/events.js';
import { defineInstrument } from '../../engine/model/instrument.js';
import type { OrderStatus } from '../../engine/model/order.js';
import type { Tick } from '../../engine/model/tick.js';
import { createPortfolio } from '../../engine/portfolio/portfolio.js';
import { createRiskEngine } from '../../engine/risk/index.js';
import { createSimVenue } from '../../engine/sim/index.js';

const ID = 'BTCUSD.SIM';
const LATENCY = 5;

function wire() {
  const log = silentLogger();
  const dispatcher = createDispatcher(log);
  const clock = createSimulatedClock({ start: 1_000, runner: (work) => dispatcher.post(work) });
  const instrument = defineInstrument({
    id: ID, venue: 'SIM', venueSymbol: 'BTCUSD', base: 'BTC', quote: 'USD', tickSize: 0.1, stepSize: 0.001, makerFee: 0.0002, takerFee: 0.001,
  });
  const instruments = new Map([[ID, instrument]]);
  const venue = createSimVenue({ venue: 'SIM', clock, instruments, latency: { submitMs: LATENCY, cancelMs: LATENCY, modifyMs: LATENCY } });
  const portfolio = createPortfolio();
  const published: Array<{ event: OrderEvent; status: OrderStatus }> = [];
  let exec: ExecutionEngine | undefined;
  const risk = createRiskEngine({}, {
    instrument: (id) => instruments.get(id),
    positionQty: (id) => portfolio.quantity(id),
    openOrders: (sid) => exec!.openOrders(sid),
    openOrdersFor: (id) => exec!.openOrdersFor(id),
    order: (id) => exec!.order(id),
    lastMid: () => undefined,
    now: () => clock.now(),
  });
  const engine = createExecutionEngine({
    clock, risk, clients: new Map([['SIM', venue]]), instruments, portfolio, log,
    publish: (event, order) => void published.push({ event, status: order.status }),
  });
  exec = engine;
  const onVenueEvent = engine.onVenueEvent;
  venue.events$.subscribe((ev) => dispatcher.run(onVenueEvent, ev));
  const onTick = (tick: Tick): void => venue.onTick(tick);

  let counter = 0;
  return {
    clock, exec: engine, portfolio, published,
    /** Moves engine time to t (firing venue timers) and feeds a quote. */
    quote(t: number, bid: number, ask: number, sizes: { bidSize?: number; askSize?: number } = {}) {
      clock.advanceTo(t);
      dispatcher.run(onTick, { kind: 'quote', instrumentId: ID, tsEvent: t, tsInit: t, bid, ask, ...sizes });
    },
    submit(over: Partial<SubmitOrder>): string {
      const cmd: SubmitOrder = {
        kind: 'SubmitOrder', clientOrderId: `s1-1-${++counter}`, strategyId: 's1', instrumentId: ID, side: 'buy', type: 'limit',
        quantity: 1, timeInForce: 'GTC', postOnly: false, reduceOnly: false, tsInit: clock.now(), ...over,
      };
      dispatcher.post(() => engine.submit(cmd));
      return cmd.clientOrderId;
    },
    history: (id: string) => published.filter((p) => p.event.clientOrderId === id).map((p) => [p.event.kind, p.status, p.event.tsEvent]),
    cmdBase: (id: string) => ({ clientOrderId: id, venueOrderId: engine.order(id)?.venueOrderId, strategyId: 's1', instrumentId: ID, tsInit: clock.now() }),
  };
}

describe('execution engine with the simulated venue', () => {
  it('submits, is accepted after the venue latency, and is filled as maker when a later quote crosses the limit', () => {
    const w = wire();
    w.quote(1_000, 99.9, 100.1);
    const id = w.submit({ side: 'buy', price: 100, quantity: 0.5 });
    w.clock.advanceTo(1_004);
    expect(w.exec.order(id)?.status).toBe('SUBMITTED');
    w.quote(1_010, 99.9, 100.1);
    expect(w.exec.order(id)?.status).toBe('ACCEPTED');
    w.quote(1_020, 99.5, 99.8);

    expect(w.history(id)).toEqual([
      ['OrderSubmitted', 'SUBMITTED', 1_000],
      ['OrderAccepted', 'ACCEPTED', 1_005],
      ['OrderFilled', 'FILLED', 1_020],
    ]);
    expect(w.published.at(-1)!.event).toMatchObject({ lastQty: 0.5, lastPrice: 100, liquidity: 'maker', fee: 0.01, venueOrderId: 'SIM-1' });
    expect(w.exec.order(id)).toMatchObject({ filledQty: 0.5, venueOrderId: 'SIM-1', avgFillPrice: 100 });
    const p = w.portfolio.position(ID);
    expect([p.quantity.toString(), p.fees.toString()]).toEqual(['0.5', '0.01']);
  });

  it('fills a market buy at the ask when the venue processes it', () => {
    const w = wire();
    w.quote(1_000, 99.9, 100.1);
    const id = w.submit({ type: 'market', quantity: 0.3 });
    w.quote(1_010, 99.9, 100.1);
    expect(w.history(id).map(([k, s]) => [k, s])).toEqual([
      ['OrderSubmitted', 'SUBMITTED'], ['OrderAccepted', 'ACCEPTED'], ['OrderFilled', 'FILLED'],
    ]);
    expect(w.portfolio.view(ID)).toMatchObject({ quantity: 0.3, avgPrice: 100.1 });
  });

  it('fills an IOC order partly from the visible size and the venue cancels the rest: CANCELED with the part filled', () => {
    const w = wire();
    w.quote(1_000, 99.9, 100.1, { askSize: 0.3 });
    const id = w.submit({ price: 100.1, quantity: 1, timeInForce: 'IOC' });
    w.clock.advanceTo(1_010);

    expect(w.history(id).map(([k, s]) => [k, s])).toEqual([
      ['OrderSubmitted', 'SUBMITTED'], ['OrderAccepted', 'ACCEPTED'], ['OrderFilled', 'PARTIALLY_FILLED'], ['OrderCanceled', 'CANCELED'],
    ]);
    expect(w.published.at(-1)!.event).toMatchObject({ kind: 'OrderCanceled', reason: 'IOC' });
    expect(w.exec.order(id)).toMatchObject({ status: 'CANCELED', filledQty: 0.3 });
    expect(w.portfolio.quantity(ID)).toBe(0.3);
    expect(w.exec.openOrders()).toEqual([]);
  });

  it('brings the venue rejection of a post-only order that would take to the order as REJECTED', () => {
    const w = wire();
    w.quote(1_000, 99.9, 100.1);
    const id = w.submit({ price: 100.1, postOnly: true });
    w.clock.advanceTo(1_010);

    expect(w.history(id).map(([k, s]) => [k, s])).toEqual([['OrderSubmitted', 'SUBMITTED'], ['OrderRejected', 'REJECTED']]);
    expect(w.published.at(-1)!.event).toMatchObject({ kind: 'OrderRejected', reason: 'POST_ONLY_WOULD_TAKE' });
    expect(w.exec.openOrders()).toEqual([]);
    expect(w.portfolio.position(ID).fillCount).toBe(0);
  });

  it('cancels a resting order end to end: PENDING_CANCEL at once, CANCELED after the venue latency', () => {
    const w = wire();
    w.quote(1_000, 99.9, 100.1);
    const id = w.submit({ price: 99 });
    w.clock.advanceTo(1_010);
    w.exec.cancel({ kind: 'CancelOrder', ...w.cmdBase(id) });
    expect(w.exec.order(id)?.status).toBe('PENDING_CANCEL');
    w.clock.advanceTo(1_020);
    expect(w.history(id).slice(-2)).toEqual([['OrderPendingCancel', 'PENDING_CANCEL', 1_010], ['OrderCanceled', 'CANCELED', 1_015]]);
  });

  it('modifies a resting order end to end and the new price is the one the market fills', () => {
    const w = wire();
    w.quote(1_000, 99.9, 100.1);
    const id = w.submit({ price: 99, quantity: 0.2 });
    w.clock.advanceTo(1_010);
    w.exec.modify({ kind: 'ModifyOrder', ...w.cmdBase(id), side: 'buy', price: 99.5 });
    w.clock.advanceTo(1_020);
    expect(w.exec.order(id)).toMatchObject({ status: 'ACCEPTED', price: 99.5 });
    w.quote(1_030, 99.2, 99.4);
    expect(w.exec.order(id)).toMatchObject({ status: 'FILLED', avgFillPrice: 99.5 });
  });

  it('expires a GTD order at its expiry time on the engine clock', () => {
    const w = wire();
    w.quote(1_000, 99.9, 100.1);
    const id = w.submit({ price: 99, timeInForce: 'GTD', expireAt: 2_000 });
    w.clock.advanceTo(1_999);
    expect(w.exec.order(id)?.status).toBe('ACCEPTED');
    w.clock.advanceTo(2_000);
    expect(w.history(id).at(-1)).toEqual(['OrderExpired', 'EXPIRED', 2_000]);
  });
});

/**
 * Races between what the engine asked and what the venue did meanwhile. Each is an ordinary venue sequence, so it must
 * not count as an invalid transition (a run-summary anomaly), and the venue's answer must reach the strategy.
 */
describe('execution engine with the simulated venue: races', () => {
  it('takes a cancel that crossed the last fill: FILLED, then the venue\'s OrderCancelRejected, no anomaly', () => {
    const w = wire();
    w.quote(1_000, 98, 100);
    const id = w.submit({ price: 99 });
    w.clock.advanceTo(1_010);
    w.exec.cancel({ kind: 'CancelOrder', ...w.cmdBase(id) });
    w.quote(1_011, 98, 98.5);
    w.clock.advanceTo(1_020);
    expect(w.history(id).slice(-3).map(([k, s]) => [k, s])).toEqual([
      ['OrderPendingCancel', 'PENDING_CANCEL'], ['OrderFilled', 'FILLED'], ['OrderCancelRejected', 'FILLED'],
    ]);
    expect(w.exec.stats.invalidTransitions).toBe(0);
  });

  it('takes the OrderUpdated of a modify that a cancel followed at once', () => {
    const w = wire();
    w.quote(1_000, 99.5, 100.5);
    const id = w.submit({ price: 99 });
    w.clock.advanceTo(1_010);
    w.exec.modify({ kind: 'ModifyOrder', ...w.cmdBase(id), side: 'buy', price: 98 });
    w.exec.cancel({ kind: 'CancelOrder', ...w.cmdBase(id) });
    w.clock.advanceTo(1_020);
    expect(w.exec.stats.invalidTransitions).toBe(0);
    expect(w.history(id).slice(-2).map(([k]) => k)).toEqual(['OrderUpdated', 'OrderCanceled']);
  });

  it('takes the venue\'s OrderModifyRejected of a modify that crossed the expiry', () => {
    const w = wire();
    const id = w.submit({ price: 99, timeInForce: 'GTD', expireAt: 2_000 });
    w.clock.advanceTo(1_998);
    w.exec.modify({ kind: 'ModifyOrder', ...w.cmdBase(id), side: 'buy', price: 98 });
    w.clock.advanceTo(2_010);
    expect(w.exec.stats.invalidTransitions).toBe(0);
    expect(w.history(id).slice(-2).map(([k, s]) => [k, s])).toEqual([['OrderExpired', 'EXPIRED'], ['OrderModifyRejected', 'EXPIRED']]);
  });

  it('takes the venue\'s OrderCancelRejected of a cancel that crossed the venue\'s rejection', () => {
    const w = wire();
    w.quote(1_000, 98, 99);
    const id = w.submit({ price: 99, postOnly: true });
    w.exec.cancel({ kind: 'CancelOrder', ...w.cmdBase(id) });
    w.clock.advanceTo(1_010);
    expect(w.exec.stats.invalidTransitions).toBe(0);
    expect(w.history(id).slice(-2).map(([k, s]) => [k, s])).toEqual([['OrderRejected', 'REJECTED'], ['OrderCancelRejected', 'REJECTED']]);
  });
});
