/**
 * Interop with a real FIX engine (issue 16), both ways, each QuickFIX side validating every message it gets against
 * QuickFIX's own FIX 4.2 data dictionary:
 *  - our initiator (engine/fix/session.ts, engine/fix/orders.ts) logs on to an acceptor built on QuickFIX
 *    (test/fix/quickfix/acceptor.cpp, Debian's libquickfix-dev) and runs NewOrderSingle → ExecutionReport →
 *    OrderStatusRequest → ExecutionReport → OrderCancelRequest → ExecutionReport, and a cancel of an unknown order →
 *    OrderCancelReject, with no session-level Reject;
 *  - a QuickFIX initiator (test/fix/quickfix/initiator.cpp) logs on to the Apifiny simulator's FIX acceptor with the
 *    document's settings and a JWT in RawData, and runs the same flow on the simulator's matching.
 * `.ci/run` builds both and fetches the dictionary (from QuickFIX's PyPI sdist) into test/fix/quickfix/build/ and sets
 * REQUIRE_QUICKFIX=1, so in CI a missing build fails instead of skipping.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveClock } from '../../engine/clock/live-clock.js';
import type { FixMessage } from '../../engine/fix/codec.js';
import { newOrderSingle, orderCancelRequest, orderStatusRequest, parseCancelReject, parseExecutionReport, type ExecutionReport } from '../../engine/fix/orders.js';
import { FixSession, memorySeqStore } from '../../engine/fix/session.js';
import { silentLogger } from '../../engine/log/logger.js';
import type { ApifinySimulator } from '../venues/apifiny/sim-server.js';
import { startTestSimulator, ALICE, newOrderId, sha256Hex, signedGet } from '../venues/apifiny/test-client.js';
import jwt from 'jsonwebtoken';
import { deadPort, waitFor } from '../net/helpers.js';

const BUILD = resolve(fileURLToPath(new URL('.', import.meta.url)), 'quickfix/build');
const ACCEPTOR = process.env.QUICKFIX_ACCEPTOR ?? join(BUILD, 'acceptor');
const INITIATOR = process.env.QUICKFIX_INITIATOR ?? join(BUILD, 'initiator');
const DICTIONARY = process.env.FIX42_DICTIONARY ?? join(BUILD, 'FIX42.xml');
const built = existsSync(ACCEPTOR) && existsSync(INITIATOR) && existsSync(DICTIONARY);
if (!built && process.env.REQUIRE_QUICKFIX === '1') throw new Error(`QuickFIX interop: ${ACCEPTOR}, ${INITIATOR} or ${DICTIONARY} is missing (.ci/run builds them)`);

const until = (what: string, probe: () => boolean, timeoutMs = 5_000): Promise<void> => waitFor(probe, timeoutMs, what);

describe.skipIf(!built)('our FIX 4.2 initiator against a QuickFIX acceptor (standard FIX 4.2 dictionary)', () => {
  let dir: string;
  let acceptor: ChildProcess;
  let port: number;
  const acceptorOut: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'engine-quickfix-'));
    port = await deadPort(); // a port nothing listens on now: the acceptor takes it
    const settings = join(dir, 'acceptor.cfg');
    writeFileSync(settings, [
      '[DEFAULT]', 'ConnectionType=acceptor', `SocketAcceptPort=${port}`, 'SocketAcceptHost=127.0.0.1', `FileStorePath=${join(dir, 'store')}`,
      `FileLogPath=${join(dir, 'log')}`, 'StartTime=00:00:00', 'EndTime=00:00:00', 'UseDataDictionary=Y', `DataDictionary=${DICTIONARY}`,
      'ResetOnLogon=Y', 'ResetOnLogout=Y', 'ResetOnDisconnect=Y', 'ValidateUserDefinedFields=N',
      '[SESSION]', 'BeginString=FIX.4.2', 'SenderCompID=APIFINY', 'TargetCompID=STA-00000001', '',
    ].join('\n'));
    acceptor = spawn(ACCEPTOR, [settings], { stdio: ['pipe', 'pipe', 'pipe'] });
    acceptor.stderr!.on('data', (d: Buffer) => void acceptorOut.push(d.toString()));
    await new Promise<void>((res, rej) => {
      createInterface({ input: acceptor.stdout! }).on('line', (l) => {
        acceptorOut.push(l);
        if (l === 'ready') res();
      });
      acceptor.once('exit', (code) => rej(new Error(`QuickFIX acceptor exited (${code}): ${acceptorOut.join('\n')}`)));
    });
  }, 20_000);

  afterAll(() => {
    acceptor?.stdin?.end();
    acceptor?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('logs on, and runs new order → status → cancel, and a cancel of an unknown order, with no session-level reject', async () => {
    const socket: Socket = connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const got: FixMessage[] = [];
    const session = new FixSession({
      role: 'initiator', senderCompId: 'STA-00000001', targetCompId: 'APIFINY', heartBtInt: 30, resetOnLogon: true, store: memorySeqStore(),
      clock: createLiveClock(), log: silentLogger(), logonFields: () => [[95, '9'], [96, 'signature']],
      send: (b) => void socket.write(b), close: () => socket.destroy(), onMessage: (m) => void got.push(m),
    });
    socket.on('data', (d: Buffer) => session.received(d));
    socket.on('close', () => session.disconnected());
    session.connected();
    await until('logged on', () => session.state === 'active');

    const order = { account: 'STA-00000001', symbol: 'BTCUSD', exchange: 'VENUE1', side: 'buy' as const };
    session.sendApp('D', newOrderSingle({ ...order, clOrdId: 'ord-1', quantity: 0.5, price: 27000.5, timeInForce: 'GTC', transactTime: Date.now(), text: 'new Order' }));
    await until('an ExecutionReport', () => got.length === 1);
    const ack = parseExecutionReport(got[0]!) as ExecutionReport;
    expect(ack).toMatchObject({ clOrdId: 'ord-1', execType: 'new', ordStatus: 'new', leavesQty: 0.5, cumQty: 0, side: 'buy', symbol: 'BTCUSD' });

    session.sendApp('H', orderStatusRequest({ ...order, clOrdId: 'ord-1', orderId: ack.orderId }));
    await until('the status', () => got.length === 2);
    expect(parseExecutionReport(got[1]!)).toMatchObject({ clOrdId: 'ord-1', orderId: ack.orderId, status: true, ordStatus: 'new' });

    session.sendApp('F', orderCancelRequest({ ...order, clOrdId: 'cxl-1', origClOrdId: 'ord-1', quantity: 0.5, transactTime: Date.now() }));
    await until('the cancel', () => got.length === 3);
    expect(parseExecutionReport(got[2]!)).toMatchObject({ clOrdId: 'cxl-1', origClOrdId: 'ord-1', execType: 'canceled', ordStatus: 'canceled' });

    session.sendApp('F', orderCancelRequest({ ...order, clOrdId: 'cxl-2', origClOrdId: 'nope', quantity: 1, transactTime: Date.now() }));
    await until('the cancel reject', () => got.length === 4);
    expect(parseCancelReject(got[3]!)).toMatchObject({ clOrdId: 'cxl-2', origClOrdId: 'nope', text: 'unknown order' });

    expect(session.stats.rejectsReceived).toBe(0);
    expect(session.stats.garbled).toBe(0);
    session.logout();
    await until('logged out', () => session.state === 'disconnected');
  });
});

describe.skipIf(!built)('a QuickFIX initiator against the Apifiny simulator\'s FIX acceptor (standard FIX 4.2 dictionary)', () => {
  /** Runs the QuickFIX initiator against a fresh simulator with a limit buy `offset` from the market; its output lines. */
  const runInitiator = async (offset: (book: { bid: number; ask: number }) => number): Promise<{ out: string[]; code: number | null; id: string; sim: ApifinySimulator }> => {
    const sim = await startTestSimulator({ fixPort: 0 });
    const dir = mkdtempSync(join(tmpdir(), 'engine-quickfix-init-'));
    try {
      const settings = join(dir, 'initiator.cfg');
      // the document's QuickFIX settings, pointed at the simulator
      writeFileSync(settings, [
        '[DEFAULT]', 'ConnectionType=initiator', `SenderCompID=${ALICE.accountId}`, 'TargetCompID=APIFINY', 'SocketConnectHost=127.0.0.1',
        'StartTime=00:00:00', 'EndTime=00:00:00', 'HeartBtInt=30', 'ReconnectInterval=5', 'UseDataDictionary=Y', `DataDictionary=${DICTIONARY}`,
        'ResetSeqNumFlag=Y', 'ResetOnLogon=Y', 'ResetOnLogout=Y', 'ResetOnDisconnect=Y', `FileStorePath=${join(dir, 'store')}`, `FileLogPath=${join(dir, 'log')}`,
        '[SESSION]', 'BeginString=FIX.4.2', `SocketConnectPort=${sim.fixPort}`, '',
      ].join('\n'));
      const token = jwt.sign({ accountId: ALICE.accountId, secretKeyId: ALICE.secretKeyId, digest: sha256Hex(ALICE.accountId), method: 'Fix', exp: Math.floor(Date.now() / 1000) + 30 }, ALICE.secret, { algorithm: 'HS256', noTimestamp: true });
      const id = newOrderId(ALICE);
      const book = sim.market.book('BTCUSD')!;
      const price = offset({ bid: book.bids[0]![0], ask: book.asks[0]![0] }).toFixed(2);
      const out: string[] = [];
      const proc = spawn(INITIATOR, [settings, token, ALICE.accountId, id, 'BTCUSD', price], { stdio: ['ignore', 'pipe', 'pipe'] });
      proc.stdout!.on('data', (d: Buffer) => void out.push(...d.toString().split('\n').filter((l) => l !== '')));
      proc.stderr!.on('data', (d: Buffer) => void out.push(d.toString()));
      const code = await new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
      return { out, code, id, sim };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('logs on with the document\'s settings and signature, and runs new order → status → cancel, validating every message it gets', async () => {
    const { out, code, id, sim } = await runInitiator((b) => b.bid - 100);
    try {
      expect(out.filter((l) => l.startsWith('SENT-REJECT') || l.startsWith('GOT-3')), out.join('\n')).toEqual([]);
      expect(out.filter((l) => l.startsWith('LOGON') || l.startsWith('ER ') || l === 'DONE'), out.join('\n')).toEqual([
        'LOGON', `ER 150=0 20=0 37=${id}`, `ER 150=0 20=3 37=${id}`, `ER 150=4 20=0 37=${id}`, 'DONE',
      ]);
      expect(code).toBe(0);
      // the order went through the simulator's matching: REST sees it canceled
      const rest = await signedGet(sim, '/order/queryOrderInfo', { accountId: ALICE.accountId, venue: 'VENUE1', orderId: id });
      expect(rest.body.result[0]).toMatchObject({ orderId: id, orderStatus: 'CANCELLED' });
    } finally {
      await sim.close();
    }
  }, 30_000);

  it('takes a fill ExecutionReport (Commission 12, CommType 13 included) and an OrderCancelReject, validating both', async () => {
    const { out, code, id, sim } = await runInitiator((b) => b.ask + 100); // marketable: fills at once
    try {
      expect(out.filter((l) => l.startsWith('SENT-REJECT') || l.startsWith('GOT-3')), out.join('\n')).toEqual([]);
      const lines = out.filter((l) => l.startsWith('LOGON') || l.startsWith('ER ') || l === 'CANCEL-REJECT' || l === 'DONE');
      expect(lines[0]).toBe('LOGON');
      expect(lines, out.join('\n')).toEqual(expect.arrayContaining([`ER 150=0 20=0 37=${id}`, `ER 150=2 20=0 37=${id}`, `ER 150=2 20=3 37=${id}`, 'CANCEL-REJECT', 'DONE']));
      expect(code).toBe(0);
    } finally {
      await sim.close();
    }
  }, 30_000);
});
