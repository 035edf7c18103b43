/**
 * The FIX 4.2 session layer (engine/fix/session.ts) over loopback sockets: an initiator and an acceptor log on and
 * exchange messages; a scripted raw peer (bytes written by hand) drives the session test cases the issue lists —
 * MsgSeqNum too high (ResendRequest, then the held messages in order), too low without PossDupFlag (Logout), a PossDup
 * duplicate (ignored), a garbled message (ignored, no sequence number consumed), a silent peer (TestRequest, then
 * disconnect), a refused Logon (Logout with the reason), ResendRequest answered by a gap fill, and sequence numbers
 * kept by the store when the session does not reset.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLiveClock } from '../../engine/clock/live-clock.js';
import { encodeFix, FixFramer, fixTimestamp, isGarbled, type FixField, type FixMessage } from '../../engine/fix/codec.js';
import { FixSession, memorySeqStore, type FixSessionOptions, type FixSessionState, type SeqStore } from '../../engine/fix/session.js';
import { silentLogger } from '../../engine/log/logger.js';
import { waitFor } from '../net/helpers.js';

const clock = createLiveClock();
const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
});

const until = (what: string, probe: () => boolean, timeoutMs = 3_000): Promise<void> => waitFor(probe, timeoutMs, what);

interface Side {
  readonly session: FixSession;
  readonly got: FixMessage[];
  readonly states: string[];
}

/** A session on a socket: bytes in and out, state changes and application messages recorded. */
function attach(socket: Socket, opts: Partial<FixSessionOptions> & Pick<FixSessionOptions, 'role' | 'senderCompId' | 'targetCompId'>): Side {
  const got: FixMessage[] = [];
  const states: string[] = [];
  const session = new FixSession({
    heartBtInt: 30, resetOnLogon: true, store: memorySeqStore(), clock, log: silentLogger(),
    send: (b) => void (socket.destroyed || socket.write(b)), close: () => socket.destroy(),
    onMessage: (m) => void got.push(m), onState: (s: FixSessionState, why?: string) => void states.push(why === undefined ? s : `${s}: ${why}`),
    ...opts,
  });
  socket.on('data', (d: Buffer) => session.received(d));
  socket.on('close', () => session.disconnected());
  socket.on('error', () => undefined);
  return { session, got, states };
}

async function listen(onSocket: (s: Socket) => void): Promise<number> {
  const server = createServer((s) => {
    sockets.push(s);
    onSocket(s);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

async function dial(port: number): Promise<Socket> {
  const s = connect(port, '127.0.0.1');
  sockets.push(s);
  await new Promise((r) => s.once('connect', r));
  return s;
}

/** A peer that writes messages by hand and reads what the session sends back. */
class RawPeer {
  readonly seen: FixMessage[] = [];
  private framer = new FixFramer();
  constructor(readonly socket: Socket, private readonly sender = 'APIFINY', private readonly target = 'STA-1') {
    socket.on('data', (d: Buffer) => {
      for (const m of this.framer.push(d)) if (!isGarbled(m)) this.seen.push(m);
    });
  }
  send(type: string, seq: number, body: FixField[] = [], header: FixField[] = []): void {
    this.socket.write(encodeFix('FIX.4.2', [[35, type], [49, this.sender], [56, this.target], [34, String(seq)], [52, fixTimestamp(Date.now())], ...header, ...body]));
  }
  types(): string[] {
    return this.seen.map((m) => m.msgType);
  }
}

/** Our initiator (STA-1 → APIFINY) against a raw acceptor peer, logged on (both at seq 1). */
async function initiatorWithRawPeer(opts: Partial<FixSessionOptions> = {}) {
  let peer: RawPeer | undefined;
  const port = await listen((s) => void (peer = new RawPeer(s)));
  const socket = await dial(port);
  const side = attach(socket, { role: 'initiator', senderCompId: 'STA-1', targetCompId: 'APIFINY', ...opts });
  side.session.connected();
  await until('the Logon reached the peer', () => peer?.types().includes('A') === true);
  peer!.send('A', 1, [[98, '0'], [108, String(opts.heartBtInt ?? 30)], [141, 'Y']]);
  await until('logged on', () => side.session.state === 'active');
  return { side, peer: peer!, socket };
}

describe('a FIX 4.2 session over loopback', () => {
  it('logs on (initiator and acceptor, reset to 1), carries application messages both ways in sequence, logs out', async () => {
    let acceptor: Side | undefined;
    const port = await listen((s) => {
      acceptor = attach(s, { role: 'acceptor', senderCompId: 'APIFINY', targetCompId: 'STA-1', authorize: (m) => (m.get(96) === 'token' ? undefined : 'bad token') });
      acceptor.session.connected();
    });
    const socket = await dial(port);
    const initiator = attach(socket, { role: 'initiator', senderCompId: 'STA-1', targetCompId: 'APIFINY', logonFields: () => [[95, '5'], [96, 'token']] });
    initiator.session.connected();
    await until('both active', () => initiator.session.state === 'active' && acceptor?.session.state === 'active');
    expect(initiator.session.sendApp('D', [[11, 'c-1'], [55, 'BTCUSD']])).toBe(2);
    await until('the order reached the acceptor', () => acceptor!.got.length === 1);
    expect(acceptor!.got[0]!.get(11)).toBe('c-1');
    expect(acceptor!.session.sendApp('8', [[11, 'c-1'], [150, '0']])).toBe(2);
    await until('the report reached the initiator', () => initiator.got.length === 1);
    expect(initiator.session.seqNums).toEqual({ nextOut: 3, nextIn: 3 });
    initiator.session.logout();
    await until('both disconnected', () => initiator.session.state === 'disconnected' && acceptor!.session.state === 'disconnected');
    expect(acceptor!.states.at(-1)).toMatch(/logged out by the other side/);
  });

  it('refuses a Logon the acceptor does not authorize, with a Logout giving the reason', async () => {
    const port = await listen((s) => attach(s, { role: 'acceptor', senderCompId: 'APIFINY', targetCompId: 'STA-1', authorize: () => 'signature expired' }).session.connected());
    const socket = await dial(port);
    const peer = new RawPeer(socket, 'STA-1', 'APIFINY');
    peer.send('A', 1, [[98, '0'], [108, '30'], [141, 'Y']]);
    await until('a Logout came back', () => peer.types().includes('5'));
    expect(peer.seen.find((m) => m.msgType === '5')!.get(58)).toBe('signature expired');
    await until('the connection closed', () => socket.destroyed || socket.readableEnded);
  });

  it('MsgSeqNum too high: asks for a resend, holds what came after the gap, and takes it in order once the gap is filled', async () => {
    const { side, peer } = await initiatorWithRawPeer();
    peer.send('8', 4, [[11, 'c-4']]); // 2 and 3 missing
    peer.send('8', 5, [[11, 'c-5']]);
    await until('a ResendRequest', () => peer.types().includes('2'));
    const rr = peer.seen.find((m) => m.msgType === '2')!;
    expect([rr.get(7), rr.get(16)]).toEqual(['2', '3']); // just the gap
    expect(side.got).toEqual([]);
    peer.send('8', 2, [[11, 'c-2']], [[43, 'Y']]);
    peer.send('4', 3, [[123, 'Y'], [36, '4']], [[43, 'Y']]); // 3 gap-filled
    await until('all delivered', () => side.got.length === 3);
    expect(side.got.map((m) => m.get(11))).toEqual(['c-2', 'c-4', 'c-5']);
    expect(side.session.seqNums.nextIn).toBe(6);
    expect(side.session.stats.resendRequestsSent).toBe(1);
  });

  it('MsgSeqNum too low without PossDupFlag: Logout and disconnect; with PossDupFlag=Y: a duplicate, ignored', async () => {
    const { side, peer } = await initiatorWithRawPeer();
    peer.send('8', 2, [[11, 'c-2']]);
    await until('delivered', () => side.got.length === 1);
    peer.send('8', 2, [[11, 'c-2']], [[43, 'Y'], [122, fixTimestamp(Date.now())]]);
    peer.send('8', 3, [[11, 'c-3']]);
    await until('the next one delivered', () => side.got.length === 2);
    expect(side.session.stats.duplicates).toBe(1);
    peer.send('8', 2, [[11, 'again']]);
    await until('disconnected', () => side.session.state === 'disconnected');
    expect(peer.seen.find((m) => m.msgType === '5')!.get(58)).toBe('MsgSeqNum too low, expecting 4 but received 2');
    expect(side.got.map((m) => m.get(11))).toEqual(['c-2', 'c-3']);
  });

  it('ignores a garbled message without consuming its sequence number: the same number, sent whole, is taken', async () => {
    const { side, peer } = await initiatorWithRawPeer();
    const good = encodeFix('FIX.4.2', [[35, '8'], [49, 'APIFINY'], [56, 'STA-1'], [34, '2'], [52, fixTimestamp(Date.now())], [11, 'c-2']]);
    const garbled = Buffer.from(good);
    garbled[garbled.length - 3] = garbled[garbled.length - 3] === 0x30 ? 0x31 : 0x30; // its checksum
    peer.socket.write(garbled);
    peer.socket.write(good);
    await until('delivered', () => side.got.length === 1);
    expect(side.session.stats.garbled).toBe(1);
    expect(side.session.seqNums.nextIn).toBe(3);
    expect(peer.types()).not.toContain('2'); // no resend asked: nothing was missed
  });

  it('answers a ResendRequest with a gap fill over the range asked for, never replaying an order', async () => {
    const { side, peer } = await initiatorWithRawPeer();
    side.session.sendApp('D', [[11, 'c-1']]);
    side.session.sendApp('D', [[11, 'c-2']]);
    await until('both orders out', () => peer.types().filter((t) => t === 'D').length === 2);
    peer.send('2', 2, [[7, '2'], [16, '0']]); // everything from 2
    await until('a SequenceReset', () => peer.types().includes('4'));
    const reset = peer.seen.find((m) => m.msgType === '4')!;
    expect([reset.get(34), reset.get(123), reset.get(36), reset.get(43)]).toEqual(['2', 'Y', '4', 'Y']);
    peer.send('2', 3, [[7, '2'], [16, '2']]); // just 2: the fill ends there
    await until('a second SequenceReset', () => peer.types().filter((t) => t === '4').length === 2);
    expect(peer.seen.filter((m) => m.msgType === '4')[1]!.get(36)).toBe('3');
    expect(peer.types().filter((t) => t === 'D')).toHaveLength(2);
  });

  it('answers a TestRequest with its id; sends a TestRequest to a silent peer, then disconnects', async () => {
    const { side, peer } = await initiatorWithRawPeer({ heartBtInt: 1 });
    peer.send('1', 2, [[112, 'PING-7']]);
    await until('a Heartbeat with the id', () => peer.seen.some((m) => m.msgType === '0' && m.get(112) === 'PING-7'));
    // now silent: after 1.2 s a TestRequest, after 1.2 s more a disconnect
    const t0 = Date.now();
    await until('a TestRequest', () => peer.types().includes('1'), 3_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_000);
    await until('disconnected', () => side.session.state === 'disconnected', 3_000);
    expect(side.states.at(-1)).toMatch(/no answer to a TestRequest/);
  });

  it('keeps its sequence numbers in the store across connections when it does not reset on logon', async () => {
    const store: SeqStore = memorySeqStore();
    const first = await initiatorWithRawPeer({ resetOnLogon: false, store });
    first.side.session.sendApp('D', [[11, 'c-1']]);
    first.peer.send('8', 2, [[11, 'c-1']]);
    await until('delivered', () => first.side.got.length === 1);
    first.socket.destroy();
    await until('disconnected', () => first.side.session.state === 'disconnected');
    expect(store.load()).toEqual({ nextOut: 3, nextIn: 3 });
    // a new session object (a restart) on the same store logs on with the next numbers
    let peer: RawPeer | undefined;
    const port = await listen((s) => void (peer = new RawPeer(s)));
    const socket = await dial(port);
    const again = attach(socket, { role: 'initiator', senderCompId: 'STA-1', targetCompId: 'APIFINY', resetOnLogon: false, store });
    again.session.connected();
    await until('the Logon', () => peer?.types().includes('A') === true);
    const logon = peer!.seen.find((m) => m.msgType === 'A')!;
    expect(logon.get(34)).toBe('3');
    expect(logon.has(141)).toBe(false);
  });
});
