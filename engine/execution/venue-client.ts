import type { Observable } from 'rxjs';
import type { CancelOrder, ModifyOrder, SubmitOrder } from '../model/commands.js';
import type { VenueOrderEvent } from '../model/events.js';
import type { ClientOrderId, VenueId, VenueOrderId } from '../model/ids.js';
import type { FillReport, OrderStatusReport, PositionReport } from '../model/reports.js';

/**
 * Order entry at one venue: the simulated venue (backtest, paper) and real adapters (live) implement it.
 * Commands never answer synchronously: every outcome arrives later on `events$`.
 */
export interface ExecutionClient {
  readonly venue: VenueId;
  readonly events$: Observable<VenueOrderEvent>;
  submit(command: SubmitOrder): void;
  cancel(command: CancelOrder): void;
  modify(command: ModifyOrder): void;
  /** Venue snapshots for reconciliation after a start or reconnect. Every open order of the account. */
  openOrders?(): Promise<readonly OrderStatusReport[]>;
  /** Every fill of the account since `sinceMs` (venue time), oldest first, paged to the end. */
  fills?(sinceMs: number): Promise<readonly FillReport[]>;
  /**
   * Every order of the account the venue closed (filled, canceled, rejected, expired) since `sinceMs`, paged to the end:
   * reconciliation adopts ours that the engine has no record of (an IOC sent just before a crash and canceled unfilled
   * leaves no fill and no open order behind).
   */
  orders?(sinceMs: number): Promise<readonly OrderStatusReport[]>;
  /** The account's positions where the venue keeps them: compared with the portfolio's after reconciliation. */
  positions?(): Promise<readonly PositionReport[]>;
  /**
   * The adapter dropped something on its order stream that may have been an order update or a fill (a malformed frame,
   * a gap): the kernel reconciles again soon, so whatever it was is asked for. The value says what happened.
   */
  readonly resync$?: Observable<string>;
  /**
   * The client reports each fill exactly once, under a trade id it never reuses (the simulated venue: a counter per
   * run). Execution then skips remembering fill keys for dedup, which a real venue's resends and reconnects need.
   */
  readonly uniqueFills?: boolean;
  /** One order's state at the venue (undefined: the venue does not know it), to settle an order in flight. */
  orderStatus?(clientOrderId: ClientOrderId, venueOrderId?: VenueOrderId): Promise<OrderStatusReport | undefined>;
}
