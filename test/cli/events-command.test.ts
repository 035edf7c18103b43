/**
 * `engine events`: a backtest's journal (and a row-per-event run) printed as NDJSON or CSV, filtered by kind or order,
 * and a clear error for a run or database that is not there.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEvents, openDatabase } from '../../engine/persistence/index.js';

const ROOT = resolve(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'engine-events-'));
const db = join(dir, 'runs.db');
const engine = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, maxBuffer: 256 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

beforeAll(() => {
  const r = engine('backtest', '--strategy', 'flip-flop', '--data', 'data/sample/eurusd-fxcm-quotes.tkr', '--to', '2014-05-05T12:00:00Z', '--db', db, '--json');
  expect(r.code, r.err).toBe(0);
}, 90_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('engine events', () => {
  it('prints every event of the run in order as NDJSON, the same as the journal holds', () => {
    const r = engine('events', 'latest', '--db', db);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const d = openDatabase(db);
    const stored = loadEvents(d, 1);
    d.close();
    expect(stored.length).toBeGreaterThan(100);
    expect(lines).toEqual(stored.map((s) => ({ seq: s.seq, ...s.event })));
    expect(Object.keys(lines[0]!)[0]).toBe('seq');
  });

  it('filters by kind and by order, and prints CSV with one column per field', () => {
    const fills = engine('events', '1', '--db', db, '--kind', 'OrderFilled').out.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; clientOrderId: string });
    expect(fills.length).toBeGreaterThan(10);
    expect(new Set(fills.map((f) => f.kind))).toEqual(new Set(['OrderFilled']));
    const one = engine('events', '1', '--db', db, '--order', fills[0]!.clientOrderId).out.trim().split('\n').map((l) => JSON.parse(l) as { kind: string });
    expect(one.map((e) => e.kind)).toEqual(['OrderSubmitted', 'OrderAccepted', 'OrderFilled']);
    const csv = engine('events', '1', '--db', db, '--format', 'csv', '--kind', 'OrderFilled').out.trim().split('\n');
    const head = csv[0]!.split(',');
    expect(head.slice(0, 7)).toEqual(['seq', 'kind', 'clientOrderId', 'strategyId', 'instrumentId', 'tsEvent', 'tsInit']);
    expect(csv).toHaveLength(fills.length + 1);
    const row = Object.fromEntries(csv[1]!.split(',').map((v, i) => [head[i], v]));
    expect(row).toMatchObject({ kind: 'OrderFilled', clientOrderId: fills[0]!.clientOrderId, side: expect.stringMatching(/^(buy|sell)$/), liquidity: 'taker' });
  });

  it('says what is wrong with a run, a kind or a database that is not there, with exit code 2', () => {
    expect(engine('events', '9', '--db', db)).toMatchObject({ code: 2, err: expect.stringMatching(/no run 9 in .*runs\.db/) });
    expect(engine('events', '1', '--db', db, '--kind', 'Filled')).toMatchObject({ code: 2, err: expect.stringMatching(/--kind Filled is not an event kind \(OrderDenied, /) });
    expect(engine('events', '1', '--db', join(dir, 'none.db'))).toMatchObject({ code: 2, err: expect.stringMatching(/no database at .*none\.db/) });
  });
});
