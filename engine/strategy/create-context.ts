/**
 * Builds the StrategyContext of one running strategy: turns intents into commands with deterministic client order
 * ids and hands them to execution (which runs the risk layer). Malformed intents become OrderDenied, never throws.
 */
import { Subject, filter, type Observable } from 'rxjs';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../clock/clock.js';
import { createClockScheduler } from '../clock/clock-scheduler.js';
import type { ExecutionEngine } from '../execution/execution-engine.js';
import type { OrderIntent, SubmitIntent, SubmitOrder } from '../model/commands.js';
import type { OrderEvent } from '../model/events.js';
import { formatClientOrderId, type ClientOrderId, type InstrumentId, type StrategyId } from '../model/ids.js';
import { EMULATED_TYPES, isEmulatedType, type EmulatedOrderType, type OrderType } from '../model/order.js';
import { addExact, subExact } from '../model/decimal.js';
import type { Instrument } from '../model/instrument.js';
import { midOf, type Tick } from '../model/tick.js';
import { assertNever } from '../model/result.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import type { BracketOrder, OrderOptions, StrategyContext, StrategyState } from './context.js';
import type { MarketCache } from './market-cache.js';

export interface ContextDeps {
  clock: Clock;
  exec: ExecutionEngine;
  portfolio: Portfolio;
  market: MarketCache;
  instruments: ReadonlyMap<InstrumentId, Instrument>;
  run: number;
  saveState(strategyId: StrategyId, key: string, value: unknown): void;
}

/** The runtime side of a context: what the host drives. */
export interface ContextRuntime {
  readonly ctx: StrategyContext<Record<string, unknown>>;
  readonly ticks: Subject<Tick>;
  readonly events: Subject<OrderEvent>;
  running: boolean;
  /** Cancels every pending timer and scheduled RxJS work of this strategy. */
  cancelTimers(): void;
}

const SIDES = new Set(['buy', 'sell']);
const TYPES = new Set(['market', 'limit', ...EMULATED_TYPES]);
const TIFS = new Set(['GTC', 'IOC', 'FOK', 'GTD']);
const TRIGGER_TYPES = new Set(['last', 'bid_ask', 'mid']);

function triggerProblem(i: SubmitIntent): string | undefined {
  const emulated = i.type !== undefined && isEmulatedType(i.type);
  if (!emulated) return i.triggerPrice === undefined ? undefined : 'only stop and if-touched orders take a triggerPrice';
  const t = toNumber(i.triggerPrice);
  if (t === undefined || !Number.isFinite(t)) return `a ${i.type} order needs a triggerPrice (a number), got ${JSON.stringify(i.triggerPrice)}`;
  if (i.triggerType !== undefined && !TRIGGER_TYPES.has(i.triggerType)) return `triggerType must be "last", "bid_ask" or "mid", got ${JSON.stringify(i.triggerType)}`;
  const limit = i.type === 'stop_limit' || i.type === 'limit_if_touched';
  if (limit && i.price === undefined) return `a ${i.type} order needs a (limit) price`;
  if (!limit && i.price !== undefined) return `a ${i.type} order takes no price (it is released as a market order)`;
  return undefined;
}

function problemOf(i: SubmitIntent): string | undefined {
  if (!SIDES.has(i.side)) return `side must be "buy" or "sell", got ${JSON.stringify(i.side)}`;
  if (i.type !== undefined && !TYPES.has(i.type)) return `type must be one of ${[...TYPES].join(', ')}; got ${JSON.stringify(i.type)}`;
  const trigger = triggerProblem(i);
  if (trigger !== undefined) return trigger;
  if (i.timeInForce !== undefined && !TIFS.has(i.timeInForce)) return `timeInForce must be GTC, IOC, FOK or GTD, got ${JSON.stringify(i.timeInForce)}`;
  if (i.timeInForce === 'GTD' && !(typeof i.expireAt === 'number' && Number.isFinite(i.expireAt))) return 'a GTD order needs expireAt (engine time, ms)';
  if (i.type === 'market' && i.price !== undefined) return 'a market order takes no price';
  if (i.type === 'limit' && i.price === undefined) return 'a limit order needs a price';
  if (typeof i.instrumentId !== 'string') return 'instrumentId must be a string';
  if (i.ocoWith !== undefined && typeof i.ocoWith !== 'string') return `ocoWith must be a client order id, got ${JSON.stringify(i.ocoWith)}`;
  if (i.parentId !== undefined && typeof i.parentId !== 'string') return `parent must be a client order id, got ${JSON.stringify(i.parentId)}`;
  return undefined;
}

const toNumber = (x: number | string | undefined): number | undefined => (x === undefined ? undefined : typeof x === 'number' ? x : Number(x));

/** A bracket's exits must be on the right sides: a long's take-profit above its stop-loss (and the entry between). */
function bracketProblem(side: 'buy' | 'sell', tp: number, sl: number, price: number | undefined): string | undefined {
  if (!Number.isFinite(tp) || !Number.isFinite(sl)) return `takeProfit and stopLoss must be numbers, got ${tp} and ${sl}`;
  const [low, high, lowName, highName] = side === 'buy' ? [sl, tp, 'stopLoss', 'takeProfit'] : [tp, sl, 'takeProfit', 'stopLoss'];
  if (!(low < high)) return `a ${side} bracket needs ${lowName} below ${highName}, got ${lowName} ${low} and ${highName} ${high}`;
  if (price !== undefined && !(low < price && price < high)) return `the entry price ${price} must be between ${lowName} ${low} and ${highName} ${high}`;
  return undefined;
}

const bothTriggers = (o: OrderOptions): string | undefined =>
  o.stop !== undefined && o.touch !== undefined ? 'an order takes stop or touch, not both' : undefined;

/** The venue order type an emulated type is released as. */
const orderTypeOf = (t: EmulatedOrderType): OrderType => (t === 'stop_limit' || t === 'limit_if_touched' ? 'limit' : 'market');

/** ctx.buy / ctx.sell options as an intent: `stop` or `touch` (with `price`: the limit) makes it an emulated order. */
function intentOf(instrumentId: InstrumentId, side: 'buy' | 'sell', quantity: number | string, o: OrderOptions): Omit<SubmitIntent, 'kind'> {
  const { stop, touch, trigger, trailing: _trailing, trailingTicks: _ticks, parent, ...rest } = o;
  if (stop === undefined && touch === undefined) return { instrumentId, side, quantity, parentId: parent, ...rest };
  const limit = rest.price !== undefined;
  const type: EmulatedOrderType = stop !== undefined ? (limit ? 'stop_limit' : 'stop_market') : limit ? 'limit_if_touched' : 'market_if_touched';
  return { instrumentId, side, quantity, type, triggerPrice: stop ?? touch, triggerType: trigger, parentId: parent, ...rest };
}

export function createContext(
  strategyId: StrategyId,
  params: Record<string, unknown>,
  vars: unknown,
  log: Logger,
  deps: ContextDeps,
  hooks: {
    onTimer(name: string): void;
    stop(reason: string): void;
    /** Runs strategy code the host does not call itself (scheduled RxJS work), guarded like a hook. */
    guard(during: string, work: () => void): void;
    firstCounter: number;
    initialState: Record<string, unknown>;
  },
): ContextRuntime {
  const { clock, exec, portfolio, market, instruments } = deps;
  let counter = hooks.firstCounter;
  const state = new Map<string, unknown>(Object.entries(hooks.initialState));
  const ticks = new Subject<Tick>();
  const events = new Subject<OrderEvent>();
  const timers = new Map<string, TimerHandle>();
  /** Every engine timer this strategy has pending (named timers and its scheduler's work): canceled when it stops. */
  const pending = new Set<TimerHandle>();
  const strategyClock = {
    now: () => clock.now(),
    setTimer(at: number, callback: () => void): TimerHandle {
      const handle: TimerHandle = clock.setTimer(at, () => {
        pending.delete(handle);
        if (runtime.running) hooks.guard('scheduled work', callback);
      });
      pending.add(handle);
      return {
        cancel() {
          handle.cancel();
          pending.delete(handle);
        },
      };
    },
  };

  /**
   * ctx.buy / ctx.sell. A trailing stop becomes a stop-market whose trigger trails: its distance in price (ticks times
   * the instrument's tick), starting at `stop` or that far from the price it watches now.
   */
  const buyOrSell = (instrumentId: InstrumentId, side: 'buy' | 'sell', quantity: number | string, o: OrderOptions): ClientOrderId => {
    if (o.trailing === undefined && o.trailingTicks === undefined) return submit(intentOf(instrumentId, side, quantity, o), bothTriggers(o));
    const grid = instruments.get(instrumentId)?.priceGrid;
    // exact carriers: ticks through the instrument's grid, the start by exact addition (no 0.00030000000000000003)
    const distance = o.trailing !== undefined ? toNumber(o.trailing)! : grid === undefined || !Number.isInteger(o.trailingTicks) ? Number.NaN : grid.fromUnits(o.trailingTicks!);
    const on = o.trigger ?? 'last';
    const q = market.lastQuote(instrumentId);
    const watched = on === 'last' ? market.lastTrade(instrumentId)?.price
      : q === undefined ? undefined : on === 'mid' ? midOf(q) : side === 'buy' ? q.ask : q.bid;
    const start = o.stop !== undefined ? toNumber(o.stop) : watched === undefined || !Number.isFinite(distance) ? undefined
      : side === 'buy' ? addExact(watched, distance) : subExact(watched, distance);
    const problem = o.trailing !== undefined && o.trailingTicks !== undefined ? 'a trailing stop takes trailing or trailingTicks, not both'
      : !(Number.isFinite(distance) && distance > 0) ? `a trailing distance must be a positive number (of price, or of ticks of a known instrument), got ${o.trailing ?? o.trailingTicks}`
      : o.touch !== undefined || o.price !== undefined ? 'a trailing stop is a stop-market order: no touch, no price'
      : start === undefined ? `a trailing stop needs a ${on === 'last' ? 'trade' : 'quote'} of ${instrumentId} to start from, or a stop price`
      : undefined;
    const { trailing: _t, trailingTicks: _k, stop: _s, touch: _h, parent, ...rest } = o;
    const intent = { instrumentId, side, quantity, type: 'stop_market' as const, triggerPrice: start ?? Number.NaN, triggerType: on, parentId: parent, ...rest };
    return submit(intent, problem, problem === undefined ? distance : undefined);
  };

  /** The entry and its two exits as commands; a problem with any of them denies all three, saying which. */
  const bracket = (b: BracketOrder): { entry: ClientOrderId; takeProfit: ClientOrderId; stopLoss: ClientOrderId } => {
    const id = (): ClientOrderId => formatClientOrderId(strategyId, deps.run, ++counter);
    const ids = { entry: id(), takeProfit: id(), stopLoss: id() };
    const exit = b.side === 'buy' ? 'sell' : 'buy';
    const qty = toNumber(b.quantity)!;
    const price = toNumber(b.price);
    const tp = toNumber(b.takeProfit)!;
    const sl = toNumber(b.stopLoss)!;
    const on = b.trigger ?? 'last';
    const common = { kind: 'SubmitOrder', strategyId, instrumentId: String(b.instrumentId ?? ''), quantity: qty, timeInForce: 'GTC', postOnly: false, reduceOnly: false, tag: b.tag, tsInit: clock.now() } as const;
    const entry: SubmitOrder = Object.assign({ clientOrderId: ids.entry, side: b.side, type: price === undefined ? 'market' : 'limit', price, trigger: undefined }, common) as SubmitOrder;
    const takeProfit: SubmitOrder = Object.assign({ clientOrderId: ids.takeProfit, side: exit, type: 'limit', price: tp, trigger: { kind: 'touch', price: tp, on } }, common) as SubmitOrder;
    const stopLoss: SubmitOrder = Object.assign({ clientOrderId: ids.stopLoss, side: exit, type: 'market', price: undefined, trigger: { kind: 'stop', price: sl, on } }, common) as SubmitOrder;
    const problem = !runtime.running ? undefined
      : problemOf({ kind: 'submit', instrumentId: b.instrumentId, side: b.side, quantity: b.quantity, price: b.price })
        ?? bracketProblem(b.side, tp, sl, price);
    if (!runtime.running) for (const c of [entry, takeProfit, stopLoss]) exec.deny(c, 'STRATEGY_STOPPED', `strategy ${strategyId} is stopped`);
    else if (problem !== undefined) for (const c of [entry, takeProfit, stopLoss]) exec.deny(c, 'INVALID_INTENT', `bracket: ${problem}`);
    else exec.bracket(entry, takeProfit, stopLoss);
    return ids;
  };

  const submit = (intent: Omit<SubmitIntent, 'kind'>, invalid?: string, trailing?: number): ClientOrderId => {
    const clientOrderId = formatClientOrderId(strategyId, deps.run, ++counter);
    const price = toNumber(intent.price);
    const emulated = typeof intent.type === 'string' && isEmulatedType(intent.type);
    // an intent from plain JavaScript may miss fields: the command (and the OrderDenied it may become) is always whole
    const cmd: SubmitOrder = {
      kind: 'SubmitOrder',
      clientOrderId,
      strategyId,
      instrumentId: String(intent.instrumentId ?? ''),
      side: String(intent.side ?? '') as SubmitOrder['side'],
      type: (intent.type === undefined ? (price === undefined ? 'market' : 'limit') : emulated ? orderTypeOf(intent.type!) : String(intent.type)) as SubmitOrder['type'],
      quantity: toNumber(intent.quantity)!,
      price,
      trigger: !emulated ? undefined : trailing === undefined
        ? { kind: String(intent.type).startsWith('stop') ? 'stop' : 'touch', price: toNumber(intent.triggerPrice)!, on: intent.triggerType ?? 'last' }
        : { kind: 'stop', price: toNumber(intent.triggerPrice)!, on: intent.triggerType ?? 'last', trailing },
      timeInForce: (intent.timeInForce === undefined ? 'GTC' : String(intent.timeInForce)) as SubmitOrder['timeInForce'],
      expireAt: intent.expireAt,
      postOnly: intent.postOnly === true,
      reduceOnly: intent.reduceOnly === true,
      tag: intent.tag,
      tsInit: clock.now(),
      ocoWith: intent.ocoWith,
      parentId: intent.parentId,
    };
    if (!runtime.running) exec.deny(cmd, 'STRATEGY_STOPPED', `strategy ${strategyId} is stopped`);
    else {
      const problem = invalid ?? problemOf({ kind: 'submit', ...intent });
      if (problem) exec.deny(cmd, 'INVALID_INTENT', problem);
      else exec.submit(cmd);
    }
    return clientOrderId;
  };

  const cancel = (clientOrderId: ClientOrderId): void => {
    const order = exec.order(clientOrderId);
    if (!order || order.strategyId !== strategyId) {
      log.warn({ clientOrderId }, 'cancel of an order this strategy does not own; ignored');
      return;
    }
    exec.cancel({ kind: 'CancelOrder', clientOrderId, venueOrderId: order.venueOrderId, strategyId, instrumentId: order.instrumentId, tsInit: clock.now() });
  };

  const modify = (clientOrderId: ClientOrderId, changes: { price?: number | string; quantity?: number | string }): void => {
    const order = exec.order(clientOrderId);
    if (!order || order.strategyId !== strategyId) {
      log.warn({ clientOrderId }, 'modify of an order this strategy does not own; ignored');
      return;
    }
    exec.modify({
      kind: 'ModifyOrder', clientOrderId, venueOrderId: order.venueOrderId, strategyId, instrumentId: order.instrumentId,
      side: order.side, price: toNumber(changes.price), quantity: toNumber(changes.quantity), tsInit: clock.now(),
    });
  };

  const cancelAll = (instrumentId?: InstrumentId): void => {
    for (const o of exec.openOrders(strategyId)) if (instrumentId === undefined || o.instrumentId === instrumentId) cancel(o.clientOrderId);
  };

  const stateApi: StrategyState = {
    get: <T>(key: string) => state.get(key) as T | undefined,
    set(key, value) {
      JSON.stringify(value); // throws on what cannot be persisted (cycles, BigInt), inside the strategy's own hook
      state.set(key, value);
      deps.saveState(strategyId, key, value);
    },
  };

  const ctx: StrategyContext<Record<string, unknown>> = {
    id: strategyId,
    params,
    vars,
    log,
    now: () => clock.now(),
    scheduler: createClockScheduler(strategyClock),
    submit,
    buy: (instrumentId, quantity, o = {}) => buyOrSell(instrumentId, 'buy', quantity, o),
    sell: (instrumentId, quantity, o = {}) => buyOrSell(instrumentId, 'sell', quantity, o),
    bracket,
    cancel,
    cancelAll,
    modify,
    execute(intent: OrderIntent) {
      switch (intent.kind) {
        case 'submit': {
          const { kind: _kind, ...rest } = intent;
          return submit(rest);
        }
        case 'cancel':
          return cancel(intent.clientOrderId), undefined;
        case 'cancelAll':
          return cancelAll(intent.instrumentId), undefined;
        case 'modify':
          return modify(intent.clientOrderId, intent), undefined;
        default:
          return assertNever(intent, 'intent');
      }
    },
    position: (id) => portfolio.strategyView(strategyId, id),
    accountPosition: (id) => portfolio.view(id),
    openOrders: (id) => exec.openOrders(strategyId).filter((o) => id === undefined || o.instrumentId === id),
    order: (id) => exec.order(id),
    instrument: (id) => instruments.get(id),
    lastQuote: (id) => market.lastQuote(id),
    lastBook: (id) => market.lastBook(id),
    lastTrade: (id) => market.lastTrade(id),
    lastBar: (id) => market.lastBar(id),
    setTimer(name, delayMs, options = {}) {
      if (!(delayMs > 0) && !(delayMs === 0 && !options.repeat)) throw new RangeError(`setTimer(${name}): delay must be > 0, got ${delayMs}`);
      timers.get(name)?.cancel();
      const arm = (): void => {
        timers.set(name, strategyClock.setTimer(clock.now() + delayMs, () => {
          if (options.repeat) arm();
          else timers.delete(name);
          hooks.onTimer(name);
        }));
      };
      arm();
    },
    cancelTimer(name) {
      timers.get(name)?.cancel();
      timers.delete(name);
    },
    state: stateApi,
    ticks$: (id?: InstrumentId): Observable<Tick> => (id === undefined ? ticks.asObservable() : ticks.pipe(filter((t) => t.instrumentId === id))),
    orderEvents$: events.asObservable(),
    stop: (reason = 'stopped by the strategy') => hooks.stop(reason),
  };

  const runtime: ContextRuntime = {
    ctx, ticks, events, running: true,
    cancelTimers() {
      for (const h of [...pending]) h.cancel();
      timers.clear();
    },
  };
  return runtime;
}
