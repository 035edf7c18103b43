/**
 * The control plane's view of a running paper or live session (ControlSource over the trading node): cheap snapshots
 * of what the engine already keeps, kept small (recent fills, recent warnings), and control actions that go in as
 * intents on the engine's dispatcher, through the risk layer like any other.
 */
import { Subject } from 'rxjs';
import type { OrderEvent, OrderFilled } from '../model/events.js';
import { formatClientOrderId } from '../model/ids.js';
import type { OrderView } from '../model/order.js';
import type { TradingNode } from '../kernel/trading-node.js';
import type { VenueSyncStatus } from '../kernel/venue-sync.js';
import type { StoredFill } from '../persistence/index.js';
import { openOrderRows, positionRows, statsOf, strategyRows } from './node-views.js';
import { createRingBuffer } from './ring-buffer.js';
import type {
  ActionResult, AuditEntry, CancelScope, ControlSource, FillRow, StreamMessage, TradingStateName, VenueView,
} from './source.js';

/** The id under which operator orders (flatten) are placed: `operator-<run>-<n>`. */
export const OPERATOR = 'operator';

export interface NodeSourceOptions {
  readonly node: TradingNode;
  /** Live venues' sync state (paper: none; its venues are simulated). */
  readonly venues: () => readonly VenueSyncStatus[];
  /** Every venue of the session (paper venues have no sync). */
  readonly venueIds: readonly string[];
  /** The portfolio's stored fills, oldest first: per-strategy positions and the recent fills start from them. */
  readonly storedFills: readonly StoredFill[];
  /** Equity samples of the run, read when asked. */
  readonly equity: () => ReadonlyArray<readonly [number, number]>;
  /** Persists an audit entry (SQLite). */
  readonly auditStore: { append(entry: AuditEntry): void };
  /** Last client order id counter used by the operator in this portfolio (ids resume past it). */
  readonly lastOperatorCounter: number;
  readonly startedAt: number;
}

export interface NodeSource extends ControlSource {
  /** Takes a log line (pino object) for the recent warnings and the stream; only warn and above are kept. */
  log(line: Readonly<Record<string, unknown>>): void;
  /** The same for a JSON log line as the logger writes it (the logger's tap): lines below warn are not parsed. */
  logLine(json: string): void;
  close(): void;
}

const LEVELS: Readonly<Record<number, 'warn' | 'error' | 'fatal'>> = { 40: 'warn', 50: 'error', 60: 'fatal' };
const WARN_OR_MORE = /^\{"level":[456]0[,}]/;
/** The stream's shortest interval between two frames, on the engine clock (a live clock: wall time). */
const FLUSH_MS = 50;

export function createNodeSource(opts: NodeSourceOptions): NodeSource {
  const { node } = opts;
  const stream$ = new Subject<StreamMessage>();
  const fills = createRingBuffer<FillRow>(1_000);
  const logs = createRingBuffer<Extract<StreamMessage, { type: 'log' }>>(200);
  const fillRow = (f: OrderFilled): FillRow => ({
    ts: f.tsEvent, clientOrderId: f.clientOrderId, strategyId: f.strategyId, instrumentId: f.instrumentId, venue: f.venue, side: f.side,
    qty: f.lastQty, price: f.lastPrice, fee: f.fee, feeCurrency: f.feeCurrency, liquidity: f.liquidity,
  });
  for (const f of opts.storedFills) {
    fills.push({
      ts: f.tsEvent, clientOrderId: f.clientOrderId, strategyId: f.strategyId, instrumentId: f.instrumentId, venue: f.venue, side: f.side,
      qty: Number(f.lastQty), price: Number(f.lastPrice), fee: Number(f.fee), feeCurrency: f.feeCurrency, liquidity: f.liquidity,
    });
  }

  /**
   * What the engine publishes reaches the stream after its current work, never inside it: the watcher only keeps a
   * reference (no copy, no serialisation on the tick → order path). A flush sends what waited as one message (a
   * `batch` when more than one), in order, at most every FLUSH_MS: a session placing thousands of orders a second costs
   * its viewers ~20 frames a second, not thousands (measured: one frame per event slowed tick → order p99 by 20–40 %).
   */
  let pending: StreamMessage[] = [];
  let lastFlush = 0;
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    lastFlush = node.clock.now();
    const batch = pending;
    pending = [];
    if (batch.length === 1) stream$.next(batch[0]!);
    else if (batch.length > 1) stream$.next({ type: 'batch', messages: batch });
  };
  /** Every stream message goes through here, so they keep the order in which things happened. */
  const emit = (m: StreamMessage): void => {
    if (!stream$.observed) return;
    pending.push(m);
    if (scheduled) return;
    scheduled = true;
    const wait = lastFlush + FLUSH_MS - node.clock.now();
    if (wait <= 0) setImmediate(flush);
    else setTimeout(flush, wait).unref();
  };
  const unwatch = node.watch({
    onEvent(event: OrderEvent) {
      if (event.kind === 'OrderFilled') {
        fills.push(fillRow(event));
      }
      emit({ type: 'order', event: event as unknown as Readonly<Record<string, unknown>> });
    },
    onTradingState: (state, reason) => emit({ type: 'state', tradingState: state, reason }),
  });

  const flaggedIds = (): Set<string> => new Set(opts.venues().flatMap((v) => v.flagged));
  const lastMessageAt = (venue: string): number | null => {
    let last: number | null = null;
    for (const i of node.instruments()) {
      if (i.venue !== venue) continue;
      for (const t of [node.market.lastQuote(i.id), node.market.lastBook(i.id), node.market.lastTrade(i.id), node.market.lastBar(i.id)]) {
        if (t !== undefined && (last === null || t.tsInit > last)) last = t.tsInit;
      }
    }
    return last;
  };
  const venueView = (venue: string): VenueView => {
    const s = opts.venues().find((v) => v.venue === venue);
    const last = lastMessageAt(venue);
    const holdReason = node.exec.holds().get(venue) ?? node.exec.holds().get('*') ?? null;
    return {
      venue, connection: s?.connection ?? 'connected', sync: s?.state ?? 'simulated', holdReason,
      lastMessageAgeMs: last === null ? null : Math.max(0, node.clock.now() - last),
      fillMark: s?.fillMark ?? null, lastReconciledAt: s?.lastReconciledAt ?? null, reconciliations: s?.reconciliations ?? 0,
      failedReconciliations: s?.failedReconciliations ?? 0, lastError: s?.lastError ?? null, fillsRecovered: s?.fillsRecovered ?? 0,
      ordersAdopted: s?.ordersAdopted ?? 0, flagged: s?.flagged ?? [], rateLimit: node.risk.rateUsage(venue),
    };
  };

  // venue state changes go on the stream (polled: the sync keeps no listeners, and a second is soon enough)
  let lastVenues = '';
  const poll = setInterval(() => {
    const views = opts.venueIds.map(venueView).map((v) => Object.assign({}, v, { lastMessageAgeMs: null }));
    const text = JSON.stringify(views);
    if (text === lastVenues) return;
    lastVenues = text;
    for (const v of opts.venueIds.map(venueView)) emit({ type: 'venue', venue: v });
  }, 1_000);
  poll.unref();

  let operatorCounter = opts.lastOperatorCounter;
  const now = (): number => node.clock.now();
  const inEngine = <T>(work: () => T): T => {
    let out: T | undefined;
    node.dispatch(() => {
      out = work();
    });
    return out!;
  };
  const cancelWhere = (pick: (o: OrderView) => boolean): ActionResult => inEngine(() => {
    const ids: string[] = [];
    for (const o of node.exec.openOrders()) {
      if (!pick(o) || o.status === 'PENDING_CANCEL') continue;
      node.exec.cancel({ kind: 'CancelOrder', clientOrderId: o.clientOrderId, strategyId: o.strategyId, instrumentId: o.instrumentId, venueOrderId: o.venueOrderId, tsInit: now() });
      ids.push(o.clientOrderId);
    }
    return { ok: true, message: ids.length === 0 ? 'no open order matched' : `cancel sent for ${ids.length} order(s)`, orders: ids };
  });

  const source: NodeSource = {
    readOnly: false,
    stream$: stream$.asObservable(),
    session: () => ({
      mode: node.mode, runId: node.runId, portfolio: node.portfolioId, startedAt: opts.startedAt, engineTime: now(),
      uptimeMs: now() - opts.startedAt, tradingState: node.risk.state,
    }),
    venues: () => opts.venueIds.map(venueView),
    strategies: () => strategyRows(node),
    positions() {
      return positionRows(node);
    },
    openOrders: () => openOrderRows(node, flaggedIds()),
    recentFills: (limit) => fills.last(limit),
    equity: opts.equity,
    stats: () => statsOf(node),
    recentLogs: (limit) => logs.last(limit),

    setTradingState(state: TradingStateName, reason) {
      const was = node.risk.state;
      inEngine(() => node.setTradingState(state, reason));
      return { ok: true, message: was === state ? `trading state already ${state}` : `trading state ${was} → ${state}` };
    },
    cancelAll: (scope: CancelScope) => cancelWhere((o) =>
      (scope.venue === undefined || o.venue === scope.venue) && (scope.instrumentId === undefined || o.instrumentId === scope.instrumentId) &&
      (scope.strategyId === undefined || o.strategyId === scope.strategyId)),
    cancel(id) {
      const o = node.exec.order(id);
      if (o === undefined) return { ok: false, message: `no order ${id}` };
      if (o.status === 'PENDING_CANCEL') return { ok: true, message: `${id} is being canceled already`, orders: [] };
      if (!['SUBMITTED', 'ACCEPTED', 'PARTIALLY_FILLED', 'PENDING_UPDATE'].includes(o.status)) return { ok: false, message: `${id} is ${o.status}: nothing to cancel` };
      return cancelWhere((x) => x.clientOrderId === id);
    },
    stopStrategy(id, reason) {
      const status = node.host.status(id);
      if (status === undefined) return { ok: false, message: `no strategy ${id} (strategies: ${node.host.list().map((s) => s.id).join(', ')})` };
      if (status === 'stopped' || status === 'failed') return { ok: false, message: `strategy ${id} is ${status} already` };
      inEngine(() => node.host.stop(id, reason));
      return { ok: true, message: `strategy ${id} stopped; its open orders are being canceled` };
    },
    flatten(instrumentId) {
      if (node.instrument(instrumentId) === undefined) return { ok: false, message: `unknown instrument ${instrumentId}` };
      const qty = node.portfolio.quantity(instrumentId);
      if (qty === 0) return { ok: true, message: `${instrumentId} is flat already`, orders: [] };
      const id = formatClientOrderId(OPERATOR, node.runId, ++operatorCounter);
      let denial: string | undefined;
      const stop = node.watch({ onEvent: (e) => void (e.clientOrderId === id && e.kind === 'OrderDenied' && (denial = `${e.code}: ${e.message}`)) });
      try {
        inEngine(() => node.exec.submit({
          kind: 'SubmitOrder', clientOrderId: id, strategyId: OPERATOR, instrumentId, side: qty > 0 ? 'sell' : 'buy', type: 'market',
          quantity: Math.abs(qty), timeInForce: 'IOC', postOnly: false, reduceOnly: true, tag: 'flatten', tsInit: now(),
        }));
      } finally {
        stop();
      }
      if (denial !== undefined) return { ok: false, message: `flatten order ${id} denied by the risk layer: ${denial}`, orders: [id] };
      return { ok: true, message: `market order ${id} sent to flatten ${instrumentId} (${qty > 0 ? 'sell' : 'buy'} ${Math.abs(qty)})`, orders: [id] };
    },
    audit(entry) {
      opts.auditStore.append(entry);
      emit({ type: 'audit', entry });
    },
    log(line) {
      const level = LEVELS[Number(line.level)];
      if (level === undefined) return;
      const { level: _l, time, msg, ...fields } = line;
      const m = { type: 'log' as const, level, time: Number(time), msg: String(msg ?? ''), fields };
      logs.push(m);
      emit(m);
    },
    logLine(json) {
      if (!WARN_OR_MORE.test(json)) return;
      try {
        source.log(JSON.parse(json) as Record<string, unknown>);
      } catch {
        // not a JSON line: nothing to show
      }
    },
    close() {
      flush();
      clearInterval(poll);
      unwatch();
      stream$.complete();
    },
  };
  return source;
}
