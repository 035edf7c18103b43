/**
 * A ControlSource over plain arrays the test mutates, a Subject for the stream, and a record of every action and
 * audit entry it receives. Actions answer `result` (ok by default) unless a test sets another one.
 */
import { Subject } from 'rxjs';
import type {
  ActionResult, AuditEntry, CancelScope, ControlSource, FillRow, OpenOrderRow, PositionRow, SessionView, StatsView, StrategyView,
  StreamMessage, TradingStateName, VenueView,
} from '../../engine/control/source.js';

export type ReceivedAction =
  | { readonly method: 'setTradingState'; readonly state: TradingStateName; readonly reason: string }
  | { readonly method: 'cancelAll'; readonly scope: CancelScope }
  | { readonly method: 'cancel'; readonly clientOrderId: string }
  | { readonly method: 'stopStrategy'; readonly strategyId: string; readonly reason: string }
  | { readonly method: 'flatten'; readonly instrumentId: string };

export interface FakeSource extends ControlSource {
  session(): SessionView;
  sessionView: SessionView;
  venueRows: VenueView[];
  strategyRows: StrategyView[];
  positionRows: PositionRow[];
  orderRows: OpenOrderRow[];
  fillRows: FillRow[];
  equityRows: Array<readonly [number, number]>;
  statsView: StatsView;
  logRows: Array<Extract<StreamMessage, { type: 'log' }>>;
  readonly stream$: Subject<StreamMessage>;
  readOnly: boolean;
  result: ActionResult;
  /** The limits recentFills / recentLogs were asked with. */
  readonly limitsAsked: { fills: number[]; logs: number[] };
  readonly actions: ReceivedAction[];
  readonly audits: AuditEntry[];
}

export const venueRow = (venue: string): VenueView => ({
  venue, connection: 'connected', sync: 'synced', holdReason: null, lastMessageAgeMs: 120, fillMark: 1_700_000_000_000,
  lastReconciledAt: 1_700_000_000_500, reconciliations: 1, failedReconciliations: 0, lastError: null, fillsRecovered: 0,
  ordersAdopted: 0, flagged: [], rateLimit: { spec: '10/1s', used: 2, limit: 10 },
});

export const orderRow = (clientOrderId: string, over: Partial<OpenOrderRow> = {}): OpenOrderRow => ({
  clientOrderId, strategyId: 'quoter', instrumentId: 'BTC-USD@transact', venue: 'transact', side: 'buy', type: 'LIMIT',
  timeInForce: 'GTC', status: 'ACCEPTED', inFlight: false, flagged: false, quantity: 0.5, filledQty: 0, price: 30_000,
  venueOrderId: 'v-1', tsInit: 1_700_000_000_000, ...over,
});

export const fillRow = (n: number): FillRow => ({
  ts: 1_700_000_000_000 + n, clientOrderId: `r1-quoter-${n}`, strategyId: 'quoter', instrumentId: 'BTC-USD@transact',
  venue: 'transact', side: n % 2 === 0 ? 'buy' : 'sell', qty: 0.1, price: 30_000 + n, fee: 0.01, feeCurrency: 'USD', liquidity: 'maker',
});

export function createFakeSource(): FakeSource {
  const limitsAsked = { fills: [] as number[], logs: [] as number[] };
  const actions: ReceivedAction[] = [];
  const audits: AuditEntry[] = [];
  const act = (a: ReceivedAction, self: FakeSource): ActionResult => {
    actions.push(a);
    return self.result;
  };
  const source: FakeSource = {
    sessionView: {
      mode: 'paper', runId: 7, portfolio: 'main', startedAt: 1_700_000_000_000, engineTime: 1_700_000_060_000, uptimeMs: 60_000,
      tradingState: 'ACTIVE',
    },
    venueRows: [venueRow('transact')],
    strategyRows: [{ id: 'quoter', status: 'running', params: { spread: 0.001 }, lastError: null, openOrders: 1 }],
    positionRows: [
      { instrumentId: 'BTC-USD@transact', side: 'long', quantity: '0.3', avgPrice: 30_000, realizedPnl: 1.5, unrealizedPnl: -0.25, fees: 0.02 },
      { instrumentId: 'BTC-USD@transact', strategyId: 'quoter', side: 'long', quantity: '0.3', avgPrice: 30_000, realizedPnl: 1.5, unrealizedPnl: -0.25, fees: 0.02 },
    ],
    orderRows: [orderRow('r7-quoter-1')],
    fillRows: [],
    equityRows: [[1_700_000_000_000, 10_000], [1_700_000_030_000, 10_001.25]],
    statsView: { ticks: 1200, orders: 24, fills: 5, denied: 2, deniedByCode: { TRADING_HALTED: 2 }, rejected: 1, netPnl: 1.23 },
    logRows: [],
    stream$: new Subject<StreamMessage>(),
    readOnly: false,
    result: { ok: true, message: 'done' },
    limitsAsked,
    actions,
    audits,
    session() {
      return source.sessionView;
    },
    venues: () => source.venueRows,
    strategies: () => source.strategyRows,
    positions: () => source.positionRows,
    openOrders: () => source.orderRows,
    recentFills(limit) {
      limitsAsked.fills.push(limit);
      return source.fillRows.slice(-limit);
    },
    equity: () => source.equityRows,
    stats: () => source.statsView,
    recentLogs(limit) {
      limitsAsked.logs.push(limit);
      return source.logRows.slice(-limit);
    },
    setTradingState: (state, reason) => act({ method: 'setTradingState', state, reason }, source),
    cancelAll: (scope) => act({ method: 'cancelAll', scope }, source),
    cancel: (clientOrderId) => act({ method: 'cancel', clientOrderId }, source),
    stopStrategy: (strategyId, reason) => act({ method: 'stopStrategy', strategyId, reason }, source),
    flatten: (instrumentId) => act({ method: 'flatten', instrumentId }, source),
    audit(entry) {
      audits.push(entry);
    },
  };
  return source;
}
