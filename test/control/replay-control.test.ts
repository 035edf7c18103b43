/**
 * The read-only control plane of a backtest and of a sweep (`--control`): a real `engine backtest` process whose
 * replay keeps its main thread busy answers status, the stream and the CLI while it runs, and refuses every action.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { progressOf } from '../../engine/control/backtest-snapshot.js';
import { formatProgress } from '../../engine/cli/progress.js';
import { formatStatus } from '../../engine/cli/status-screen.js';
import { sweepProgress } from '../../engine/cli/sweep-control.js';

const ROOT = resolve(__dirname, '../..');
const TOKEN = 'replay-test-token-0123456789';
const DATA = 'data/sample/eurusd-fxcm-quotes.tkr';
const dir = mkdtempSync(join(tmpdir(), 'engine-replay-control-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** `engine backtest …` with the control plane on a free port: the URL it printed, its output and its exit. */
async function startReplay(args: string[]): Promise<{ url: string; out: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', 'backtest', '--strategy', 'test/fixtures/slow-flip-flop.ts', '--data', DATA, '--control', '0', '--json', ...args], {
    cwd: ROOT, env: { ...process.env, ENGINE_CONTROL_TOKEN: TOKEN, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => void (stdout += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = await new Promise<string>((res, rej) => {
    createInterface({ input: child.stderr! }).on('line', (line) => {
      const m = /^control plane \(read-only\): (http:\/\/\S+)/.exec(line);
      if (m) res(m[1]!);
    });
    void exited.then((code) => rej(new Error(`backtest exited (${code}) before its control plane started`)));
  });
  return { url, out: () => stdout, exited };
}

const auth = { authorization: `Bearer ${TOKEN}` };
const get = async (url: string, path: string): Promise<Record<string, any>> => (await fetch(`${url}${path}`, { headers: auth })).json() as Promise<Record<string, any>>;
async function until<T>(what: () => Promise<T>, ok: (x: T) => boolean, ms = 20_000): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const x = await what();
    if (ok(x) || performance.now() > end) return x;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a backtest with --control', () => {
  it('answers while the replay runs: progress, positions, the stream and engine status; actions are refused', async () => {
    const replay = await startReplay(['--params', '{"spinMicros":15}', '--db', join(dir, 'bt.db')]);
    // the replay's thread never pauses; the answers come from the control plane's own thread
    const first = await until(() => get(replay.url, '/api/v1/session'), (s) => s.session.runId > 0 && s.session.progress.fraction > 0.05);
    expect(first.session).toMatchObject({ mode: 'backtest', tradingState: 'ACTIVE' });
    const p = first.session.progress;
    expect(p.fraction).toBeGreaterThan(0.05);
    expect(p.fraction).toBeLessThan(1);
    expect(p.ticks).toBeGreaterThan(0);
    expect(p.engineTime).toBeGreaterThanOrEqual(1399248003074); // within the recording
    expect(p.engineTime).toBeLessThanOrEqual(1399507199239);
    expect(typeof p.etaMs).toBe('number');

    // the stream: hello, then progress messages that move forward
    const ws = new WebSocket(`${replay.url.replace('http', 'ws')}/api/v1/stream`, ['engine.stream.v1', `bearer.${TOKEN}`]);
    const seen: Array<Record<string, any>> = [];
    ws.on('message', (d) => seen.push(JSON.parse(String(d)) as Record<string, any>));
    await until(async () => seen.filter((m) => m.type === 'progress').length, (n) => n >= 2, 10_000);
    expect(seen[0]!.type).toBe('hello');
    const progress = seen.filter((m) => m.type === 'progress').map((m) => m.session.progress.ticks as number);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[1]!).toBeGreaterThan(progress[0]!);
    ws.close();

    const status = await get(replay.url, '/api/v1/status');
    expect(status.strategies).toEqual([expect.objectContaining({ id: 'slow-flip-flop', status: 'running' })]);
    expect(status.stats.ticks).toBeGreaterThan(0);
    expect(status.venues).toEqual([expect.objectContaining({ venue: 'FXCM', sync: 'simulated' })]);
    const equity = await get(replay.url, '/api/v1/equity');
    expect(equity.equity.length).toBeGreaterThan(0);

    // every action is refused, with the token too, and nothing changes
    const halt = await fetch(`${replay.url}/api/v1/trading-state`, {
      method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ state: 'HALTED' }),
    });
    expect(halt.status).toBe(403);
    expect(((await halt.json()) as { error: string }).error).toMatch(/read-only/);
    expect((await get(replay.url, '/api/v1/session')).session.tradingState).toBe('ACTIVE');

    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', 'status', '--url', replay.url], { cwd: ROOT, env: { ...process.env, ENGINE_CONTROL_TOKEN: TOKEN }, encoding: 'utf8', timeout: 20_000 });
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/^backtest run \d+ · portfolio \S+ · running for \d\d:\d\d:\d\d · engine time 2014-05-\d\dT.* \(read-only\)\n {2}\d+\.\d % done · [\d,]+ ticks/);

    expect(await replay.exited).toBe(0);
    expect(JSON.parse(replay.out()).ticks).toBe(250_329);
  }, 60_000);
});

describe('a sweep with --control', () => {
  it('shows every run of the grid with its state while the sweep runs', async () => {
    // cut by --to: progress by engine time within the recording's span
    const sweep = await startReplay(['--sweep', 'spinMicros=20,22,24', '--workers', '2', '--to', '2014-05-06', '--db', join(dir, 'sweep.db')]);
    const s = await until(() => get(sweep.url, '/api/v1/session'), (x) => x.session.sweep.runs.some((r: any) => r.status === 'running' && r.progress?.fraction > 0));
    const runs = s.session.sweep.runs as Array<Record<string, any>>;
    expect(runs.map((r) => r.params)).toEqual([{ spinMicros: 20 }, { spinMicros: 22 }, { spinMicros: 24 }]);
    // two workers: two runs at a time, the third waits
    expect(runs.filter((r) => r.status === 'running')).toHaveLength(2);
    expect(runs[2]!.status).toBe('queued');
    expect(s.session.progress.fraction).toBeGreaterThan(0);
    const later = await until(() => get(sweep.url, '/api/v1/session'), (x) => x.session.sweep.runs.some((r: any) => r.status === 'finished'), 40_000);
    const done = (later.session.sweep.runs as Array<Record<string, any>>).find((r) => r.status === 'finished')!;
    expect(done.runId).toBeGreaterThan(0);
    expect(typeof done.netPnl).toBe('number');
    expect(await sweep.exited).toBe(0);
  }, 90_000);
});

describe('progress figures', () => {
  it('goes by ticks when the total is known, by engine time within a known span, and is unknown otherwise', () => {
    expect(progressOf({ ticks: 1000 }, 250, 5, 1_000)).toEqual({ fraction: 0.25, ticks: 250, engineTime: 5, etaMs: 3_000 });
    expect(progressOf({ from: 0, to: 100 }, 7, 40, 2_000)).toEqual({ fraction: 0.4, ticks: 7, engineTime: 40, etaMs: 3_000 });
    expect(progressOf({}, 7, 40, 2_000)).toEqual({ fraction: null, ticks: 7, engineTime: 40, etaMs: null });
    // too early to tell how long is left
    expect(progressOf({ ticks: 1000 }, 250, 5, 100).etaMs).toBeNull();
  });

  it('prints the share done, the engine date and the time left on the progress line', () => {
    expect(formatProgress({ fraction: 0.372, ticks: 1_250_000, engineTime: Date.UTC(2024, 5, 3, 14, 5), etaMs: 42_000 }, 1_000))
      .toBe('  replaying: 1,250,000 ticks, 1,250,000 ticks/s · 37.2 % · 2024-06-03 14:05 UTC · 0:42 left');
  });

  it('adds up a sweep: finished runs count whole, running ones by their share, queued ones not at all', () => {
    let t = 0;
    const sweep = sweepProgress([{ a: 1 }, { a: 2 }, { a: 3 }, { a: 4 }], 'default', () => t);
    sweep.started(0);
    sweep.started(1);
    sweep.progress(1, { fraction: 0.5, ticks: 10, engineTime: 7, etaMs: 1 });
    sweep.finished(0, { summary: { runId: 9, netPnl: 12.5, ticks: 20, to: 8, orders: 3, fills: 2 } as never });
    t = 1_000;
    const s = sweep.snapshot().session;
    expect(s.progress).toEqual({ fraction: 1.5 / 4, ticks: 30, engineTime: 7, etaMs: Math.round((1_000 * 2.5) / 1.5) });
    expect(s.sweep!.runs.map((r) => r.status)).toEqual(['finished', 'running', 'queued', 'queued']);
    expect(s.sweep!.runs[0]).toMatchObject({ runId: 9, netPnl: 12.5, error: null });
    sweep.finished(1, { error: 'boom' });
    expect(sweep.snapshot().session.sweep!.runs[1]).toMatchObject({ status: 'failed', error: 'boom' });
    expect(formatStatus({ ...sweep.snapshot(), orders: [], fills: [] })).toMatch(/^sweep of 4 backtests · portfolio default · running for 00:00:01 \(read-only\)\n {2}50\.0 % done · 30 ticks · about 00:00:01 left\nruns\n {2}#1 {4}a=1 +finished {2}run 9 {2}net PnL 12\.50\n {2}#2 {4}a=2 +FAILED: boom\n {2}#3 {4}a=3 +queued/);
  });
});
