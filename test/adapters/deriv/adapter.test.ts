/** The Deriv adapter against the loopback simulator: contracts as orders and fills, scopes, lost answers, ticks. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VenueOrderEvent } from '../../../engine/model/events.js';
import type { Tick } from '../../../engine/model/tick.js';
import type { DerivAdapter } from '../../../adapters/deriv/index.js';
import { DEMO_TOKEN, NO_READ_TOKEN, READ_ONLY_TOKEN, startDerivSimulator, type DerivSimulator } from '../../venues/deriv/sim-server.js';
import { waitFor } from '../session-kit.js';
import { CALL, captureLog, makeDerivAdapter, order, sleep, UNDERLYING } from './helpers.js';

describe('Deriv adapter', () => {
  let sim: DerivSimulator;
  let adapters: DerivAdapter[];
  const make = (...args: Parameters<typeof makeDerivAdapter> extends [unknown, ...infer R] ? R : never): DerivAdapter => {
    const a = makeDerivAdapter(sim, ...args);
    adapters.push(a);
    return a;
  };
  const events = (a: DerivAdapter): VenueOrderEvent[] => {
    const seen: VenueOrderEvent[] = [];
    a.execution!.events$.subscribe((e) => seen.push(e));
    return seen;
  };
  const of = (seen: VenueOrderEvent[], cid: string) => seen.filter((e) => e.clientOrderId === cid);
  const filled = (seen: VenueOrderEvent[], cid: string) => of(seen, cid).filter((e): e is Extract<VenueOrderEvent, { kind: 'OrderFilled' }> => e.kind === 'OrderFilled');
  const requests = (method: string) => sim.requests.filter((r) => r.method === method).length;

  beforeEach(async () => {
    sim = await startDerivSimulator({ port: 0 });
    adapters = [];
  });
  afterEach(async () => {
    for (const a of adapters) await a.close().catch(() => undefined);
    await sim.close();
  });

  it('loads underlyings and CALL/PUT contract instruments whose price × quantity is the stake', async () => {
    const a = make();
    await a.connect();
    const list = await a.instruments();
    const call = list.find((i) => i.id === CALL)!;
    expect(call).toMatchObject({ quote: 'USD', tickSize: 0.01, stepSize: 1, minNotional: 0.35 });
    expect(list.find((i) => i.id === UNDERLYING)).toMatchObject({ maxQty: 0, tickSize: 0.01 });
    expect(list.some((i) => i.id === 'R_50-PUT.DERIV')).toBe(true);
  });

  it('buys a contract as an accepted and filled buy, and sells it before expiry as a filled sell', async () => {
    const a = make();
    await a.connect();
    const seen = events(a);
    const buy = order('buy', 10, 0.55);
    a.execution!.submit(buy);
    await waitFor(() => filled(seen, buy.clientOrderId).length === 1, 3_000, 'buy filled');
    expect(of(seen, buy.clientOrderId).map((e) => e.kind)).toEqual(['OrderAccepted', 'OrderFilled']);
    const f = filled(seen, buy.clientOrderId)[0]!;
    expect(f).toMatchObject({ side: 'buy', lastQty: 10, lastPrice: 0.52, fee: 0, feeCurrency: 'USD' });
    expect(sim.core.contracts.get(Number(f.venueOrderId))?.status).toBe('open');

    sim.market.moveTo('R_100', 1000.2); // a little up: the CALL is worth more than half its payout
    const sell = order('sell', 10);
    a.execution!.submit(sell);
    await waitFor(() => filled(seen, sell.clientOrderId).length === 1, 3_000, 'sell filled');
    const s = filled(seen, sell.clientOrderId)[0]!;
    const c = sim.core.contracts.get(Number(f.venueOrderId))!;
    expect(c.status).toBe('sold');
    expect(s).toMatchObject({ side: 'sell', lastQty: 10, venueOrderId: f.venueOrderId, lastPrice: c.sellCents! / 1000, tradeId: String(c.sellTxn) });
  });

  it('settles a contract at expiry with sell_expired and closes it with its own sell order, for reconciliation to adopt', async () => {
    await sim.close();
    sim = await startDerivSimulator({ port: 0, settleDelayMs: null }); // only sell_expired settles
    const a = make();
    await a.connect();
    const seen = events(a);
    const resyncs: string[] = [];
    a.execution!.resync$!.subscribe((why) => resyncs.push(why));
    const buy = order('buy', 20);
    a.execution!.submit(buy);
    await waitFor(() => filled(seen, buy.clientOrderId).length === 1, 3_000, 'buy filled');
    const contractId = Number(filled(seen, buy.clientOrderId)[0]!.venueOrderId);
    for (const px of [1001, 1002, 1003, 1004, 1005]) sim.market.moveTo('R_100', px);
    await waitFor(() => sim.core.contracts.get(contractId)?.status === 'won', 2_000, 'settled by sell_expired');
    expect(requests('sell_expired')).toBeGreaterThanOrEqual(1);
    expect(requests('sell')).toBe(0);
    await waitFor(() => resyncs.length === 1, 2_000, 'a reconciliation asked for');
    // the close: the buying strategy's order, not announced (the engine does not know it) but reported for adoption
    const id = `dv-0-${contractId}`;
    expect(seen.filter((e) => e.clientOrderId === id)).toEqual([]);
    expect(resyncs[0]).toContain(id);
    const settlement = sim.core.contracts.get(contractId)!.sellTxn;
    expect(await a.execution!.fills!(0)).toContainEqual(expect.objectContaining({ clientOrderId: id, venueOrderId: String(contractId), tradeId: String(settlement), side: 'sell', lastQty: 20, lastPrice: 1 }));
    expect(await a.execution!.orderStatus!(id)).toMatchObject({ clientOrderId: id, status: 'FILLED', side: 'sell', filledQty: 20, avgFillPrice: 1 });
    // it is no longer held: a later sell of the strategy finds nothing to sell
    const late = order('sell', 20);
    a.execution!.submit(late);
    await waitFor(() => of(seen, late.clientOrderId).length > 0, 3_000, 'refused');
    expect(of(seen, late.clientOrderId)[0]).toMatchObject({ kind: 'OrderRejected', reason: expect.stringMatching(/NO_CONTRACT/) });
  });

  it('fills a sell sent as the contract expires with the settlement (through sell_expired), not with a close of its own', async () => {
    await sim.close();
    sim = await startDerivSimulator({ port: 0, settleDelayMs: null });
    const a = make();
    await a.connect();
    const seen = events(a);
    const buy = order('buy', 20);
    a.execution!.submit(buy);
    await waitFor(() => filled(seen, buy.clientOrderId).length === 1, 3_000, 'buy filled');
    const contractId = Number(filled(seen, buy.clientOrderId)[0]!.venueOrderId);
    for (const px of [999, 998, 997, 996, 995]) sim.market.moveTo('R_100', px); // lost
    const sell = order('sell', 20);
    a.execution!.submit(sell);
    await waitFor(() => filled(seen, sell.clientOrderId).length === 1, 4_000, 'the sell filled at the settlement');
    expect(filled(seen, sell.clientOrderId)[0]).toMatchObject({ lastPrice: 0, lastQty: 20, tradeId: String(sim.core.contracts.get(contractId)!.sellTxn) });
    expect(sim.core.contracts.get(contractId)!.status).toBe('lost');
    expect((await a.execution!.fills!(0)).filter((f) => f.venueOrderId === String(contractId)).map((f) => f.clientOrderId)).toEqual([buy.clientOrderId, sell.clientOrderId]);
  });

  it('books a contract the venue settled itself (the transaction stream) the same way', async () => {
    await sim.close();
    sim = await startDerivSimulator({ port: 0, settleDelayMs: 0 });
    const a = make();
    await a.connect();
    const seen = events(a);
    const buy = order('buy', 10);
    a.execution!.submit(buy);
    await waitFor(() => filled(seen, buy.clientOrderId).length === 1, 3_000, 'buy filled');
    const contractId = Number(filled(seen, buy.clientOrderId)[0]!.venueOrderId);
    for (const px of [1001, 1002, 1003, 1004, 1005]) sim.market.moveTo('R_100', px);
    await waitFor(() => sim.core.contracts.get(contractId)?.status === 'won', 2_000, 'settled by the venue');
    await sleep(100);
    expect(await a.execution!.orderStatus!(`dv-0-${contractId}`)).toMatchObject({ status: 'FILLED', filledQty: 10, avgFillPrice: 1 });
  });

  it('rejects a buy whose limit is under the ask with the venue reason, and a sell with no contract locally', async () => {
    const a = make();
    await a.connect();
    const seen = events(a);
    const low = order('buy', 10, 0.4);
    a.execution!.submit(low);
    await waitFor(() => of(seen, low.clientOrderId).length > 0, 3_000, 'rejected');
    expect(of(seen, low.clientOrderId)[0]).toMatchObject({ kind: 'OrderRejected', reason: expect.stringMatching(/^PriceMoved: /) });
    const naked = order('sell', 10);
    a.execution!.submit(naked);
    await waitFor(() => of(seen, naked.clientOrderId).length > 0, 3_000, 'rejected');
    expect(of(seen, naked.clientOrderId)[0]).toMatchObject({ kind: 'OrderRejected', reason: expect.stringMatching(/NO_CONTRACT/) });
    expect(requests('sell')).toBe(0);
  });

  it('refuses to cancel: Deriv orders never rest', async () => {
    const a = make();
    await a.connect();
    const seen = events(a);
    const buy = order('buy', 10);
    a.execution!.submit(buy);
    await waitFor(() => filled(seen, buy.clientOrderId).length === 1, 3_000, 'filled');
    a.execution!.cancel({ kind: 'CancelOrder', clientOrderId: buy.clientOrderId, strategyId: 'dv', instrumentId: CALL, tsInit: Date.now() });
    await waitFor(() => of(seen, buy.clientOrderId).some((e) => e.kind === 'OrderCancelRejected'), 1_000, 'cancel rejected');
  });

  it('turns a missing trade scope into the venue error once, then refuses orders locally (no retry storm)', async () => {
    const { log, lines } = captureLog();
    const a = make({ token: READ_ONLY_TOKEN, log });
    await a.connect();
    const seen = events(a);
    const cmds = [order('buy', 10), order('buy', 10), order('buy', 10)];
    a.execution!.submit(cmds[0]!);
    await waitFor(() => of(seen, cmds[0]!.clientOrderId).length > 0, 3_000, 'first rejected');
    for (const c of cmds.slice(1)) a.execution!.submit(c);
    await waitFor(() => cmds.every((c) => of(seen, c.clientOrderId).length > 0), 3_000, 'all rejected');
    for (const c of cmds) expect(of(seen, c.clientOrderId)[0]).toMatchObject({ kind: 'OrderRejected', reason: expect.stringMatching(/PermissionDenied: Permission denied, requires trade scope\(s\)\..*DERIV_API_TOKEN lacks the trade scope/) });
    expect(requests('buy')).toBe(1);
    expect(lines.join('')).not.toContain(READ_ONLY_TOKEN);
  });

  it('rejects connect() once, with the venue error, for a token without the read scope', async () => {
    const a = make({ token: NO_READ_TOKEN });
    const err = (await a.connect().catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/lacks the read scope.*PermissionDenied: Permission denied, requires read scope\(s\)\./);
    expect(err.message).not.toContain(NO_READ_TOKEN);
    await sleep(1_000);
    expect(requests('authorize')).toBe(1);
    expect(sim.connections).toBe(1);
  });

  it('rejects connect() with InvalidToken for a bad token, never printing it', async () => {
    const a = make({ token: 'wrong-token-123456789' });
    const err = (await a.connect().catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/authorization refused.*InvalidToken: The token is invalid\./);
    expect(err.message).not.toContain('wrong-token-123456789');
  });

  it('settles a buy whose answer was lost from the statement, exactly once and without buying again', async () => {
    const a = make({ options: { requestTimeoutMs: 300 } });
    await a.connect();
    const seen = events(a);
    sim.faults.loseNextReply('buy');
    const buy = order('buy', 10);
    a.execution!.submit(buy);
    await waitFor(() => filled(seen, buy.clientOrderId).length > 0, 3_000, 'settled fill');
    await sleep(200);
    expect(filled(seen, buy.clientOrderId)).toHaveLength(1);
    expect(requests('buy')).toBe(1);
    expect(await a.execution!.orderStatus!(buy.clientOrderId)).toMatchObject({ status: 'FILLED', filledQty: 10, avgFillPrice: 0.52 });
    expect((await a.execution!.fills!(0)).map((f) => f.clientOrderId)).toEqual([buy.clientOrderId]);
  });

  it('streams an underlying as quotes and trades, and a contract instrument as quotes per unit of payout', async () => {
    const a = make();
    await a.connect();
    const ticks: Tick[] = [];
    a.marketData!.ticks$.subscribe((t) => ticks.push(t));
    a.marketData!.subscribe(UNDERLYING, ['quote', 'trade']);
    a.marketData!.subscribe(CALL, ['quote']);
    await waitFor(() => (sim.market.moveTo('R_100', 1000.5), ticks.some((t) => t.instrumentId === CALL) && ticks.some((t) => t.kind === 'trade')), 3_000, 'ticks');
    expect(ticks.find((t) => t.kind === 'trade' && t.instrumentId === UNDERLYING)).toMatchObject({ price: 1000.5 });
    expect(ticks.find((t) => t.kind === 'quote' && t.instrumentId === UNDERLYING)).toMatchObject({ bid: 1000.49, ask: 1000.51 });
    expect(ticks.find((t) => t.instrumentId === CALL)).toMatchObject({ kind: 'quote', ask: 0.52 });
    a.marketData!.unsubscribe(UNDERLYING, ['quote', 'trade']);
    await waitFor(() => requests('forget') === 1, 2_000, 'forget sent');
  });

  it('never writes the token to a log line', async () => {
    const { log, lines } = captureLog();
    const a = make({ log });
    await a.connect();
    sim.faults.dropConnections();
    await waitFor(() => requests('authorize') >= 2, 4_000, 're-authorized');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('')).not.toContain(DEMO_TOKEN);
  });
});
