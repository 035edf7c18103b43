import { Subject } from 'rxjs';
import type { Clock } from '../clock/clock.js';
import type { ExecutionClient } from '../execution/venue-client.js';
import type { CancelOrder, ModifyOrder, SubmitOrder } from '../model/commands.js';
import type { VenueOrderEvent } from '../model/events.js';
import type { InstrumentId, Millis, VenueId } from '../model/ids.js';
import type { Instrument } from '../model/instrument.js';
import type { OrderStatus } from '../model/order.js';
import type { FillReport, OrderStatusReport } from '../model/reports.js';
import type { RetentionLimits } from '../model/retention.js';
import type { Tick } from '../model/tick.js';
import { createCommandQueue } from './command-queue.js';
import { instrumentFeeModel, type FeeModel } from './fees.js';
import { createInstrumentMarket, hasMarket, withdraw, wouldTake, type InstrumentMarket } from './instrument-market.js';
import { createOrderLedger } from './order-ledger.js';
import { arrive } from './order-arrival.js';
import { isOpen, type SimOrder } from './sim-order.js';
import { onMarketTick } from './tick-matching.js';
import { validPrice, validQtyUnits } from './validation.js';

export interface SimVenueOptions {
  readonly venue: VenueId;
  /** All time and delays go through it. */
  readonly clock: Clock;
  readonly instruments: ReadonlyMap<InstrumentId, Instrument>;
  /**
   * Fixed delays before a command is processed; default 0 (still asynchronous, through clock.setTimer). Commands for
   * the same client order id are still processed in the order they were sent (see command-queue.ts).
   */
  readonly latency?: { readonly submitMs?: number; readonly cancelMs?: number; readonly modifyMs?: number };
  /** Default: the instrument's maker/taker rate × price × qty × contractSize, exact. */
  readonly fees?: FeeModel;
  /**
   * Start of venue order ids (`<idPrefix>-<n>`) and trade ids (`<idPrefix>-T<n>`); default the venue id. Give each
   * session its own (the kernel uses the run) so ids stay unique in a database that outlives one session.
   */
  readonly idPrefix?: string;
  /**
   * The venue's net position per instrument before its first fill (signed quantity: + long, − short), for paper mode
   * where positions carry over; default flat (backtest). Reduce-only orders are checked against this position moved
   * by the venue's own fills. Quantities are truncated toward zero to the instrument's qty step; instruments this venue
   * does not list are ignored.
   */
  readonly initialPositions?: ReadonlyMap<InstrumentId, number>;
  /** Closed orders and fills kept in memory (order-ledger.ts); defaults in model/retention.ts. */
  readonly retention?: RetentionLimits;
}

export interface SimVenue extends ExecutionClient {
  /** The kernel calls this for every tick before strategies see it; fills it causes are emitted synchronously. */
  onTick(tick: Tick): void;
  /** onTick for the ticks of one instrument, bound to it (a lookup less per tick); undefined for another venue's. */
  tickHandler(instrumentId: InstrumentId): ((tick: Tick) => void) | undefined;
  openOrders(): Promise<readonly OrderStatusReport[]>;
  fills(sinceMs: Millis): Promise<readonly FillReport[]>;
}

const TERMINAL_REASON: Partial<Record<OrderStatus, string>> = {
  FILLED: 'ALREADY_FILLED',
  CANCELED: 'ALREADY_CANCELED',
  EXPIRED: 'ALREADY_EXPIRED',
};

/**
 * The simulated venue shared by backtest and paper modes. Commands are processed at clock.now() + latency through
 * clock.setTimer, never synchronously, and never ahead of an earlier command for the same order (FIFO per client order
 * id: a cancel or modify waits for its submit); market data is matched as it arrives. Deterministic: ids are counters,
 * time is the clock's, and the same commands and ticks in the same order give the same events.
 */
export function createSimVenue(opts: SimVenueOptions): SimVenue {
  const { venue, clock } = opts;
  const submitMs = opts.latency?.submitMs ?? 0;
  const cancelMs = opts.latency?.cancelMs ?? 0;
  const modifyMs = opts.latency?.modifyMs ?? 0;
  const events = new Subject<VenueOrderEvent>();
  const emit = (e: VenueOrderEvent): void => events.next(e);
  const ledger = createOrderLedger({
    venue,
    idPrefix: opts.idPrefix ?? venue,
    clock,
    fees: opts.fees ?? instrumentFeeModel,
    emit,
    initialPositionUnits: positionUnits(opts.instruments, opts.initialPositions),
    retention: opts.retention,
  });
  const commands = createCommandQueue(clock);
  const markets = new Map<InstrumentId, InstrumentMarket>();
  for (const [id, instrument] of opts.instruments) markets.set(id, createInstrumentMarket(instrument));

  function processSubmit(c: SubmitOrder): void {
    const now = clock.now();
    const reject = (reason: string): void =>
      emit({ kind: 'OrderRejected', clientOrderId: c.clientOrderId, instrumentId: c.instrumentId, tsEvent: now, reason });
    const m = markets.get(c.instrumentId);
    if (m === undefined) return reject('UNKNOWN_INSTRUMENT');
    if (ledger.byClientId(c.clientOrderId) !== undefined) return reject('DUPLICATE_CLIENT_ORDER_ID');
    const instrument = m.instrument;
    const qtyUnits = validQtyUnits(instrument, c.quantity);
    if (qtyUnits === undefined) return reject('INVALID_QUANTITY');
    let price: number | undefined;
    if (c.type === 'limit') {
      if (c.price === undefined) return reject('MISSING_PRICE');
      price = validPrice(instrument, c.price);
      if (price === undefined) return reject('INVALID_PRICE');
    }
    const gtd = c.timeInForce === 'GTD' && c.type === 'limit';
    if (gtd && c.expireAt === undefined) return reject('MISSING_EXPIRE_AT');
    if (gtd && c.expireAt! <= now) return reject('EXPIRE_AT_IN_PAST');
    if (c.type === 'market' && !hasMarket(m)) return reject('NO_MARKET');
    if (c.postOnly && (price === undefined || wouldTake(m, c.side, price))) return reject('POST_ONLY_WOULD_TAKE');

    const order: SimOrder = {
      clientOrderId: c.clientOrderId,
      venueOrderId: ledger.nextVenueOrderId(),
      instrument,
      side: c.side,
      type: c.type,
      timeInForce: c.timeInForce,
      postOnly: c.postOnly,
      reduceOnly: c.reduceOnly,
      expireAt: gtd ? c.expireAt : undefined,
      price,
      qtyUnits,
      filledUnits: 0,
      seq: ledger.nextSeq(),
      status: 'ACCEPTED',
      firstFillPrice: undefined,
      fillNotional: undefined,
      tsLast: now,
      expiry: undefined,
    };
    ledger.add(order);
    emit({ kind: 'OrderAccepted', clientOrderId: c.clientOrderId, instrumentId: c.instrumentId, tsEvent: now, venueOrderId: order.venueOrderId });
    if (order.expireAt !== undefined) order.expiry = clock.setTimer(order.expireAt, () => expire(m, order));
    arrive(m, order, ledger);
  }

  function expire(m: InstrumentMarket, order: SimOrder): void {
    order.expiry = undefined;
    if (!isOpen(order)) return;
    withdraw(m, order);
    ledger.close(order, 'EXPIRED');
    emit({ kind: 'OrderExpired', clientOrderId: order.clientOrderId, instrumentId: order.instrument.id, tsEvent: clock.now() });
  }

  /** The open order a cancel/modify names (by venue order id when given, else client order id), or why there is none. */
  function findOpen(c: CancelOrder | ModifyOrder): SimOrder | string {
    const order = c.venueOrderId !== undefined ? ledger.byVenueId(c.venueOrderId) : ledger.byClientId(c.clientOrderId);
    if (order === undefined || order.instrument.id !== c.instrumentId) return 'UNKNOWN_ORDER';
    return isOpen(order) ? order : (TERMINAL_REASON[order.status] ?? 'ORDER_NOT_OPEN');
  }

  function processCancel(c: CancelOrder): void {
    const order = findOpen(c);
    if (typeof order === 'string') {
      emit({ kind: 'OrderCancelRejected', clientOrderId: c.clientOrderId, instrumentId: c.instrumentId, tsEvent: clock.now(), reason: order });
      return;
    }
    withdraw(markets.get(c.instrumentId)!, order);
    ledger.close(order, 'CANCELED');
    emit({ kind: 'OrderCanceled', clientOrderId: order.clientOrderId, instrumentId: c.instrumentId, tsEvent: clock.now() });
  }

  function processModify(c: ModifyOrder): void {
    const reject = (reason: string): void =>
      emit({ kind: 'OrderModifyRejected', clientOrderId: c.clientOrderId, instrumentId: c.instrumentId, tsEvent: clock.now(), reason });
    const order = findOpen(c);
    if (typeof order === 'string') return reject(order);
    // Only resting limits can be modified; market/IOC/FOK orders are open only while waiting for a bar's open.
    if (order.type !== 'limit' || order.timeInForce === 'IOC' || order.timeInForce === 'FOK') return reject('NOT_MODIFIABLE');
    const instrument = order.instrument;
    const price = c.price === undefined ? order.price : validPrice(instrument, c.price);
    if (price === undefined) return reject('INVALID_PRICE');
    const qtyUnits = c.quantity === undefined ? order.qtyUnits : validQtyUnits(instrument, c.quantity);
    if (qtyUnits === undefined) return reject('INVALID_QUANTITY');
    if (qtyUnits <= order.filledUnits) return reject('QTY_NOT_ABOVE_FILLED');
    const m = markets.get(c.instrumentId)!;
    if (order.postOnly && wouldTake(m, order.side, price)) return reject('POST_ONLY_WOULD_TAKE');

    withdraw(m, order);
    // Exchange convention: a new price or a larger quantity loses time priority; a smaller quantity keeps it.
    if (price !== order.price || qtyUnits > order.qtyUnits) order.seq = ledger.nextSeq();
    order.price = price;
    order.qtyUnits = qtyUnits;
    order.tsLast = clock.now();
    const quantity = instrument.qtyGrid.fromUnits(qtyUnits);
    emit({ kind: 'OrderUpdated', clientOrderId: order.clientOrderId, instrumentId: instrument.id, tsEvent: clock.now(), price, quantity });
    arrive(m, order, ledger); // a modified limit that now crosses takes as taker; the rest rests
  }

  return {
    venue,
    // trade ids are `${idPrefix}-T${counter}`, the prefix naming the run: each fill is reported once, never again
    uniqueFills: true,
    events$: events.asObservable(),
    submit: (command) => commands.send(command.clientOrderId, submitMs, () => processSubmit(command)),
    cancel: (command) => commands.send(command.clientOrderId, cancelMs, () => processCancel(command)),
    modify: (command) => commands.send(command.clientOrderId, modifyMs, () => processModify(command)),
    onTick(tick: Tick): void {
      const m = markets.get(tick.instrumentId);
      if (m !== undefined) onMarketTick(m, tick, ledger);
    },
    tickHandler(instrumentId) {
      const m = markets.get(instrumentId);
      return m === undefined ? undefined : (tick) => onMarketTick(m, tick, ledger);
    },
    openOrders: () => Promise.resolve(ledger.openReports()),
    fills: (sinceMs) => Promise.resolve(ledger.fillsSince(sinceMs)),
  };
}

/** Signed positions as whole qty steps, truncated toward zero (never more to reduce than was held). */
function positionUnits(
  instruments: ReadonlyMap<InstrumentId, Instrument>,
  positions: ReadonlyMap<InstrumentId, number> | undefined,
): Map<InstrumentId, number> {
  const units = new Map<InstrumentId, number>();
  for (const [id, qty] of positions ?? []) {
    const instrument = instruments.get(id);
    if (instrument === undefined || !Number.isFinite(qty) || qty === 0) continue;
    units.set(id, Math.sign(qty) * instrument.qtyGrid.units(Math.abs(qty), 'down'));
  }
  return units;
}
