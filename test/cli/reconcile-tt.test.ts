/**
 * `engine reconcile --venue tt` against the TT simulator: the account's 1,603 ledger fills and its positions against a
 * portfolio; --import-fills applies what the portfolio lacks, once; a fill made elsewhere afterwards is reported and
 * imported on its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT } from '../venues/tt/data.js';
import { appOf, startTtSimulator, type TtSimulator } from '../venues/tt/sim-server.js';
import { runEngine } from './engine-process.js';

const dir = mkdtempSync(join(tmpdir(), 'engine-tt-reconcile-'));
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

describe('engine reconcile --venue tt', () => {
  it('reports the differences, imports the missing fills once, and then a fill made elsewhere', async () => {
    const db = join(dir, 'engine.db');
    const reconcile = (...more: string[]) =>
      runEngine(['reconcile', '--venue', 'tt', '--option', `baseUrl=${sim.baseUrl}`, '--option', `accountIds=["${DEMO_ACCOUNT}"]`, '--db', db, '--portfolio', 'tt-acct', ...more], { env });
    const seeded = sim.data.fills.get(DEMO_ACCOUNT)!.length;

    const first = await reconcile();
    expect(first.code, first.stderr).toBe(3);
    expect(first.stdout).toContain(`reconcile tt (TT) with portfolio tt-acct: ${seeded} fills at the venue, 0 stored; ${seeded} missing here, 0 stored here only`);
    expect(first.stdout).toMatch(/positions differ \(5 of 5\):\n {2}CLF7\.TT {2}venue -?\d+ {2}portfolio 0/);
    expect(first.stdout).toContain(`run with --import-fills to apply the ${seeded} missing fill(s) to portfolio tt-acct`);

    const imported = await reconcile('--import-fills');
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`imported ${seeded} fills into portfolio tt-acct`);
    expect(imported.stdout).toMatch(/imported [\s\S]*positions: 5 instruments agree/);

    const again = await reconcile('--import-fills');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`${seeded} fills at the venue, ${seeded} stored; 0 missing here, 0 stored here only`);
    expect(again.stdout).not.toContain('imported');

    // a fill of the account traded by hand, today
    const es = sim.data.instruments.find((i) => i.alias === 'ES Dec26')!;
    const last = sim.data.fills.get(DEMO_ACCOUNT)!.at(-1)!;
    sim.faults.addFill({
      recordId: 'R-manual-1', execId: 'X-manual-1', orderId: 'O-manual-1', accountId: DEMO_ACCOUNT, instrumentId: es.id, productId: es.productId,
      side: 1, lastQty: '3', lastPx: 6861.25, transactTime: last.transactTime + 1_000_000_007n, currency: 'USD', fee: '3.54', aggressor: true, manualFill: true,
    });
    const manual = await reconcile();
    expect(manual.code).toBe(3);
    expect(manual.stdout).toContain('1 missing here, 0 stored here only');
    expect(manual.stdout).toMatch(/ESZ6\.TT buy 3 @ 6861\.25 {2}order O-manual-1 {2}trade X-manual-1/);
    expect(manual.stdout).toMatch(/positions differ \(1 of 5\):\n {2}ESZ6\.TT {2}venue (-?\d+) {2}portfolio (-?\d+)/);
    const [, venueQty, portfolioQty] = /ESZ6\.TT {2}venue (-?\d+) {2}portfolio (-?\d+)/.exec(manual.stdout)!;
    expect(Number(venueQty) - Number(portfolioQty)).toBe(3);

    // --since: only the fills from then on, on both sides
    const recent = await reconcile('--since', new Date(Number(last.transactTime / 1_000_000n)).toISOString());
    expect(recent.stdout).toMatch(/with portfolio tt-acct since 2026-12-04T\S+: 2 fills at the venue, 1 stored; 1 missing here, 0 stored here only/);

    expect((await reconcile('--import-fills')).stdout).toContain('imported 1 fill into portfolio tt-acct');
    const settled = await reconcile('--import-fills');
    expect(settled.code).toBe(0);
    expect(settled.stdout).toContain(`${seeded + 1} fills at the venue, ${seeded + 1} stored; 0 missing here`);
    expect(settled.stdout).toContain('positions: 5 instruments agree');
  }, 120_000);
});
