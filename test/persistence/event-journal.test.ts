/**
 * The backtest event journal: chunks that give back every event exactly, a writer whose failed commits neither lose nor
 * repeat events in it, and a backtest whose journal holds the same events, in the same order, as the row-per-event
 * writer stores for the same run.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../engine/config/config.js';
import { loadInstruments } from '../../engine/config/load.js';
import { openTicks } from '../../engine/data/source.js';
import { runBacktest } from '../../engine/kernel/backtest.js';
import { loadStrategies } from '../../engine/kernel/strategy-loader.js';
import { silentLogger } from '../../engine/log/logger.js';
import type { OrderEvent } from '../../engine/model/events.js';
import { openDatabase } from '../../engine/persistence/database.js';
import { createEventWriter } from '../../engine/persistence/event-writer.js';
import { decodeJournalChunk, EVENT_FIELDS, JournalChunkEncoder } from '../../engine/persistence/journal-codec.js';
import { loadEvents } from '../../engine/persistence/repositories.js';
import { createRun } from '../../engine/persistence/runs.js';
import { PORTFOLIO, accept, cancel, fill, newOrder, submit } from './fixtures.js';

const base = { clientOrderId: 'sma-1-7', strategyId: 'sma', instrumentId: 'EURUSD.FXCM', tsEvent: 1_399_248_003_074, tsInit: 1_399_248_003_079 };
/** One event of every kind, optional fields both ways, and text a byte-counting bug would cut. */
const EVERY_KIND: OrderEvent[] = [
  { kind: 'OrderDenied', ...base, code: 'PRICE_BAND', message: 'price 1.5 is 7.1 % from the mid: band ±1 % — 価格' },
  { kind: 'OrderSubmitted', ...base, venue: 'FXCM' },
  { kind: 'OrderAccepted', ...base, venueOrderId: 'V-123' },
  { kind: 'OrderRejected', ...base, reason: 'insufficient balance' },
  { kind: 'OrderPendingCancel', ...base },
  { kind: 'OrderPendingUpdate', ...base },
  { kind: 'OrderCanceled', ...base },
  { kind: 'OrderCanceled', ...base, reason: 'end of data' },
  { kind: 'OrderCancelRejected', ...base, reason: 'too late' },
  { kind: 'OrderUpdated', ...base, quantity: 2.5 },
  { kind: 'OrderUpdated', ...base, quantity: 0.001, price: -0.00012345 },
  { kind: 'OrderModifyRejected', ...base, reason: 'no' },
  { kind: 'OrderExpired', ...base },
  {
    kind: 'OrderFilled', ...base, venue: 'FXCM', venueOrderId: 'V-123', tradeId: 'T-9', side: 'sell', lastQty: 10_000, lastPrice: 1.39334,
    fee: -0.557336, feeCurrency: 'USD', liquidity: 'maker',
  },
  { kind: 'OrderAdopted', ...base, venue: 'FXCM', venueOrderId: 'V-124', reason: 'found at the venue' },
  { kind: 'OrderEmulated', ...base, triggerPrice: 1.3871, triggerType: 'bid_ask' },
  { kind: 'OrderEmulated', ...base, triggerPrice: 1.3871, triggerType: 'last', trailing: 0.0003, parentId: 'S-1-1', ocoGroup: 'S-1-2' },
  { kind: 'OrderReleased', ...base, triggerObserved: 1.38705 },
  { kind: 'OrderUpdated', ...base, quantity: 1, triggerPrice: 1.3874 },
  { kind: 'OrderHeld', ...base, parentId: 'S-1-1' },
  { kind: 'OrderHeld', ...base, parentId: 'S-1-1', ocoGroup: 'S-1-2' },
];

describe('journal chunks', () => {
  it('give back every kind of event exactly, optional fields present or not', () => {
    expect(Object.keys(EVENT_FIELDS)).toHaveLength(16);
    const enc = new JournalChunkEncoder();
    for (const e of EVERY_KIND) enc.add(e);
    const { events, data } = enc.snapshot();
    expect(events).toBe(EVERY_KIND.length);
    expect(decodeJournalChunk(data)).toEqual(EVERY_KIND);
    // an absent optional field stays absent (not undefined-valued)
    expect(Object.keys(decodeJournalChunk(data)[6]!)).not.toContain('reason');
  });

  it('refuses an event it cannot hold whole, and data that is not a chunk, saying what is wrong', () => {
    const enc = new JournalChunkEncoder();
    expect(() => enc.add({ ...EVERY_KIND[1]!, venue: undefined } as unknown as OrderEvent)).toThrow(/OrderSubmitted without its venue/);
    expect(() => enc.add({ ...EVERY_KIND[9]!, quantity: '2.5' } as unknown as OrderEvent)).toThrow(/OrderUpdated.quantity is not a number/);
    expect(() => enc.add({ kind: 'OrderLost', ...base } as unknown as OrderEvent)).toThrow(/unknown event kind "OrderLost"/);
    expect(() => decodeJournalChunk(Buffer.from('not deflate at all'))).toThrow(/not deflate data|wrong magic|cut short/);
    enc.clear();
    enc.add(EVERY_KIND[0]!);
    const { data } = enc.snapshot();
    const { inflateRawSync, deflateRawSync } = require('node:zlib') as typeof import('node:zlib');
    const raw = inflateRawSync(data);
    expect(() => decodeJournalChunk(deflateRawSync(raw.subarray(0, raw.length - 3)))).toThrow(/cut short/);
    const wrong = Buffer.from(raw);
    wrong.writeUInt32LE(0x12345678, 0);
    expect(() => decodeJournalChunk(deflateRawSync(wrong))).toThrow(/wrong magic/);
  });
});

describe('the event writer with a journal', () => {
  it('writes a chunk per commit, numbering events from 1 in the run, and a failed commit neither loses nor repeats one', () => {
    const db = openDatabase(':memory:');
    const errors: Error[] = [];
    // the run does not exist yet: the first commits fail on event_journal.run_id's foreign key
    const w = createEventWriter(db, { runId: 1, portfolioId: PORTFOLIO, journal: true, maxBatch: 3, flushIntervalMs: 0, onError: (e) => errors.push(e) });
    const o = newOrder();
    w.append(submit(o), o);
    w.append(accept(o), o);
    w.append(fill(o, { tradeId: 't1', qty: 0.5, price: 100 }), o); // a full batch: the commit fails
    expect(errors[0]?.message).toMatch(/FOREIGN KEY/);
    expect(w.flush()).toBe(false);
    createRun(db, { mode: 'backtest', portfolioId: PORTFOLIO, startedAt: 0, config: {} });
    expect(w.flush()).toBe(true);
    w.append(cancel(o), o);
    expect(w.close()).toBe(true);
    const stored = loadEvents(db, 1);
    expect(stored.map((e) => [e.seq, e.event.kind])).toEqual([[1, 'OrderSubmitted'], [2, 'OrderAccepted'], [3, 'OrderFilled'], [4, 'OrderCanceled']]);
    expect((db.prepare('SELECT seq_from, events FROM event_journal ORDER BY seq_from').all())).toEqual([{ seq_from: 1, events: 3 }, { seq_from: 4, events: 1 }]);
    expect((db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n).toBe(0);
    expect((db.prepare('SELECT COUNT(*) AS n FROM fills').get() as { n: number }).n).toBe(1);
    db.close();
  });
});

describe('a backtest journal', () => {
  it('holds the same events, in the same order, as the row-per-event writer stores for the same run, and the same bytes every time', async () => {
    const use = ['sma-cross', 'quoter'];
    const definitions = await loadStrategies(use);
    const run = (backtestEvents: 'journal' | 'rows') => {
      const config = resolveConfig({
        instruments: 'data/instruments.json',
        strategies: [
          { use: 'sma-cross', params: { instrument: 'EURUSD.FXCM', fast: 20, slow: 100, quantity: 10_000 } },
          { use: 'quoter', params: { instrument: 'EURUSD.FXCM', halfSpread: 0.00004, refreshMs: 30_000 } },
        ],
        risk: { maxPositionQty: { 'EURUSD.FXCM': 30_000 }, maxOpenOrders: 10, rateLimits: { perStrategy: '1/1s' } },
        sim: { latencyMs: 5 },
        storage: { path: ':memory:', backtestEvents, maxBatch: 2_000 },
      });
      const db = openDatabase(':memory:');
      const { summary } = runBacktest({
        config, definitions, instruments: loadInstruments(config), db, log: silentLogger(),
        ticks: openTicks([{ file: 'data/sample/eurusd-fxcm-quotes.tkr' }], { to: Date.UTC(2014, 4, 6) }),
      });
      const events = loadEvents(db, summary.runId);
      const blobs = (db.prepare('SELECT seq_from, events, data FROM event_journal ORDER BY seq_from').all() as Array<{ data: Buffer }>);
      db.close();
      return { summary, events, chunks: blobs.length, blobs };
    };
    const journal = run('journal');
    const rows = run('rows');
    // bit for bit: the same inputs give the same journal bytes
    expect(run('journal').blobs).toEqual(journal.blobs);
    expect(journal.events.length).toBeGreaterThan(5_000);
    expect(journal.chunks).toBeGreaterThan(2);
    expect(rows.chunks).toBe(0);
    const kinds = new Set(journal.events.map((e) => e.event.kind));
    for (const k of ['OrderSubmitted', 'OrderAccepted', 'OrderCanceled', 'OrderFilled', 'OrderDenied'] as const) expect(kinds).toContain(k);
    expect(journal.events.map((e) => e.event)).toEqual(rows.events.map((e) => e.event));
    expect(journal.events.map((e) => e.seq)).toEqual(journal.events.map((_, i) => i + 1));
    expect(journal.summary.positionsVerified).toBe(true);
    expect({ ...journal.summary, runId: 0 }).toEqual({ ...rows.summary, runId: 0 });
  });
});

describe('data/FORMAT.md', () => {
  it('lists every kind with its code and fields as the journal writes them', () => {
    const { readFileSync } = require('node:fs') as typeof import('node:fs');
    const doc = readFileSync('data/FORMAT.md', 'utf8').split('## Event journal')[1]!;
    const rows = [...doc.matchAll(/^\| (\d+) \| (\w+) \| (.+) \|$/gm)].map((m) => [Number(m[1]), m[2], m[3]]);
    const want = Object.entries(EVENT_FIELDS).map(([kind, fields], code) => {
      const more = Object.entries(fields as Record<string, string>).map(([name, t]) => `${name} ${t}`);
      return [code, kind, more.length === 0 ? '—' : more.join(', ')];
    });
    expect(rows).toEqual(want);
  });
});
