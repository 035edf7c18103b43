/**
 * The control plane's views of a trading node, read from what the node already keeps: shared by a running session's
 * source (node-source.ts) and a backtest's progress snapshots (backtest-snapshot.ts). Each call builds a small plain
 * JSON value; none of them touches the tick → order path.
 */
import type { Position } from '../model/position.js';
import { positionView } from '../portfolio/position.js';
import type { TradingNode } from '../kernel/trading-node.js';
import type { OpenOrderRow, PositionRow, StatsView, StrategyView } from './source.js';

const UNKNOWN_OUTCOME = new Set(['SUBMITTED', 'PENDING_CANCEL', 'PENDING_UPDATE']);

export const contractSizeOf = (node: TradingNode, id: string): number => node.instrument(id)?.contractSize ?? 1;

export function strategyRows(node: TradingNode): StrategyView[] {
  return node.host.list().map((s) => ({
    id: s.id, status: s.status, params: s.params as Readonly<Record<string, unknown>>,
    lastError: node.host.failures.filter((f) => f.id === s.id).map((f) => `${f.during}: ${f.error}`).at(-1) ?? null,
    openOrders: node.exec.openOrders(s.id).length,
  }));
}

/** A position as a row, marked at the instrument's last mid; with a strategy id, that strategy's share. */
export function positionRow(node: TradingNode, p: Position, strategyId?: string): PositionRow {
  const v = positionView(p, node.market.lastMid(p.instrumentId), contractSizeOf(node, p.instrumentId));
  return {
    instrumentId: p.instrumentId, ...(strategyId !== undefined ? { strategyId } : {}), side: v.side, quantity: p.quantity.toString(),
    avgPrice: v.avgPrice ?? null, realizedPnl: v.realizedPnl, unrealizedPnl: v.unrealizedPnl, fees: v.fees,
  };
}

/** The account's positions, then each strategy's own (with its strategyId), as the status API lists them. */
export function positionRows(node: TradingNode): PositionRow[] {
  const rows = node.portfolio.all().map((p) => positionRow(node, p));
  for (const { strategyId, position } of node.portfolio.strategyPositions()) rows.push(positionRow(node, position, strategyId));
  return rows;
}

export function openOrderRows(node: TradingNode, flagged: ReadonlySet<string> = new Set()): OpenOrderRow[] {
  return node.exec.openOrders().map((o) => ({
    clientOrderId: o.clientOrderId, strategyId: o.strategyId, instrumentId: o.instrumentId, venue: o.venue, side: o.side, type: o.type,
    timeInForce: o.timeInForce, status: o.status, inFlight: UNKNOWN_OUTCOME.has(o.status), flagged: flagged.has(o.clientOrderId),
    quantity: o.quantity, filledQty: o.filledQty, price: o.price ?? null, venueOrderId: o.venueOrderId ?? null, tsInit: o.tsInit,
  }));
}

export function statsOf(node: TradingNode): StatsView {
  let net = 0;
  for (const p of node.portfolio.all()) {
    const v = node.portfolio.view(p.instrumentId);
    net += v.realizedPnl + v.unrealizedPnl - v.fees;
  }
  const s = node.stats;
  return { ticks: s.ticks, orders: s.orders, fills: s.fills, denied: s.denied, deniedByCode: { ...s.deniedByCode }, rejected: s.rejected, netPnl: net };
}
