/**
 * The documented websocket heartbeat: the server sends `{"ping": n}` every intervalMs (30 s at the venue) and the client
 * answers `{"pong": n}` with the same integer. A client that leaves `maxMissed` pings in a row unanswered is dropped
 * (terminated) at the next beat. While the heartbeat is silenced (fault), no ping goes out and nobody is dropped.
 */
import type { WebSocket } from 'ws';
import type { FaultState } from './faults.js';
import { sendJson } from './ws-frames.js';

export interface HeartbeatOptions {
  readonly intervalMs: number;
  readonly maxMissed: number;
  readonly faults: FaultState;
  readonly now: () => number;
}

export interface Heartbeat {
  /** Handles a client frame; true when it was a pong (matching or not). */
  onFrame(frame: Record<string, unknown>): boolean;
  stop(): void;
}

export function attachHeartbeat(ws: WebSocket, opts: HeartbeatOptions): Heartbeat {
  let outstanding: number[] = [];
  let last = 0;
  const timer = setInterval(() => {
    if (opts.faults.silenced) return;
    if (outstanding.length >= opts.maxMissed) {
      ws.terminate();
      return;
    }
    const n = Math.max(Math.floor(opts.now()), last + 1);
    last = n;
    outstanding.push(n);
    sendJson(ws, opts.faults, { ping: n });
  }, opts.intervalMs);
  const stop = (): void => clearInterval(timer);
  ws.on('close', stop);
  return {
    onFrame(frame) {
      if (!('pong' in frame)) return false;
      if (!opts.faults.silenced && outstanding.includes(Number(frame.pong))) outstanding = [];
      return true;
    },
    stop,
  };
}
