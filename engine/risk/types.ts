/**
 * Shared types of the pre-trade risk layer. Every check is a function of (command, env, limits, context) that returns
 * a `RiskVerdict`: expected failures are values, checks never throw.
 */
import type { SubmitOrder } from '../model/commands.js';
import type { DenialCode } from '../model/events.js';
import type { ClientOrderId, InstrumentId, Millis, StrategyId, VenueId } from '../model/ids.js';
import type { Instrument } from '../model/instrument.js';
import type { Order } from '../model/order.js';

/** The kill switch: ACTIVE trades normally, REDUCING only lets positions shrink, HALTED blocks submits and modifies. */
export type TradingState = 'ACTIVE' | 'REDUCING' | 'HALTED';
export const TRADING_STATES: readonly TradingState[] = ['ACTIVE', 'REDUCING', 'HALTED'];

/** Keyed by instrument id; `'*'` is the default for instruments without their own entry. */
export type PerInstrument = Readonly<Record<InstrumentId | '*', number>>;

export interface RiskLimits {
  /** Off-tick price: `round` side-aware (buy down, sell up), or `reject` with PRICE_OFF_TICK. Default `round`. */
  readonly pricePolicy?: 'round' | 'reject';
  /** Off-step quantity: `truncate` down to the step, or `reject` with QTY_OFF_STEP. Default `truncate`. */
  readonly qtyPolicy?: 'truncate' | 'reject';
  /** Per-order quantity cap, in addition to instrument.maxQty (the stricter applies). */
  readonly maxOrderQty?: PerInstrument;
  /** Per-order minimum notional, in addition to instrument.minNotional (the stricter applies). */
  readonly minNotional?: PerInstrument;
  /** Per-order maximum notional, in addition to instrument.maxNotional (the stricter applies). */
  readonly maxNotional?: PerInstrument;
  /**
   * Cap on |projected position| (worst case: every open order on the same side fills). An exit that, even so, only
   * shrinks the position (does not take it past flat) is exempt; see position-limit-check.ts.
   */
  readonly maxPositionQty?: PerInstrument;
  /** Cap on |projected position| × reference price × contract size. */
  readonly maxPositionNotional?: PerInstrument;
  /** Open orders per strategy (all instruments). */
  readonly maxOpenOrders?: number;
  /** Fat-finger band: a limit price more than this many percent away from the last mid is denied. */
  readonly priceBandPct?: number;
  /** Exact sliding-window limits (never more than N in any window), e.g. "20/1s", "100/10s", "5/500ms", "1200/1m". perVenue is keyed by venue id ('*' = default). */
  readonly rateLimits?: { readonly perVenue?: Readonly<Record<VenueId | '*', string>>; readonly perStrategy?: string };
}

/** Read-only view the engine gives the risk layer. */
export interface RiskEnv {
  instrument(id: InstrumentId): Instrument | undefined;
  /** Signed (long > 0), an exact carrier (see engine/model/decimal.ts). */
  positionQty(id: InstrumentId): number;
  /** Open orders of that strategy, all instruments. */
  openOrders(strategyId: StrategyId): readonly Order[];
  /** Open orders of all strategies on that instrument. */
  openOrdersFor(instrumentId: InstrumentId): readonly Order[];
  /** For ModifyOrder: the order being modified. */
  order(id: ClientOrderId): Order | undefined;
  lastMid(id: InstrumentId): number | undefined;
  /** The injected engine clock; never Date.now(). */
  now(): Millis;
}

export type RiskVerdict<C> = { ok: true; command: C } | { ok: false; code: DenialCode; message: string };
export type RiskDenial = Extract<RiskVerdict<unknown>, { ok: false }>;

export const approve = <C>(command: C): RiskVerdict<C> => ({ ok: true, command });
export const deny = (code: DenialCode, message: string): RiskDenial => ({ ok: false, code, message });

/** What the per-order checks know besides the command. */
export interface CheckContext {
  readonly instrument: Instrument;
  readonly state: TradingState;
  /**
   * Set when checking a ModifyOrder: the open order being modified. The command is then the order as it would be
   * after the modify (see modify-check.ts).
   */
  readonly modifying?: Order;
}

/** A per-order check. May return the command adjusted (rounded price, truncated quantity). */
export type OrderCheck = (
  cmd: SubmitOrder,
  env: RiskEnv,
  limits: RiskLimits,
  ctx: CheckContext,
) => RiskVerdict<SubmitOrder>;
