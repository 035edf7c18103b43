import { Decimal } from 'decimal.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimData, DEMO_ACCOUNT, dayOf } from './data.js';
import { startTtSimulator, type TtSimulator } from './sim-server.js';
import { get, token } from './test-client.js';
import { fillsPage } from './views.js';

let sim: TtSimulator;
beforeEach(async () => {
  sim = await startTtSimulator({ pageSize: 2 });
});
afterEach(() => sim.close());

/** Every `transactTime` of a raw answer, read from the text (JSON.parse would round them). */
const times = (text: string): bigint[] => [...text.matchAll(/"transactTime":(\d+)/g)].map((m) => BigInt(m[1]!));

describe('TT simulator data', () => {
  it('is the same for the same seed, and has well over 1,000 fills over five days', () => {
    const a = createSimData(1);
    const fills = a.fills.get(DEMO_ACCOUNT)!;
    expect(fills.length).toBeGreaterThan(1_000);
    expect(new Set(fills.map((f) => dayOf(f.transactTime))).size).toBe(5);
    expect(createSimData(1).fills.get(DEMO_ACCOUNT)!.map((f) => f.transactTime)).toEqual(fills.map((f) => f.transactTime));
    expect(createSimData(2).fills.get(DEMO_ACCOUNT)![0]!.lastPx).not.toBe(fills[0]!.lastPx);
  });

  it('lists CME-style futures whose tick value is tick size × point value', () => {
    const { instruments } = createSimData(1);
    const es = instruments.find((i) => i.alias === 'ES Mar27')!;
    expect(es).toMatchObject({ tickSize: 0.25, tickValue: 12.5, pointValue: 50, productSymbol: 'ES' });
    expect(instruments.find((i) => i.alias === 'CL Jan27')).toMatchObject({ tickSize: 0.01, tickValue: 10, pointValue: 1000 });
    for (const i of instruments) expect(new Decimal(i.tickSize).times(i.pointValue).toNumber()).toBe(i.tickValue);
    expect(new Set(instruments.map((i) => i.id)).size).toBe(instruments.length);
  });

  it('ends a fills page before a group of equal timestamps it would split', () => {
    const fills = createSimData(1).fills.get(DEMO_ACCOUNT)!;
    const i = fills.findIndex((f, k) => k > 10 && fills[k + 1]?.transactTime === f.transactTime);
    expect(i).toBeGreaterThan(0); // the data has such groups
    const page = fillsPage(fills, 0n, undefined, i + 1); // would end between the two
    const start = fills.findIndex((f) => f.transactTime === fills[i]!.transactTime); // the group may begin before i
    expect(page.fills).toHaveLength(start);
    expect(page.lastPage).toBe(false);
  });
});

describe('TT simulator: ttpds', () => {
  it('pages products by nextPageKey and lastPage', async () => {
    const t = await token(sim);
    const first = await get(sim, '/ttpds/ext_uat_cert/products?marketId=7', { bearer: t });
    expect(first.json).toMatchObject({ status: 'Ok', lastPage: 'false' });
    expect((first.json.products as { name: string }[]).map((p) => p.name)).toEqual(['ES', 'NQ']);
    const second = await get(sim, `/ttpds/ext_uat_cert/products?marketId=7&nextPageKey=${first.json.nextPageKey as string}`, { bearer: t });
    expect(second.json).toMatchObject({ lastPage: 'true' });
    expect((second.json.products as { name: string }[]).map((p) => p.name)).toEqual(['6E']);
    expect(second.json.nextPageKey).toBeUndefined();
    expect((await get(sim, '/ttpds/ext_uat_cert/products?marketId=7&nextPageKey=bogus', { bearer: t })).status).toBe(400);
  });

  it('lists instruments of a product, and one by id', async () => {
    const t = await token(sim);
    const es = sim.data.products.find((p) => p.name === 'ES')!;
    const r = await get(sim, `/ttpds/ext_uat_cert/instruments?productId=${es.id}`, { bearer: t });
    expect((r.json.instruments as { alias: string }[]).map((i) => i.alias)).toEqual(['ES Dec26', 'ES Mar27']);
    const one = await get(sim, `/ttpds/ext_uat_cert/instrument/${sim.data.instruments[0]!.id}`, { bearer: t });
    expect(one.json.instrument).toEqual([sim.data.instruments[0]]);
    expect((await get(sim, '/ttpds/ext_uat_cert/instruments?productId=1', { bearer: t })).status).toBe(400);
  });
});

describe('TT simulator: ttledger fills', () => {
  it('pages 500 fills at a time by the last transactTime + 1, nanoseconds exact, and reaches every fill once', async () => {
    const t = await token(sim);
    const all = sim.data.fills.get(DEMO_ACCOUNT)!;
    const got: bigint[] = [];
    let min = 0n;
    for (let pages = 0; pages < 10; pages++) {
      const r = await get(sim, `/ttledger/ext_uat_cert/fills?accountId=${DEMO_ACCOUNT}&minTimestamp=${min}`, { bearer: t, gzip: true });
      const ts = times(r.text);
      expect(ts.length).toBeLessThanOrEqual(500);
      got.push(...ts);
      if (r.json.lastPage === 'true') break;
      min = ts[ts.length - 1]! + 1n;
    }
    expect(got).toEqual(all.map((f) => f.transactTime));
    expect(got[0]! % 1_000_000n).not.toBe(0n); // below the millisecond: lost by a JS number
    expect(Number.isSafeInteger(Number(got[0]))).toBe(false);
  });

  it('takes a maxTimestamp and refuses a timestamp that is not nanoseconds', async () => {
    const t = await token(sim);
    const all = sim.data.fills.get(DEMO_ACCOUNT)!;
    const r = await get(sim, `/ttledger/ext_uat_cert/fills?accountId=${DEMO_ACCOUNT}&minTimestamp=${all[10]!.transactTime}&maxTimestamp=${all[20]!.transactTime}`, { bearer: t });
    expect(times(r.text)).toEqual(all.slice(10, 21).map((f) => f.transactTime));
    expect((await get(sim, `/ttledger/ext_uat_cert/fills?accountId=${DEMO_ACCOUNT}&minTimestamp=2026-12-01`, { bearer: t })).status).toBe(400);
    expect((await get(sim, '/ttledger/ext_uat_cert/fills?accountId=1', { bearer: t })).status).toBe(400);
  });
});

describe('TT simulator: ttmonitor and ttaccount', () => {
  it('gives positions as SOD plus today\'s fills, and SOD records for the last day', async () => {
    const t = await token(sim);
    const all = sim.data.fills.get(DEMO_ACCOUNT)!;
    const positions: Record<string, string>[] = [];
    let key: string | undefined;
    do {
      const r = await get(sim, `/ttmonitor/ext_uat_cert/position?accountIds=${DEMO_ACCOUNT}${key ? `&nextPageKey=${key}` : ''}`, { bearer: t });
      positions.push(...(r.json.positions as Record<string, string>[]));
      key = r.json.nextPageKey as string | undefined;
    } while (key !== undefined);
    expect(positions.length).toBe(new Set(all.map((f) => f.instrumentId)).size);
    for (const p of positions) {
      const net = all.filter((f) => f.instrumentId === p.instrumentId).reduce((s, f) => s + (f.side === 1 ? 1 : -1) * Number(f.lastQty), 0);
      expect(Number(p.netPosition)).toBe(net);
      expect(Number(p.sodNetPosition) + Number(p.buyFillQty) - Number(p.sellFillQty)).toBe(net);
    }
    const sod = await get(sim, `/ttmonitor/ext_uat_cert/sod/${DEMO_ACCOUNT}`, { bearer: t });
    expect((sod.json.sod as { sodDate: string }[])[0]!.sodDate).toBe('2026-12-04');
  });

  it('lists accounts (paged) and an account\'s limits', async () => {
    const t = await token(sim);
    const accounts = await get(sim, '/edge/ttaccount/ext_uat_cert/accounts', { bearer: t });
    expect(accounts.json).toMatchObject({ lastPage: 'true', accounts: [{ id: 90001 }, { id: 90002 }] });
    const limits = await get(sim, `/ttaccount/ext_uat_cert/account/${DEMO_ACCOUNT}/limits`, { bearer: t });
    expect(limits.json).toMatchObject({ accountId: DEMO_ACCOUNT, tradingAllowed: true });
    expect((limits.json.limits as { maxOrderQty: number }[]).length).toBe(6);
    expect((await get(sim, '/ttaccount/ext_uat_cert/account/5/limits', { bearer: t })).status).toBe(404);
  });
});
