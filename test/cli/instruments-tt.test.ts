/**
 * `engine instruments --venue tt` against the TT simulator, and a backtest of a TT future on the file it writes:
 * the instrument's point value is its contract size, so PnL is in dollars (50 × the points for ES), not points.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrng } from '../venues/prng.js';
import { appOf, startTtSimulator, type TtSimulator } from '../venues/tt/sim-server.js';
import { expectOneLine, runEngine } from './engine-process.js';

const dir = mkdtempSync(join(tmpdir(), 'engine-tt-'));
let sim: TtSimulator;
let env: Record<string, string>;
beforeAll(async () => {
  sim = await startTtSimulator();
  const app = appOf('ext_uat_cert', sim.apps);
  env = { TT_APP_KEY: app.key, TT_APP_SECRET: app.secret };
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

/** ES quotes on its 0.25 grid: a random walk of the mid, one tick wide, one a second. */
function esQuotes(file: string): void {
  const random = createPrng(7);
  let mid = 6850 * 4;
  const rows = ['ts,bid,ask'];
  for (let i = 0; i < 400; i++) {
    mid += random() < 0.5 ? -1 : 1;
    rows.push(`${Date.parse('2026-12-01T14:30:00Z') + i * 1000},${(mid - 0.5) / 4},${(mid + 0.5) / 4}`);
  }
  writeFileSync(file, `${rows.join('\n')}\n`);
}

describe('engine instruments --venue tt', () => {
  it('writes the futures of the products asked for as instrument specs', async () => {
    const out = join(dir, 'instruments-tt.json');
    const run = await runEngine(['instruments', '--venue', 'tt', '--option', `baseUrl=${sim.baseUrl}`, '--product', 'ES', '--product', 'CL', '--out', out], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`wrote 10 instruments of tt to ${out}`);
    const specs = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>[];
    expect(specs.find((s) => s.id === 'ESH7.TT')).toEqual({
      id: 'ESH7.TT', venue: 'TT', venueSymbol: sim.data.instruments.find((i) => i.alias === 'ES Mar27')!.id, base: 'ES', quote: 'USD',
      tickSize: 0.25, stepSize: 1, minQty: 1, makerFee: 0, takerFee: 0, contractSize: 50,
    });
    expect(specs.filter((s) => s.base === 'CL').map((s) => s.contractSize)).toEqual([1000, 1000, 1000, 1000, 1000, 1000]);
  }, 60_000);

  it('says in one line that ttid refused a wrong secret', async () => {
    const run = await runEngine(['instruments', '--venue', 'tt', '--option', `baseUrl=${sim.baseUrl}`, '--out', join(dir, 'x.json')], { env: { ...env, TT_APP_SECRET: 'nope' } });
    expectOneLine(run, /^engine: tt: ttid refused the token request for ext_uat_cert \(HTTP 401: invalid application key or secret\)/);
  }, 60_000);

  it('says in one line that the venue cannot be reached', async () => {
    const run = await runEngine(['instruments', '--venue', 'tt', '--option', 'baseUrl=http://127.0.0.1:9', '--option', 'requestTimeoutMs=2000', '--out', join(dir, 'y.json')], { env });
    expectOneLine(run, /^engine: tt: no ttid token for ext_uat_cert \(network\); the next request tries again$/);
  }, 60_000);

  it('feeds a backtest whose PnL is in dollars: the point value is the multiplier', async () => {
    const file = join(dir, 'instruments-es.json');
    expect((await runEngine(['instruments', '--venue', 'tt', '--option', `baseUrl=${sim.baseUrl}`, '--product', 'ES', '--out', file], { env })).code).toBe(0);
    // the same instrument in points (contract size 1), for comparison
    const inPoints = join(dir, 'instruments-points.json');
    const specs = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];
    writeFileSync(inPoints, JSON.stringify(specs.map((s) => ({ ...s, contractSize: 1 }))));
    const csv = join(dir, 'es.csv');
    esQuotes(csv);
    const pnl = async (instruments: string): Promise<Record<string, unknown>> => {
      const config = join(dir, `cfg-${instruments.endsWith('points.json') ? 'p' : 'd'}.mjs`);
      writeFileSync(config, `export default ${JSON.stringify({
        mode: 'backtest', instruments,
        strategies: [{ use: 'flip-flop', params: { instrument: 'ESH7.TT', streak: 3, quantity: 2 } }],
        risk: { priceBandPct: 5 }, backtest: { capital: 100_000 }, storage: { path: ':memory:' },
      })};\n`);
      const run = await runEngine(['backtest', '--config', config, '--data', `ESH7.TT=${csv}`, '--json']);
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout) as Record<string, unknown>;
    };
    const dollars = await pnl(file);
    const points = await pnl(inPoints);
    expect(typeof dollars.fills).toBe('number');
    expect(dollars.fills as number).toBeGreaterThan(10);
    expect(dollars.fills).toBe(points.fills);
    expect(typeof points.realizedPnl).toBe('number');
    expect(points.realizedPnl).not.toBe(0);
    expect(Number.isInteger((points.realizedPnl as number) * 4)).toBe(true); // whole ticks of 0.25
    expect(dollars.realizedPnl).toBe((points.realizedPnl as number) * 50);
    expect(dollars.netPnl).toBe((dollars.realizedPnl as number) + (dollars.unrealizedPnl as number) - (dollars.fees as number));
  }, 90_000);
});
