import type { Observable } from 'rxjs';
import type { CancelOrder, ModifyOrder, SubmitOrder } from '../model/commands.js';
import type { VenueOrderEvent } from '../model/events.js';
import type { ClientOrderId, VenueId, VenueOrderId } from '../model/ids.js';
import type { FillReport, OrderStatusReport } from '../model/reports.js';

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
  /** Venue snapshots for reconciliation after a start or reconnect. */
  openOrders?(): Promise<readonly OrderStatusReport[]>;
  fills?(sinceMs: number): Promise<readonly FillReport[]>;
  /** One order's state at the venue (undefined: the venue does not know it), to settle an order in flight. */
  orderStatus?(clientOrderId: ClientOrderId, venueOrderId?: VenueOrderId): Promise<OrderStatusReport | undefined>;
}
