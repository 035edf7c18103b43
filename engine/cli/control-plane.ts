/**
 * The control plane of a paper or live session (engine/control/API.md): the session's ControlSource, the HTTP and
 * WebSocket server with the dashboard, and the status line a terminal shows every few seconds.
 */
import type { Logger } from 'pino';
import { ConfigError, type EngineConfig } from '../config/config.js';
import { createAuditStore } from '../control/audit-store.js';
import { dashboardFiles } from '../control/dashboard/index.js';
import { createNodeSource, OPERATOR, type NodeSource } from '../control/node-source.js';
import { startControlServer } from '../control/server.js';
import type { LiveSession } from '../kernel/live-session.js';
import { terminalFor } from '../log/terminal.js';
import { loadEquity, loadFills, maxClientOrderCounter, type Database } from '../persistence/index.js';
import { equityOf } from '../portfolio/equity.js';
import { formatStatusLine } from './status-screen.js';

export interface ControlPlane {
  readonly url: string;
  readonly source: NodeSource;
  close(): Promise<void>;
}

/**
 * Starts the control plane of a running session. A port that cannot be had (in use) stops the session and refuses,
 * saying what to change: the engine never trades without the controls the config asked for.
 */
export async function startControlPlane(
  session: LiveSession,
  opts: { config: EngineConfig; db: Database; log: Logger; venueIds: readonly string[] },
): Promise<ControlPlane> {
  const { node } = session;
  const source = createNodeSource({
    node, venues: session.venues, venueIds: opts.venueIds, storedFills: loadFills(opts.db, node.portfolioId),
    // the stored samples (every report.equityIntervalMs), then the equity now, so the curve ends where the PnL is
    equity: () => [
      ...loadEquity(opts.db, node.runId).map((s) => [s.ts, s.equity] as const),
      [node.clock.now(), equityOf(node.portfolio, (id) => node.instrument(id)?.contractSize ?? 1, 0).toNumber()] as const,
    ],
    auditStore: createAuditStore(opts.db, node.runId), lastOperatorCounter: maxClientOrderCounter(opts.db, OPERATOR), startedAt: node.clock.now(),
  });
  const { host, port } = opts.config.control;
  const files = dashboardFiles();
  try {
    const server = await startControlServer({
      source, host, port, token: process.env.ENGINE_CONTROL_TOKEN || undefined, log: opts.log, dashboardDir: files.dir, assets: files.assets,
    });
    return {
      url: server.url, source,
      async close() {
        await server.close();
        source.close();
      },
    };
  } catch (e) {
    source.close();
    await session.stop(1_000);
    throw new ConfigError([`control plane: ${(e as Error).message}; set control.port to a free port (0: any), or control.enabled: false`], 'the session');
  }
}

/** On a terminal: a status line under the log lines every `everyMs` (fills, open orders, net PnL, venue state). */
export function startStatusLine(source: NodeSource, everyMs: number): { stop(): void } {
  const terminal = terminalFor(process.stderr);
  const draw = (): void => {
    terminal.status(formatStatusLine({ session: source.session(), venues: source.venues(), stats: source.stats(), openOrders: source.openOrders().length }));
  };
  draw();
  const timer = setInterval(draw, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      terminal.clearStatus();
    },
  };
}
