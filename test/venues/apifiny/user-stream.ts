/**
 * User data streams: /ac/ws/v2/<VENUE>/order (Order Update frames) and /ac/ws/v2/<VENUE>/asset (Account Update frames),
 * authenticated at the upgrade by the JWT without digest (see http-server.ts). Each socket gets its account's frames
 * only, and the same heartbeat as market data (the doc's user stream example answers pings too). Client frames other
 * than pongs are ignored.
 */
import type { WebSocket } from 'ws';
import type { FaultState } from './faults.js';
import { attachHeartbeat, type HeartbeatOptions } from './heartbeat.js';
import type { ApifinyAssetUpdateFrame, ApifinyOrderUpdateFrame } from './protocol.js';
import type { UserStreamSink } from './venue-core.js';
import { parseFrame, sendJson } from './ws-frames.js';

export type UserStreamKind = 'order' | 'asset';

export interface UserStreamHub extends UserStreamSink {
  attach(ws: WebSocket, accountId: string, kind: UserStreamKind): void;
  readonly clients: ReadonlySet<WebSocket>;
}

export function createUserStreamHub(opts: { faults: FaultState; heartbeat: Omit<HeartbeatOptions, 'faults'> }): UserStreamHub {
  const { faults } = opts;
  const sockets = new Map<WebSocket, { accountId: string; kind: UserStreamKind }>();
  const clients = new Set<WebSocket>();
  const push = (accountId: string, kind: UserStreamKind, frame: ApifinyOrderUpdateFrame | ApifinyAssetUpdateFrame): void => {
    for (const [ws, s] of sockets) if (s.accountId === accountId && s.kind === kind) sendJson(ws, faults, frame);
  };
  return {
    clients,
    pushOrder: (accountId, frame) => push(accountId, 'order', frame),
    pushAsset: (accountId, frame) => push(accountId, 'asset', frame),
    attach(ws, accountId, kind) {
      sockets.set(ws, { accountId, kind });
      clients.add(ws);
      const heartbeat = attachHeartbeat(ws, { ...opts.heartbeat, faults });
      ws.on('message', (data) => {
        const frame = parseFrame(data);
        if (frame !== undefined) heartbeat.onFrame(frame);
      });
      ws.on('close', () => {
        sockets.delete(ws);
        clients.delete(ws);
      });
    },
  };
}
