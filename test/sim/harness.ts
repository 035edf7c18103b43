import type { CancelOrder, ModifyOrder, SubmitOrder } from '../../engine/model/commands.js';
import type { OrderFilled, VenueOrderEvent } from '../../engine/model/events.js';
import { defineInstrument, type InstrumentSpec } from '../../engine/model/instrument.js';
import { createSimVenue, type SimVenueOptions } from '../../engine/sim/index.js';
import { createFakeClock } from './fake-clock.js';

export const ID = 'BTCUSD.SIM';

type SubmitArgs = Pick<SubmitOrder, 'side' | 'quantity'> & Partial<Omit<SubmitOrder, 'kind'>>;
type ModifyArgs = Partial<Pick<ModifyOrder, 'price' | 'quantity' | 'venueOrderId'>>;
type Level = readonly [price: number, size: number];

/** A venue on a fake clock with one instrument (tick 0.1, step 0.001), its events collected, and terse helpers. */
export function createHarness(
  opts: {
    latency?: SimVenueOptions['latency'];
    spec?: Partial<InstrumentSpec>;
    initialPositions?: Record<string, number>;
    retention?: SimVenueOptions['retention'];
  } = {},
) {
  const clock = createFakeClock(1_000);
  const instrument = defineInstrument({
    id: ID,
    venue: 'SIM',
    venueSymbol: 'BTCUSD',
    base: 'BTC',
    quote: 'USD',
    tickSize: 0.1,
    stepSize: 0.001,
    makerFee: 0.0002,
    takerFee: 0.001,
    ...opts.spec,
  });
  const venue = createSimVenue({
    venue: 'SIM',
    clock,
    instruments: new Map([[instrument.id, instrument]]),
    ...(opts.latency ? { latency: opts.latency } : {}),
    ...(opts.initialPositions ? { initialPositions: new Map(Object.entries(opts.initialPositions)) } : {}),
    ...(opts.retention ? { retention: opts.retention } : {}),
  });
  const events: VenueOrderEvent[] = [];
  venue.events$.subscribe((e) => events.push(e));
  let counter = 0;
  const base = (t: number) => ({ instrumentId: ID, tsEvent: t, tsInit: t });

  const submitCommand = (a: SubmitArgs): SubmitOrder => ({
    kind: 'SubmitOrder',
    clientOrderId: `s-1-${++counter}`,
    strategyId: 's',
    instrumentId: ID,
    type: a.price === undefined ? 'market' : 'limit',
    timeInForce: 'GTC',
    postOnly: false,
    reduceOnly: false,
    tsInit: clock.now(),
    ...a,
  });
  const cancelCommand = (clientOrderId: string, venueOrderId?: string): CancelOrder => ({
    kind: 'CancelOrder',
    clientOrderId,
    strategyId: 's',
    instrumentId: ID,
    tsInit: clock.now(),
    ...(venueOrderId !== undefined ? { venueOrderId } : {}),
  });
  const modifyCommand = (clientOrderId: string, a: ModifyArgs): ModifyOrder => ({
    kind: 'ModifyOrder',
    clientOrderId,
    strategyId: 's',
    instrumentId: ID,
    side: 'buy',
    tsInit: clock.now(),
    ...a,
  });

  return {
    clock,
    instrument,
    venue,
    events,
    submitCommand,
    cancelCommand,
    modifyCommand,
    /** Submits and lets the (zero-latency) processing run; returns the client order id. */
    submit(a: SubmitArgs): string {
      const c = submitCommand(a);
      venue.submit(c);
      clock.flush();
      return c.clientOrderId;
    },
    cancel(clientOrderId: string, venueOrderId?: string): void {
      venue.cancel(cancelCommand(clientOrderId, venueOrderId));
      clock.flush();
    },
    modify(clientOrderId: string, a: ModifyArgs): void {
      venue.modify(modifyCommand(clientOrderId, a));
      clock.flush();
    },
    quote(bid: number, ask: number, sizes: { bidSize?: number; askSize?: number } = {}): void {
      venue.onTick({ kind: 'quote', ...base(clock.now()), bid, ask, ...sizes });
    },
    book(bids: readonly Level[], asks: readonly Level[]): void {
      const levels = (ls: readonly Level[]) => ls.map(([price, size]) => ({ price, size }));
      venue.onTick({ kind: 'book', ...base(clock.now()), bids: levels(bids), asks: levels(asks) });
    },
    trade(price: number, size: number): void {
      venue.onTick({ kind: 'trade', ...base(clock.now()), price, size });
    },
    bar(open: number, high: number, low: number, close: number, volume = 0): void {
      venue.onTick({ kind: 'bar', ...base(clock.now()), periodMs: 60_000, open, high, low, close, volume });
    },
    /** The events of one order. */
    of: (clientOrderId: string): VenueOrderEvent[] => events.filter((e) => e.clientOrderId === clientOrderId),
    kinds: (clientOrderId: string): string[] => events.filter((e) => e.clientOrderId === clientOrderId).map((e) => e.kind),
    fills: (clientOrderId: string): OrderFilled[] =>
      events.filter((e): e is OrderFilled => e.kind === 'OrderFilled' && e.clientOrderId === clientOrderId),
    /** [price, qty, liquidity] of each fill of an order: compact to assert on. */
    fillsOf: (clientOrderId: string): [number, number, string][] =>
      events
        .filter((e): e is OrderFilled => e.kind === 'OrderFilled' && e.clientOrderId === clientOrderId)
        .map((f) => [f.lastPrice, f.lastQty, f.liquidity]),
    last: (clientOrderId: string): VenueOrderEvent | undefined => events.filter((e) => e.clientOrderId === clientOrderId).at(-1),
  };
}
