import { request } from 'node:http';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { isLoopbackHost, tokenMatches } from '../../engine/control/auth.js';
import { startControlServer } from '../../engine/control/server.js';
import { createFakeSource } from './fake-source.js';
import { TOKEN, WRONG_TOKEN, startHarness, type Harness } from './server-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const silent = pino({ level: 'silent' });

describe('control server: who may start it', () => {
  it('refuses to listen on a non-loopback host without a token, saying to set ENGINE_CONTROL_TOKEN or bind 127.0.0.1', async () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com']) {
      await expect(startControlServer({ source: createFakeSource(), host, port: 0, token: undefined, log: silent })).rejects.toThrow(
        `the control server refuses to listen on ${host} without a token: set the token environment variable ENGINE_CONTROL_TOKEN or bind 127.0.0.1`,
      );
    }
  });

  it('listens on a non-loopback host when a token is configured', async () => {
    const server = await startControlServer({ source: createFakeSource(), host: '0.0.0.0', port: 0, token: TOKEN, log: silent });
    const res = await fetch(`http://127.0.0.1:${server.port}/api/v1/session`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    await server.close();
  });

  it('refuses an empty token and a token a browser could not send, without echoing it', async () => {
    const start = (token: string) => startControlServer({ source: createFakeSource(), host: '127.0.0.1', port: 0, token, log: silent });
    await expect(start('  ')).rejects.toThrow(/ENGINE_CONTROL_TOKEN is set but empty/);
    const refusal = await start('secret with spaces/and=signs').catch((e: Error) => e.message);
    expect(refusal).toMatch(/ENGINE_CONTROL_TOKEN may hold only letters, digits/);
    expect(refusal).not.toContain('secret with spaces');
  });

  it('names the address when the port is taken', async () => {
    h = await startHarness();
    await expect(startControlServer({ source: createFakeSource(), host: '127.0.0.1', port: h.server.port, token: TOKEN, log: silent })).rejects.toThrow(
      `the control server cannot listen on 127.0.0.1:${h.server.port}: EADDRINUSE`,
    );
  });

  it('counts 127.0.0.0/8, ::1 and localhost as loopback, and nothing else', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '', '10.0.0.1', '128.0.0.1', 'localhost.example.com', '::ffff:10.0.0.1']) expect(isLoopbackHost(host)).toBe(false);
  });

  it('compares tokens of any length without throwing', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(TOKEN, `${TOKEN}x`)).toBe(false);
    expect(tokenMatches(TOKEN, '')).toBe(false);
    expect(tokenMatches(TOKEN, undefined)).toBe(false);
  });
});

describe('control server: with a token configured', () => {
  it('answers a read without a token 401 with a message saying which header to send', async () => {
    h = await startHarness();
    const res = await h.get('/api/v1/status', null);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toEqual({
      schema: 'engine.error/1',
      error: 'this request needs the control token: send the header "Authorization: Bearer <token>" (the value of ENGINE_CONTROL_TOKEN)',
    });
  });

  it('answers a wrong token 401 without echoing it, and logs the refusal without any token', async () => {
    h = await startHarness();
    const res = await h.get('/api/v1/status', WRONG_TOKEN);
    expect(res.status).toBe(401);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ schema: 'engine.error/1', error: 'the control token is wrong: send the value of ENGINE_CONTROL_TOKEN the session was started with' });
    expect(text).not.toContain(WRONG_TOKEN);
    expect(h.logs.join('\n')).toMatch(/control request refused: wrong token/);
    expect(h.logs.join('\n')).not.toContain(WRONG_TOKEN);
    expect(h.logs.join('\n')).not.toContain(TOKEN);
  });

  it('answers a read with the right token', async () => {
    h = await startHarness();
    const res = await h.get('/api/v1/status');
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain(TOKEN);
  });

  it('refuses an action with a wrong token and changes nothing', async () => {
    h = await startHarness();
    const res = await h.post('/api/v1/trading-state', { state: 'HALTED' }, WRONG_TOKEN);
    expect(res.status).toBe(401);
    expect(h.source.actions).toEqual([]);
    expect(h.source.audits).toEqual([]);
  });

  it('accepts the scheme name in any case and refuses a token sent as Basic', async () => {
    h = await startHarness();
    expect((await fetch(`${h.url}/api/v1/session`, { headers: { authorization: `bearer ${TOKEN}` } })).status).toBe(200);
    expect((await fetch(`${h.url}/api/v1/session`, { headers: { authorization: `Basic ${TOKEN}` } })).status).toBe(401);
  });

  it('never writes the token in a log line, an answer or an audit entry over a whole session of requests', async () => {
    h = await startHarness();
    const answers = await Promise.all([
      h.get('/api/v1/status').then((r) => r.text()),
      h.post('/api/v1/trading-state', { state: 'HALTED', reason: 'test' }).then((r) => r.text()),
      h.post('/api/v1/flatten', { instrumentId: 'X', confirm: 'Y' }).then((r) => r.text()),
      h.get('/api/v1/nothing').then((r) => r.text()),
    ]);
    const everything = [...answers, ...h.logs, JSON.stringify(h.source.audits)].join('\n');
    expect(h.source.audits).toHaveLength(1);
    expect(everything).not.toContain(TOKEN);
  });
});

describe('control server: without a token (loopback only)', () => {
  it('answers reads', async () => {
    h = await startHarness({ token: undefined });
    const res = await h.get('/api/v1/session');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { schema: string }).schema).toBe('engine.session/1');
  });

  it('answers every action 401 saying to set ENGINE_CONTROL_TOKEN, and changes nothing', async () => {
    h = await startHarness({ token: undefined });
    const posts: Array<[string, unknown]> = [
      ['/api/v1/trading-state', { state: 'HALTED' }],
      ['/api/v1/cancel-all', {}],
      ['/api/v1/orders/r7-quoter-1/cancel', {}],
      ['/api/v1/strategies/quoter/stop', {}],
      ['/api/v1/flatten', { instrumentId: 'BTC-USD@transact', confirm: 'BTC-USD@transact' }],
    ];
    for (const [path, body] of posts) {
      const res = await h.post(path, body, 'anything');
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ schema: 'engine.error/1', error: 'control actions need a token: set ENGINE_CONTROL_TOKEN and restart the session' });
    }
    expect(h.source.actions).toEqual([]);
    expect(h.source.audits).toEqual([]);
  });

  it('refuses a request addressed to a name that is not loopback (a DNS-rebinding page)', async () => {
    h = await startHarness({ token: undefined });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${h!.url}/api/v1/positions`, { headers: { host: `evil.example:${h!.server.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    expect((await h.get('/api/v1/positions')).status).toBe(200);
  });
});
