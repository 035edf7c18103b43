/**
 * A dashboard's traffic, as a process of its own (the latency bench's "dashboard connected"): the live stream over the
 * WebSocket (`?orders=changes`, as the dashboard asks), `/api/v1/status` every second and `/api/v1/equity` every ten, as engine/control/dashboard/app.js does.
 * Usage: node --import tsx bench/dashboard-client.ts <url> <token>; prints the messages it got when stopped (SIGTERM).
 */
import WebSocket from 'ws';

const [url = '', token = ''] = process.argv.slice(2);
const headers = { authorization: `Bearer ${token}` };
let messages = 0;
let bytes = 0;
let polls = 0;
const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/stream?orders=changes`, ['engine.stream.v1', `bearer.${token}`]);
ws.on('message', (data) => {
  const text = String(data);
  bytes += text.length;
  JSON.parse(text);
  messages++;
});
const poll = (path: string) => () => void fetch(`${url}/api/v1/${path}`, { headers }).then((r) => r.json()).then(() => polls++, () => undefined);
const status = setInterval(poll('status'), 1_000);
const equity = setInterval(poll('equity'), 10_000);
process.on('SIGTERM', () => {
  clearInterval(status);
  clearInterval(equity);
  ws.close();
  process.stdout.write(`${JSON.stringify({ messages, bytes, polls })}\n`);
  process.exit(0);
});
