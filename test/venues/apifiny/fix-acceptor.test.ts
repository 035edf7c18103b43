/**
 * The simulator's FIX 4.2 acceptor (fix-acceptor.ts) over loopback, driven by the engine's FIX session as a client:
 * the document's logon (a JWT in RawData: method "Fix", the digest of the account id, exp), refused with a Logout and
 * the reason otherwise; orders over FIX on the same matching as REST, visible through REST and the reverse; fills,
 * cancels (by OrigClOrdID, or by ClOrdID alone as the document's table has it), cancel rejects and status requests, with
 * the tags standard FIX 4.2 requires in every ExecutionReport.
 */
import { connect, type Socket } from 'node:net';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveClock } from '../../../engine/clock/live-clock.js';
import type { FixField, FixMessage } from '../../../engine/fix/codec.js';
import { newOrderSingle, orderCancelRequest, orderStatusRequest, parseCancelReject, parseExecutionReport, type ExecutionReport } from '../../../engine/fix/orders.js';
import { FixSession, memorySeqStore, type FixSessionState } from '../../../engine/fix/session.js';
import { silentLogger } from '../../../engine/log/logger.js';
import type { ApifinySimulator } from './sim-server.js';
import { ALICE, BOB, limitOrder, newOrderId, sha256Hex, signedGet, signedPost, startTestSimulator, type Creds } from './test-client.js';
import { waitFor } from '../../net/helpers.js';

let sim: ApifinySimulator;
const sockets: Socket[] = [];
beforeAll(async () => {
  sim = await startTestSimulator({ fixPort: 0 });
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await sim.close();
});

const until = (what: string, probe: () => boolean, timeoutMs = 3_000): Promise<void> => waitFor(probe, timeoutMs, what);

/** The document's logon signature. */
const fixToken = (creds: Creds, over: Record<string, unknown> = {}, secret = creds.secret): string =>
  jwt.sign({ accountId: creds.accountId, secretKeyId: creds.secretKeyId, digest: sha256Hex(creds.accountId), method: 'Fix', exp: Math.floor(Date.now() / 1000) + 30, ...over }, secret, { algorithm: 'HS256', noTimestamp: true });

interface Client {
  readonly session: FixSession;
  readonly got: FixMessage[];
  readonly states: string[];
  /** Messages the acceptor sent at the session level (a Logout's text). */
  readonly logoutText: () => string | undefined;
}

async function logOn(creds: Creds, token: string): Promise<Client> {
  const socket = connect(sim.fixPort!, '127.0.0.1');
  sockets.push(socket);
  await new Promise((r) => socket.once('connect', r));
  const got: FixMessage[] = [];
  const states: string[] = [];
  const raw: string[] = [];
  const session = new FixSession({
    role: 'initiator', senderCompId: creds.accountId, targetCompId: 'APIFINY', heartBtInt: 30, resetOnLogon: true, store: memorySeqStore(),
    clock: createLiveClock(), log: silentLogger(), logonFields: () => [[95, String(token.length)], [96, token]],
    send: (b) => void socket.write(b), close: () => socket.destroy(), onMessage: (m) => void got.push(m),
    onState: (s: FixSessionState, why?: string) => void states.push(why === undefined ? s : `${s}: ${why}`),
  });
  socket.on('data', (d: Buffer) => {
    raw.push(d.toString('latin1'));
    session.received(d);
  });
  socket.on('close', () => session.disconnected());
  session.connected();
  await until('logged on or out', () => session.state === 'active' || session.state === 'disconnected');
  return { session, got, states, logoutText: () => /\u000158=([^\u0001]*)\u0001/.exec(raw.join('').split('\u000135=5\u0001')[1] ?? '')?.[1] };
}

const order = (creds: Creds) => ({ account: creds.accountId, symbol: 'BTCUSD', exchange: 'VENUE1' });
const er = (m: FixMessage): ExecutionReport => {
  const r = parseExecutionReport(m);
  if (typeof r === 'string') throw new Error(r);
  return r;
};
/** Every ExecutionReport carries FIX 4.2's required tags, including those the document's table leaves out. */
const REQUIRED_ER_TAGS = [37, 17, 20, 150, 39, 55, 54, 151, 14, 6];

describe('the simulator\'s FIX acceptor', () => {
  it('logs on with the document\'s signature, and refuses each bad one with a Logout that says why', async () => {
    const ok = await logOn(ALICE, fixToken(ALICE));
    expect(ok.session.state).toBe('active');
    ok.session.logout();
    const cases: Array<[string, Creds, string, RegExp]> = [
      ['wrong secret', ALICE, fixToken(ALICE, {}, 'not-the-secret'), /^\d+: .*signature/i],
      ['expired', ALICE, fixToken(ALICE, { exp: Math.floor(Date.now() / 1000) - 5 }), /token expired/],
      ['another method', ALICE, fixToken(ALICE, { method: 'Rest' }), /method must be "Fix"/],
      ['a digest of something else', ALICE, fixToken(ALICE, { digest: sha256Hex('other') }), /digest does not match/],
      ['unknown account', { ...ALICE, accountId: 'STA-09999999' }, fixToken({ ...ALICE, accountId: 'STA-09999999' }), /does not exist/],
    ];
    for (const [name, creds, token, reason] of cases) {
      const c = await logOn(creds, token);
      await until(`${name}: disconnected`, () => c.session.state === 'disconnected');
      expect(c.logoutText(), name).toMatch(reason);
    }
  });

  it('takes an order over FIX on the REST side\'s matching: New, then a fill when the market reaches it, both visible through REST', async () => {
    const c = await logOn(ALICE, fixToken(ALICE));
    const ask = sim.market.book('BTCUSD')!.asks[0]![0];
    const id = newOrderId(ALICE);
    c.session.sendApp('D', newOrderSingle({ ...order(ALICE), clOrdId: id, side: 'buy', quantity: 0.01, price: +(ask - 100).toFixed(2), timeInForce: 'GTC', transactTime: Date.now() }));
    await until('New', () => c.got.length === 1);
    for (const tag of REQUIRED_ER_TAGS) expect(c.got[0]!.has(tag), `tag ${tag}`).toBe(true);
    expect(er(c.got[0]!)).toMatchObject({ clOrdId: id, orderId: id, execType: 'new', ordStatus: 'new', leavesQty: 0.01, cumQty: 0 });
    const rest = await signedGet(sim, '/order/queryOrderInfo', { accountId: ALICE.accountId, venue: 'VENUE1', orderId: id });
    expect(rest.body.result[0]).toMatchObject({ orderId: id, orderStatus: 'SUBMITTED' });

    sim.market.moveTo('BTCUSD', ask - 150); // the asks come down through the limit
    await until('the fill', () => c.got.some((m) => m.get(150) === '2'));
    const fill = er(c.got.find((m) => m.get(150) === '2')!);
    expect(fill).toMatchObject({ clOrdId: id, execType: 'fill', ordStatus: 'fill', lastQty: 0.01, leavesQty: 0, cumQty: 0.01 });
    expect(fill.lastPrice).toBeLessThanOrEqual(+(ask - 100).toFixed(2));
    expect((await signedGet(sim, '/order/queryOrderInfo', { accountId: ALICE.accountId, venue: 'VENUE1', orderId: id })).body.result[0].orderStatus).toBe('FILLED');
    // a cancel of the filled order: OrderCancelReject
    c.session.sendApp('F', orderCancelRequest({ ...order(ALICE), clOrdId: `${id}9`, origClOrdId: id, side: 'buy', quantity: 0.01, transactTime: Date.now() }));
    await until('the cancel reject', () => c.got.some((m) => m.msgType === '9'));
    expect(parseCancelReject(c.got.find((m) => m.msgType === '9')!)).toMatchObject({ origClOrdId: id, text: expect.stringMatching(/FILLED/) });
    c.session.logout();
  });

  it('cancels by the document\'s ClOrdID alone, answers status requests, and sees an order placed through REST', async () => {
    const c = await logOn(BOB, fixToken(BOB));
    const bid = sim.market.book('BTCUSD')!.bids[0]![0];
    const id = newOrderId(BOB);
    c.session.sendApp('D', newOrderSingle({ ...order(BOB), clOrdId: id, side: 'sell', quantity: 0.01, price: +(bid + 500).toFixed(2), timeInForce: 'GTC', transactTime: Date.now() }));
    await until('New', () => c.got.length === 1);
    // the document's status request: ClOrdID, Account, SecurityExchange (no Side, no Symbol)
    c.session.sendApp('H', [[1, BOB.accountId], [11, id], [207, 'VENUE1']] as FixField[]);
    await until('the status', () => c.got.length === 2);
    expect(er(c.got[1]!)).toMatchObject({ clOrdId: id, status: true, ordStatus: 'new', leavesQty: 0.01 });
    // the document's cancel: ClOrdID of the order, Account, SecurityExchange, Text
    c.session.sendApp('F', [[1, BOB.accountId], [11, id], [58, 'Cancel Order'], [207, 'VENUE1']] as FixField[]);
    await until('Canceled', () => c.got.some((m) => m.get(150) === '4'));
    expect(er(c.got.find((m) => m.get(150) === '4')!)).toMatchObject({ orderId: id, execType: 'canceled', ordStatus: 'canceled', leavesQty: 0 });
    expect((await signedGet(sim, '/order/queryOrderInfo', { accountId: BOB.accountId, venue: 'VENUE1', orderId: id }, BOB)).body.result[0].orderStatus).toBe('CANCELLED');

    // an order placed through REST: the FIX session reports it, and answers its status
    const viaRest = limitOrder('SELL', (bid + 600).toFixed(2), '0.01', {}, BOB);
    expect((await signedPost(sim, '/order/newOrder', viaRest, BOB)).status).toBe(200);
    await until('its New over FIX', () => c.got.some((m) => m.get(11) === viaRest.orderId && m.get(150) === '0'));
    c.session.sendApp('H', orderStatusRequest({ ...order(BOB), clOrdId: viaRest.orderId, side: 'sell' }));
    await until('its status', () => c.got.some((m) => m.get(11) === viaRest.orderId && m.get(20) === '3'));
    c.session.sendApp('H', orderStatusRequest({ ...order(BOB), clOrdId: '0000000299', side: 'sell' }));
    await until('an unknown order\'s status', () => c.got.some((m) => m.get(11) === '0000000299'));
    expect(er(c.got.find((m) => m.get(11) === '0000000299')!)).toMatchObject({ ordStatus: 'rejected', text: 'unknown order' });
    c.session.logout();
  });

  it('rejects an order the venue refuses with an ExecutionReport Rejected that gives the venue\'s reason', async () => {
    const c = await logOn(ALICE, fixToken(ALICE));
    c.session.sendApp('D', newOrderSingle({ ...order(ALICE), clOrdId: 'not-a-valid-id', side: 'buy', quantity: 0.01, price: 100, timeInForce: 'GTC', transactTime: Date.now() }));
    await until('Rejected', () => c.got.length === 1);
    expect(er(c.got[0]!)).toMatchObject({ clOrdId: 'not-a-valid-id', execType: 'rejected', ordStatus: 'rejected', text: expect.stringMatching(/^\d+: /) });
    c.session.logout();
  });
});

describe('the simulator\'s FIX fault switches', () => {
  const place = (c: Client, creds: Creds, id: string, price: number) =>
    c.session.sendApp('D', newOrderSingle({ ...order(creds), clOrdId: id, side: 'buy', quantity: 0.01, price, timeInForce: 'GTC', transactTime: Date.now() }));

  it('a swallowed message is a gap the client asks to have resent, and gets gap-filled, never replayed', async () => {
    const c = await logOn(ALICE, fixToken(ALICE));
    const below = +(sim.market.book('BTCUSD')!.bids[0]![0] - 200).toFixed(2);
    const [first, second] = [newOrderId(ALICE), newOrderId(ALICE)];
    sim.fixFaults!.swallowNext();
    place(c, ALICE, first, below); // its New is never written
    place(c, ALICE, second, below);
    await until('the second New', () => c.got.some((m) => m.get(11) === second));
    expect(c.session.stats.resendRequestsSent).toBe(1);
    expect(c.got.some((m) => m.get(11) === first)).toBe(false); // gap-filled: the client settles it by asking
    c.session.sendApp('H', orderStatusRequest({ ...order(ALICE), clOrdId: first, side: 'buy' }));
    await until('its status', () => c.got.some((m) => m.get(11) === first && m.get(20) === '3'));
    c.session.logout();
  });

  it('a garbled message is ignored by the client without consuming its number; the gap it leaves is gap-filled', async () => {
    const c = await logOn(ALICE, fixToken(ALICE));
    const below = +(sim.market.book('BTCUSD')!.bids[0]![0] - 200).toFixed(2);
    const [first, second] = [newOrderId(ALICE), newOrderId(ALICE)];
    sim.fixFaults!.garbleNext();
    place(c, ALICE, first, below);
    place(c, ALICE, second, below);
    await until('the second New', () => c.got.some((m) => m.get(11) === second));
    expect(c.session.stats.garbled).toBe(1);
    expect(c.session.stats.resendRequestsSent).toBe(1);
    c.session.logout();
  });

  it('drops the connection after acting: the order is at the venue, unanswered, and found by a status request after a new logon', async () => {
    const c = await logOn(BOB, fixToken(BOB));
    const id = newOrderId(BOB);
    sim.fixFaults!.dropAfterActing();
    place(c, BOB, id, +(sim.market.book('BTCUSD')!.bids[0]![0] - 200).toFixed(2));
    await until('disconnected', () => c.session.state === 'disconnected');
    expect(c.got).toEqual([]);
    expect((await signedGet(sim, '/order/queryOrderInfo', { accountId: BOB.accountId, venue: 'VENUE1', orderId: id }, BOB)).body.result[0].orderStatus).toBe('SUBMITTED');
    const again = await logOn(BOB, fixToken(BOB));
    again.session.sendApp('H', orderStatusRequest({ ...order(BOB), clOrdId: id, side: 'buy' }));
    await until('its status', () => again.got.some((m) => m.get(11) === id));
    expect(er(again.got.find((m) => m.get(11) === id)!)).toMatchObject({ status: true, ordStatus: 'new', leavesQty: 0.01 });
    again.session.logout();
  });

  it('delays every answer by the switch\'s time', async () => {
    const c = await logOn(ALICE, fixToken(ALICE));
    sim.fixFaults!.delayMs = 300;
    try {
      const t0 = Date.now();
      c.session.sendApp('H', orderStatusRequest({ ...order(ALICE), clOrdId: '0000000199', side: 'buy' }));
      await until('the answer', () => c.got.length === 1);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    } finally {
      sim.fixFaults!.delayMs = 0;
    }
    c.session.logout();
  });
});
