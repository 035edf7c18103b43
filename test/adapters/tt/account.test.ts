import { afterEach, describe, expect, it } from 'vitest';
import { parseTtJson } from '../../../adapters/tt/wire.js';
import { symbolOfAlias } from '../../../adapters/tt/format.js';
import { DEMO_ACCOUNT, dayOf } from '../../venues/tt/data.js';
import { accountBook } from '../../venues/tt/views.js';
import { startKit, type Kit } from './kit.js';

let kit: Kit | undefined;
afterEach(async () => {
  await kit?.close();
  kit = undefined;
});
const account = String(DEMO_ACCOUNT);

describe('TT adapter: instruments', () => {
  it('turns TT futures into engine instruments: tick size, and the point value as the contract size', async () => {
    kit = await startKit({ pageSize: 2 });
    const instruments = await kit.adapter.instruments();
    expect(instruments).toHaveLength(kit.sim.data.instruments.filter((i) => i.isTradable).length); // not the expired ES Sep26
    expect(instruments.find((i) => i.id === 'ESU6.TT')).toBeUndefined();
    const es = instruments.find((i) => i.id === 'ESH7.TT')!;
    expect(es).toMatchObject({ venue: 'TT', base: 'ES', quote: 'USD', tickSize: 0.25, stepSize: 1, contractSize: 50, minQty: 1 });
    expect(es.venueSymbol).toBe(kit.sim.data.instruments.find((i) => i.alias === 'ES Mar27')!.id);
    expect(instruments.find((i) => i.id === 'CLF7.TT')).toMatchObject({ tickSize: 0.01, contractSize: 1000 });
    expect(instruments.find((i) => i.id === 'ZNZ6.TT')).toMatchObject({ tickSize: 0.015625, contractSize: 1000, pricePrecision: 6 });
    expect(instruments.find((i) => i.id === '6EZ6.TT')).toMatchObject({ tickSize: 0.00005, contractSize: 125_000 });
  });

  it('reads only the products asked for, and names one that does not exist', async () => {
    kit = await startKit();
    expect((await kit.adapter.instruments(['GC'])).map((i) => i.id)).toEqual(['GCG7.TT', 'GCJ7.TT', 'GCM7.TT', 'GCQ7.TT']);
    await expect(kit.adapter.instruments(['XX'])).rejects.toThrow(/no futures found for product XX/);
  });

  it('writes CME month codes for aliases and keeps other aliases readable', () => {
    expect(symbolOfAlias('ES Mar27')).toBe('ESH7');
    expect(symbolOfAlias('CL Jan27')).toBe('CLF7');
    expect(symbolOfAlias('ES Mar27-Jun27 Calendar')).toBe('ESMar27-Jun27Calendar');
  });
});

describe('TT adapter: ledger fills', () => {
  it('reads every fill once across page boundaries that fall in the middle of a day, timestamps exact', async () => {
    kit = await startKit();
    const fills = await kit.adapter.fills(account);
    const seeded = kit.sim.data.fills.get(DEMO_ACCOUNT)!;
    expect(fills.map((f) => f.recordId)).toEqual(seeded.map((f) => f.recordId));
    expect(fills.map((f) => f.transactTimeNs)).toEqual(seeded.map((f) => f.transactTime));
    // the pages TT answered: each at most 500 fills, the next one from the last transactTime + 1
    const pages = kit.sim.requests.filter((r) => r.path.endsWith('/fills') && r.status === 200);
    expect(pages.length).toBe(Math.ceil(seeded.length / 500) + (seeded.length % 500 === 0 ? 1 : 0));
    const mins = pages.map((r) => BigInt(new URLSearchParams(r.query).get('minTimestamp')!));
    expect(mins[0]).toBe(0n);
    let index = 0;
    for (const min of mins.slice(1)) {
      index = fills.findIndex((f) => f.transactTimeNs >= min);
      const last = fills[index - 1]!;
      expect(min).toBe(last.transactTimeNs + 1n);
      expect(dayOf(last.transactTimeNs)).toBe(dayOf(fills[index]!.transactTimeNs)); // a boundary inside a day
    }
    const f = fills[0]!;
    expect(f).toMatchObject({ venue: 'TT', venueOrderId: seeded[0]!.orderId, tradeId: seeded[0]!.execId, lastPrice: seeded[0]!.lastPx });
    expect(f.tsEvent).toBe(Number(seeded[0]!.transactTime / 1_000_000n));
    expect(f.instrumentId).toMatch(/^[A-Z0-9]+[FGHJKMNQUVXZ]\d\.TT$/);
  });

  it('names the instrument of a fill in an expired contract, read by its id', async () => {
    kit = await startKit();
    const expired = kit.sim.data.instruments.find((i) => !i.isTradable)!;
    const first = kit.sim.data.fills.get(DEMO_ACCOUNT)![0]!;
    kit.sim.faults.addFill({ ...first, recordId: 'R-old', execId: 'X-old', orderId: 'O-old', instrumentId: expired.id, transactTime: first.transactTime - 86_400_000_000_000n });
    const fills = await kit.adapter.fills(account);
    expect(fills[0]).toMatchObject({ tradeId: 'X-old', instrumentId: 'ESU6.TT' });
    expect(kit.sim.requests.filter((r) => r.path.endsWith(`/instrument/${expired.id}`))).toHaveLength(1);
  });

  it('reads from a nanosecond in the middle of a day on, inclusive', async () => {
    kit = await startKit();
    const seeded = kit.sim.data.fills.get(DEMO_ACCOUNT)!;
    const from = seeded[700]!.transactTime;
    const fills = await kit.adapter.fills(account, from);
    expect(fills[0]!.transactTimeNs).toBe(from);
    expect(fills).toHaveLength(seeded.filter((f) => f.transactTime >= from).length);
  });

  it('keeps integers past 2^53 exact when parsing, and leaves strings and small numbers alone', () => {
    const r = parseTtJson('{"t":1796651400123456789,"s":"1796651400123456789 x","n":-12345678901234567,"px":5012.25,"e":12345678901234567e2}');
    expect(r).toEqual({ ok: true, value: { t: '1796651400123456789', s: '1796651400123456789 x', n: '-12345678901234567', px: 5012.25, e: 12345678901234567e2 } });
  });
});

describe('TT adapter: ledger orders', () => {
  it('reads the account\'s orders, paged as fills are, as engine status reports that agree with the fills', async () => {
    kit = await startKit({ fillsPerPage: 100 });
    const orders = await kit.adapter.orders(account);
    const fills = kit.sim.data.fills.get(DEMO_ACCOUNT)!;
    expect(orders).toHaveLength(new Set(fills.map((f) => f.orderId)).size);
    expect(kit.sim.requests.filter((r) => r.path.endsWith('/orders') && r.status === 200).length).toBeGreaterThan(4);
    for (const o of orders.slice(0, 50)) {
      const own = fills.filter((f) => f.orderId === o.venueOrderId);
      expect(o.filledQty).toBe(own.reduce((s, f) => s + Number(f.lastQty), 0));
      expect(o.status === 'FILLED' ? o.quantity === o.filledQty : o.status === 'CANCELED' && o.quantity > o.filledQty).toBe(true);
      expect(o.side).toBe(own[0]!.side === 1 ? 'buy' : 'sell');
    }
    expect(orders.some((o) => o.status === 'CANCELED')).toBe(true);
    expect(orders.map((o) => o.tsLast)).toEqual([...orders.map((o) => o.tsLast)].sort((a, b) => a - b));
  });
});

describe('TT adapter: positions and limits', () => {
  it('reports today\'s positions (SOD plus today\'s fills) as signed engine positions', async () => {
    kit = await startKit({ pageSize: 2 });
    const positions = await kit.adapter.positions(account);
    const instruments = await kit.adapter.instruments();
    const book = accountBook(kit.sim.data, DEMO_ACCOUNT).positions;
    expect(positions).toHaveLength(book.length);
    for (const p of book) {
      const id = instruments.find((i) => i.venueSymbol === p.instrumentId)!.id;
      expect(positions.find((x) => x.instrumentId === id)?.quantity).toBe(Number(p.netPosition));
    }
    const sod = await kit.adapter.sod(account);
    expect(sod.every((s) => s.sodDate === '2026-12-04')).toBe(true);
  });

  it('gives the account\'s limits as engine risk limits per instrument; a product not allowed to trade gets 0', async () => {
    kit = await startKit();
    const limits = await kit.adapter.accountLimits(account);
    expect(limits.maxOrderQty).toMatchObject({ 'ESZ6.TT': 25, 'ESH7.TT': 25, 'CLF7.TT': 10, '6EZ6.TT': 0, '6EH7.TT': 0 });
    expect(limits.maxPositionQty).toMatchObject({ 'ESZ6.TT': 100, 'NQH7.TT': 60, 'GCG7.TT': 40 });
    const closed = await kit.adapter.accountLimits('90002');
    expect(closed.maxOrderQty).toEqual({ '*': 0 });
  });

  it('lists the accounts the key sees, and names an account it does not', async () => {
    kit = await startKit();
    expect((await kit.adapter.accounts()).map((a) => a.id)).toEqual(['90001', '90002']);
    await kit.close();
    kit = await startKit({}, { accountIds: ['90001', '12345'] });
    await expect(kit.adapter.accounts()).rejects.toThrow(/account 12345 not visible to this application key \(visible: 90001, 90002\)/);
  });
});
