/** Sending and reading websocket frames; nothing goes out while the heartbeat fault silences the server. */
import { WebSocket } from 'ws';
import type { FaultState } from './faults.js';

export function sendJson(ws: WebSocket, faults: FaultState, frame: unknown): void {
  if (faults.silenced || ws.readyState !== WebSocket.OPEN) return;
  ws.send(JSON.stringify(frame));
}

/** A client frame as a JSON object, or undefined when it is not one. */
export function parseFrame(data: unknown): Record<string, unknown> | undefined {
  const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data as Buffer[]).toString('utf8') : undefined;
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
