/** A raw protocol client for the simulator tests: sends `cmd`s with a seq and collects data messages until the status. */
import WebSocket from 'ws';
import { DEMO_USER, startTransactSimulator, type TransactSimulator, type TransactSimulatorOptions } from './sim-server.js';

export interface Reply {
  readonly status: Record<string, unknown> & { status: number; text?: string };
  readonly data: Record<string, unknown>[];
}

export interface RawClient {
  /** Every frame without a seq (topics), in arrival order. */
  readonly topics: Record<string, unknown>[];
  cmd(cmd: string, args?: Record<string, unknown>, timeoutMs?: number): Promise<Reply>;
  waitTopic(pred: (t: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): void;
}

export async function rawClient(url: string): Promise<RawClient> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let seq = 0;
  const topics: Record<string, unknown>[] = [];
  const pending = new Map<number, { data: Record<string, unknown>[]; resolve: (r: Reply) => void }>();
  ws.on('message', (raw) => {
    const m = JSON.parse(String(raw)) as Record<string, unknown>;
    const p = typeof m.seq === 'number' ? pending.get(m.seq) : undefined;
    if (!p) return void topics.push(m);
    if (typeof m.status === 'number') {
      pending.delete(m.seq as number);
      p.resolve({ status: m as Reply['status'], data: p.data });
    } else p.data.push(m);
  });
  return {
    topics,
    cmd(cmd, args = {}, timeoutMs = 2_000) {
      const s = ++seq;
      return new Promise<Reply>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no status for ${cmd} (seq ${s})`)), timeoutMs);
        pending.set(s, { data: [], resolve: (r) => (clearTimeout(timer), resolve(r)) });
        ws.send(JSON.stringify({ cmd, seq: s, ...args }));
      });
    },
    async waitTopic(pred, timeoutMs = 2_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const hit = topics.find(pred);
        if (hit) return hit;
        if (Date.now() > end) throw new Error('no matching topic message in time');
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () => ws.terminate(),
  };
}

export async function startTestSimulator(opts: TransactSimulatorOptions = {}): Promise<TransactSimulator> {
  const sim = await startTransactSimulator({ marketIntervalMs: 0, heartbeatMs: 200, ...opts });
  sim.market.moveTo('ESZ6', 5000);
  return sim;
}

/** Logs in and presents the key on a new orders or prices connection. */
export async function sessionClient(sim: TransactSimulator, kind: 'orders' | 'prices'): Promise<{ client: RawClient; key: string }> {
  const auth = await rawClient(sim.urls.auth);
  const r = await auth.cmd('login', { username: DEMO_USER.username, password: DEMO_USER.password, api_key: DEMO_USER.apiKey });
  auth.close();
  const key = String(r.data[0]?.session_key);
  const client = await rawClient(sim.urls[kind]);
  const s = await client.cmd('session', { session_key: key });
  if (s.status.status !== 1) throw new Error(`session refused: ${s.status.text}`);
  return { client, key };
}
