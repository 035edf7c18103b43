/**
 * Runs strategies: routes ticks and order events to them, guards every hook. An exception in a hook (or an error in
 * an RxJS pipeline) is logged with the strategy's id and the event, and stops that strategy — its open orders are
 * canceled — while the others go on.
 */
import type { Subscription } from 'rxjs';
import { ConfigError } from '../config/config.js';
import { setRxErrorTarget } from './rx-errors.js';
import type { Logger } from 'pino';
import type { OrderEvent } from '../model/events.js';
import type { InstrumentId, StrategyId } from '../model/ids.js';
import type { Tick } from '../model/tick.js';
import { createContext, type ContextDeps, type ContextRuntime } from './create-context.js';
import type { StrategyDefinition, StrategyParams } from './define-strategy.js';

export interface StrategySpec {
  readonly id: StrategyId;
  readonly definition: StrategyDefinition;
  readonly params: StrategyParams;
  readonly instruments?: readonly InstrumentId[];
  /** Last client order id counter already used (ids resume past it). */
  readonly lastCounter: number;
  readonly initialState: Record<string, unknown>;
}

export type StrategyStatus = 'ready' | 'running' | 'stopped' | 'failed';

export interface StrategyHost {
  start(): void;
  onTick(tick: Tick): void;
  onOrderEvent(event: OrderEvent): void;
  stopAll(reason: string): void;
  /** Stops one strategy (its open orders are canceled); false when there is no such strategy. */
  stop(id: StrategyId, reason: string): boolean;
  status(id: StrategyId): StrategyStatus | undefined;
  /** Every strategy with its params and status, in config order. */
  list(): ReadonlyArray<{ readonly id: StrategyId; readonly params: StrategyParams; readonly status: StrategyStatus }>;
  /** Ids and errors of strategies that failed. */
  readonly failures: ReadonlyArray<{ id: StrategyId; during: string; error: string }>;
}

interface Running {
  readonly spec: StrategySpec;
  readonly rt: ContextRuntime;
  readonly filter: ReadonlySet<InstrumentId> | undefined;
  status: StrategyStatus;
  stopping?: boolean;
  pipeline?: Subscription;
  /** First error RxJS reported while this strategy's code ran (see rx-errors.ts). */
  rxError?: unknown;
  readonly onRxError: (error: unknown) => void;
}

export function createStrategyHost(specs: readonly StrategySpec[], deps: ContextDeps & { log: Logger }): StrategyHost {
  const byId = new Map<StrategyId, Running>();
  const list: Running[] = [];
  const failures: Array<{ id: StrategyId; during: string; error: string }> = [];

  const halt = (s: Running, status: 'stopped' | 'failed', reason: string): void => {
    if (s.status === 'stopped' || s.status === 'failed') return;
    s.status = status;
    s.rt.running = false;
    s.pipeline?.unsubscribe();
    s.rt.cancelTimers();
    for (const o of deps.exec.openOrders(s.spec.id)) {
      deps.exec.cancel({
        kind: 'CancelOrder', clientOrderId: o.clientOrderId, venueOrderId: o.venueOrderId, strategyId: o.strategyId,
        instrumentId: o.instrumentId, tsInit: deps.clock.now(),
      });
    }
    s.rt.ctx.log.info({ reason }, `strategy ${status}`);
  };

  const fail = (s: Running, during: string, error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error);
    failures.push({ id: s.spec.id, during, error: message });
    s.rt.ctx.log.error({ strategy: s.spec.id, during, err: error }, `strategy ${s.spec.id} failed in ${during}: ${message}; stopping it and canceling its orders`);
    halt(s, 'failed', `failed in ${during}`);
  };

  /**
   * Runs strategy code; an exception, or an error RxJS reports meanwhile, stops the strategy. `during` may be a
   * function: the words are made only if something fails (order events are guarded on every fill).
   */
  const guard = (s: Running, during: string | (() => string), work: () => void): void => {
    const prev = setRxErrorTarget(s.onRxError);
    try {
      work();
    } catch (error) {
      fail(s, typeof during === 'string' ? during : during(), error);
    } finally {
      setRxErrorTarget(prev);
    }
    if (s.rxError !== undefined && s.status === 'running') fail(s, `${typeof during === 'string' ? during : during()} (in an RxJS subscription)`, s.rxError);
  };

  for (const spec of specs) {
    if (byId.has(spec.id)) {
      throw new ConfigError([`two strategies would run under the id "${spec.id}"; give them distinct ids (strategies[].id)`]);
    }
    const log = deps.log.child({ strategy: spec.id });
    const entry = { onRxError: (error: unknown) => void (entry.rxError ??= error) } as Running;
    const rt = createContext(spec.id, spec.params, spec.definition.vars?.(spec.params), log, deps, {
      firstCounter: spec.lastCounter,
      initialState: spec.initialState,
      onTimer: (name) => guard(entry, `onTimer(${name})`, () => spec.definition.onTimer?.(rt.ctx, name)),
      guard: (during, work) => guard(entry, during, work),
      stop: (reason) => {
        if (entry.status !== 'running' || entry.stopping) return;
        entry.stopping = true; // a ctx.stop() from inside onStop is a no-op
        guard(entry, 'onStop', () => spec.definition.onStop?.(rt.ctx));
        halt(entry, 'stopped', reason);
      },
    });
    Object.assign(entry, { spec, rt, filter: spec.instruments ? new Set(spec.instruments) : undefined, status: 'ready' });
    byId.set(spec.id, entry);
    list.push(entry);
  }

  return {
    failures,
    start() {
      for (const s of list) {
        if (s.status !== 'ready') continue;
        s.status = 'running';
        const def = s.spec.definition;
        guard(s, 'onStart', () => def.onStart?.(s.rt.ctx));
        if (def.intents$ && s.status === 'running') {
          guard(s, 'intents$', () => {
            s.pipeline = def.intents$!(s.rt.ctx).subscribe({
              next: (intent) => guard(s, () => `intent ${intent?.kind}`, () => s.rt.ctx.execute(intent)),
              error: (e: unknown) => fail(s, 'intents$ pipeline', e),
            });
          });
        }
      }
    },
    onTick(tick) {
      for (let i = 0; i < list.length; i++) {
        const s = list[i]!;
        if (s.status !== 'running' || (s.filter && !s.filter.has(tick.instrumentId))) continue;
        // inline rather than guard(): no closure per tick on the hot path
        setRxErrorTarget(s.onRxError);
        try {
          if (s.rt.ticks.observed) s.rt.ticks.next(tick);
          // a pipeline may have failed (and stopped the strategy) on this very tick
          if (s.rxError === undefined && s.status === 'running') s.spec.definition.onTick?.(s.rt.ctx, tick);
        } catch (error) {
          fail(s, `onTick(${tick.kind} ${tick.instrumentId} @${tick.tsEvent})`, error);
        } finally {
          setRxErrorTarget(undefined);
        }
        if (s.rxError !== undefined && s.status === 'running') fail(s, `ticks$ (${tick.kind} ${tick.instrumentId} @${tick.tsEvent})`, s.rxError);
      }
    },
    onOrderEvent(event) {
      const s = byId.get(event.strategyId);
      if (!s || s.status !== 'running') return;
      guard(s, () => `onOrderEvent(${event.kind} ${event.clientOrderId})`, () => {
        if (s.rt.events.observed) s.rt.events.next(event);
        if (s.rxError === undefined && s.status === 'running') s.spec.definition.onOrderEvent?.(s.rt.ctx, event);
      });
    },
    stopAll(reason) {
      for (const s of list) s.rt.ctx.stop(reason);
    },
    stop(id, reason) {
      const s = byId.get(id);
      if (s === undefined) return false;
      s.rt.ctx.stop(reason);
      return true;
    },
    status: (id) => byId.get(id)?.status,
    list: () => list.map((s) => ({ id: s.spec.id, params: s.spec.params, status: s.status })),
  };
}
