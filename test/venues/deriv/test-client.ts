/** A raw JSON-over-websocket client for the simulator tests: send a request, await the reply with its req_id. */
import { WebSocket } from 'ws';

export interface RawClient {
  call(req: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Every frame received so far. */
  readonly frames: Record<string, unknown>[];
  close(): void;
}

export async function rawClient(url: string): Promise<RawClient> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => (ws.once('open', () => resolve()), ws.once('error', reject)));
  const frames: Record<string, unknown>[] = [];
  const waiters = new Map<number, (f: Record<string, unknown>) => void>();
  let next = 1;
  ws.on('message', (d) => {
    const f = JSON.parse(String(d)) as Record<string, unknown>;
    frames.push(f);
    const w = typeof f.req_id === 'number' ? waiters.get(f.req_id) : undefined;
    if (w) (waiters.delete(f.req_id as number), w(f));
  });
  return {
    frames,
    call(req) {
      const id = next++;
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no reply to ${JSON.stringify(req)}`)), 2_000);
        waiters.set(id, (f) => (clearTimeout(t), resolve(f)));
        ws.send(JSON.stringify({ ...req, req_id: id }));
      });
    },
    close: () => ws.close(),
  };
}
