/**
 * The control plane of a real `engine paper` process, driven over loopback by the CLI verbs (each its own process) and
 * by a WebSocket client: what an operator does to a running session, and what is stored of it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAudit } from '../../engine/control/audit-store.js';
import { loadFills, openDatabase } from '../../engine/persistence/index.js';

const ROOT = resolve(__dirname, '../..');
const TOKEN = 'session-test-token-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'engine-control-'));
const db = join(dir, 'paper.db');
const config = join(dir, 'paper.config.ts');
let session: ChildProcess;
let url = '';
let exited: Promise<number | null>;
const sessionOut: string[] = [];

/** One CLI verb against the session: its exit code and what it printed. */
function engine(...args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', ...args, '--url', url], {
    cwd: ROOT, env: { ...process.env, ENGINE_CONTROL_TOKEN: TOKEN }, encoding: 'utf8', timeout: 20_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const statusJson = () => JSON.parse(engine('status', '--json').out) as Record<string, any>;

beforeAll(async () => {
  writeFileSync(config, `export default ${JSON.stringify({
    mode: 'paper',
    instruments: [{ id: 'BTCUSD.FAKE', venue: 'FAKE', venueSymbol: 'BTCUSD', base: 'BTC', quote: 'USD', tickSize: 0.01, stepSize: 0.001 }],
    strategies: [{ use: resolve(ROOT, 'test/fixtures/tick-trader.ts') }],
    venues: { fake: { adapter: resolve(ROOT, 'test/fixtures/fake-adapter.ts'), options: { everyMs: 10 } } },
    storage: { flushIntervalMs: 5 },
    control: { port: 0 },
  })};\n`);
  session = spawn(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', 'paper', '--config', config, '--db', db], {
    cwd: ROOT, env: { ...process.env, ENGINE_CONTROL_TOKEN: TOKEN, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  session.stderr!.resume();
  exited = new Promise((r) => session.once('exit', (code) => r(code)));
  url = await new Promise<string>((res, rej) => {
    createInterface({ input: session.stdout! }).on('line', (line) => {
      sessionOut.push(line);
      const m = /control plane (http:\/\/\S+):/.exec(line);
      if (m) res(m[1]!);
    });
    void exited.then((code) => rej(new Error(`paper session exited (${code}) before its control plane started`)));
  });
}, 30_000);

afterAll(async () => {
  if (session.exitCode === null) session.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('steering a running paper session from the command line', () => {
  it('shows the session, its venue, strategy, positions and fills, as text and as JSON', async () => {
    await sleep(800);
    const s = statusJson();
    expect(s.schema).toBe('engine.status/1');
    expect(s.session).toMatchObject({ mode: 'paper', tradingState: 'ACTIVE' });
    expect(s.venues).toEqual([expect.objectContaining({ venue: 'FAKE', sync: 'simulated', holdReason: null })]);
    expect(s.strategies).toEqual([expect.objectContaining({ id: 'tick-trader', status: 'running' })]);
    expect(s.stats.fills).toBeGreaterThan(0);
    const text = engine('status');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^paper run \d+ · portfolio default-paper · up \d\d:\d\d:\d\d .* trading ACTIVE/);
    expect(text.out).toMatch(/recent fills\n {2}\d\d:\d\d:\d\d {2}tick-trader-\d+-\d+/);
  });

  it('answers every read endpoint with its versioned schema, agreeing with the session', async () => {
    const read = async (route: string): Promise<Record<string, any>> => {
      const res = await fetch(`${url}/api/v1/${route}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, any>;
      expect(body.schema).toBe(`engine.${route.replace(/\?.*$/, '')}/1`);
      return body;
    };
    const session = (await read('session')).session;
    expect(session).toMatchObject({ mode: 'paper', portfolio: 'default-paper', tradingState: 'ACTIVE' });
    expect(session.runId).toBeGreaterThan(0);
    expect((await read('venues')).venues).toEqual([expect.objectContaining({ venue: 'FAKE', connection: 'connected' })]);
    expect((await read('strategies')).strategies).toEqual([expect.objectContaining({ id: 'tick-trader', status: 'running', lastError: null })]);
    const positions = (await read('positions')).positions as Array<Record<string, any>>;
    // the portfolio's row, and the strategy's own row of the same instrument with the same quantity (one strategy)
    const whole = positions.find((p) => p.strategyId === undefined)!;
    expect(positions.find((p) => p.strategyId === 'tick-trader')?.quantity).toBe(whole.quantity);
    expect(Array.isArray((await read('orders')).orders)).toBe(true);
    const fills = (await read('fills?limit=3')).fills as Array<Record<string, any>>;
    expect(fills).toHaveLength(3);
    expect(fills[0]!.ts).toBeLessThanOrEqual(fills[2]!.ts); // newest last
    const stats = (await read('stats')).stats;
    expect(stats.fills).toBeGreaterThanOrEqual(3);
    expect(stats.orders).toBeGreaterThanOrEqual(stats.fills);
    expect(Array.isArray((await read('equity')).equity)).toBe(true);
    expect(Array.isArray((await read('logs')).logs)).toBe(true);
    const bad = await fetch(`${url}/api/v1/fills?limit=abc`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bad.status).toBe(400);
  });

  it('shows the status again and again with --watch, and cancel names what it cannot cancel', async () => {
    const watch = spawn(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', 'status', '--watch', '1', '--url', url], {
      cwd: ROOT, env: { ...process.env, ENGINE_CONTROL_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let screen = '';
    watch.stdout!.on('data', (d: Buffer) => void (screen += d.toString()));
    await sleep(3_500);
    watch.kill('SIGINT');
    await new Promise((r) => watch.once('exit', r));
    expect(screen.match(/paper run \d+ · portfolio default-paper/g)?.length ?? 0).toBeGreaterThanOrEqual(2);

    const filled = statusJson().fills.at(-1).clientOrderId as string;
    expect(engine('cancel', filled)).toMatchObject({ code: 1, out: expect.stringMatching(new RegExp(`^refused: ${filled} is FILLED: nothing to cancel`)) });
    expect(engine('cancel', 'no-such-order')).toMatchObject({ code: 1, out: expect.stringMatching(/^refused: no order no-such-order/) });
  });

  it('reduces: trading state REDUCING, and back to ACTIVE', () => {
    expect(engine('reduce', '--reason', 'test').out).toMatch(/^done: trading state ACTIVE → REDUCING/);
    expect(statusJson().session.tradingState).toBe('REDUCING');
    expect(engine('resume').out).toMatch(/^done: trading state REDUCING → ACTIVE/);
  });

  it('streams every fill over the WebSocket in the order the engine stored them', async () => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/api/v1/stream`, ['engine.stream.v1', `bearer.${TOKEN}`]);
    const fills: string[] = [];
    let hello = false;
    type Message = { type: string; event?: { kind: string; tradeId: string }; messages?: Message[] };
    const take = (m: Message): void => {
      if (m.type === 'hello') hello = true;
      if (m.type === 'batch') for (const x of m.messages ?? []) take(x);
      if (m.type === 'order' && m.event?.kind === 'OrderFilled') fills.push(m.event.tradeId);
    };
    ws.on('message', (data) => take(JSON.parse(String(data)) as Message));
    await sleep(1_500);
    ws.close();
    expect(hello).toBe(true);
    expect(fills.length).toBeGreaterThan(3);
    // the same fills, in the same order, as the fills table will hold them (checked after the stop)
    (globalThis as { streamed?: string[] }).streamed = fills;
  });

  it('halts: the strategy\'s next orders are denied TRADING_HALTED; resume lets them through again', async () => {
    expect(engine('halt', '--reason', 'test').out).toMatch(/^done: trading state ACTIVE → HALTED/);
    await sleep(600);
    const halted = statusJson();
    expect(halted.session.tradingState).toBe('HALTED');
    expect(halted.stats.deniedByCode.TRADING_HALTED).toBeGreaterThan(0);
    expect(engine('resume').out).toMatch(/^done: trading state HALTED → ACTIVE/);
    const fillsBefore = statusJson().stats.fills;
    await sleep(600);
    expect(statusJson().stats.fills).toBeGreaterThan(fillsBefore);
  });

  it('cancels all, stops the strategy, flattens the position, and refuses what cannot be done with exit code 1', async () => {
    expect(engine('cancel-all', '--strategy', 'tick-trader').code).toBe(0);
    expect(engine('stop-strategy', 'tick-trader').out).toMatch(/^done: strategy tick-trader stopped/);
    expect(engine('stop-strategy', 'tick-trader')).toMatchObject({ code: 1, out: expect.stringMatching(/^refused: strategy tick-trader is stopped already/) });
    await sleep(300);
    const position = Number(statusJson().positions.find((p: { strategyId?: string }) => p.strategyId === undefined)?.quantity ?? 0);
    const flat = engine('flatten', 'BTCUSD.FAKE', '--confirm', 'BTCUSD.FAKE');
    if (position !== 0) {
      expect(flat.out).toMatch(/^done: market order operator-\d+-1 sent to flatten BTCUSD.FAKE/);
      await sleep(500);
      expect(statusJson().positions.find((p: { strategyId?: string }) => p.strategyId === undefined)?.quantity).toBe('0');
    } else expect(flat.out).toMatch(/flat already/);
    expect(engine('flatten', 'BTCUSD.FAKE', '--confirm', 'ETHUSD.FAKE')).toMatchObject({ code: 2, out: expect.stringMatching(/confirm must repeat the instrument id/) });
  });

  it('refuses a wrong token with a clear line and exit code 2, changing nothing', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', 'halt', '--url', url], {
      cwd: ROOT, env: { ...process.env, ENGINE_CONTROL_TOKEN: 'wrong-token-000000000' }, encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^engine: refused \(401\)/);
    expect(statusJson().session.tradingState).toBe('ACTIVE');
  });

  it('stops on SIGINT with the summary, and keeps every control action in the audit table', async () => {
    session.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(sessionOut.join('\n')).toMatch(/positions verified against stored fills: ok/);
    const d = openDatabase(db);
    const actions = loadAudit(d).map((a) => [a.action, a.ok]);
    expect(actions).toEqual(expect.arrayContaining([
      ['trading-state', true], ['cancel-order', false], ['cancel-all', true], ['stop-strategy', true], ['stop-strategy', false], ['flatten', true],
    ]));
    expect(loadAudit(d).every((a) => a.actor.startsWith('token@127.0.0.1'))).toBe(true);
    const stored = loadFills(d, 'default-paper').map((f) => f.tradeId);
    const streamed = (globalThis as { streamed?: string[] }).streamed ?? [];
    const first = stored.indexOf(streamed[0]!);
    expect(stored.slice(first, first + streamed.length)).toEqual(streamed);
    d.close();
  });
});
