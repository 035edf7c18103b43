/**
 * The FIX initiator that stays logged on (engine/net/fix-initiator.ts), against the Apifiny simulator's acceptor and
 * against servers that misbehave: a refused Logon rejects connect() with the venue's reason and is never retried; a
 * lost connection is reconnected with a new Logon (onLogon counts it); a server that accepts TCP but never answers the
 * Logon is dropped after the connect timeout and tried again; close() logs out.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import jwt from 'jsonwebtoken';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLiveClock } from '../../engine/clock/live-clock.js';
import { silentLogger } from '../../engine/log/logger.js';
import { encodeFix, fixTimestamp, type FixField } from '../../engine/fix/codec.js';
import { memorySeqStore } from '../../engine/fix/session.js';
import { createBackoff } from '../../engine/net/backoff.js';
import { ConnectionRejectedError } from '../../engine/net/errors.js';
import { createFixInitiator, type FixInitiator } from '../../engine/net/fix-initiator.js';
import type { ConnectionState } from '../../engine/execution/venue-adapter.js';
import type { ApifinySimulator } from '../venues/apifiny/sim-server.js';
import { ALICE, sha256Hex, startTestSimulator, type Creds } from '../venues/apifiny/test-client.js';
import { sleep, startTlsFront, waitFor } from './helpers.js';

let sim: ApifinySimulator;
const made: FixInitiator[] = [];
beforeAll(async () => {
  sim = await startTestSimulator({ fixPort: 0 });
});
afterEach(async () => {
  for (const i of made.splice(0)) await i.close();
});
afterAll(async () => {
  await sim.close();
});

const token = (creds: Creds, secret = creds.secret): string =>
  jwt.sign({ accountId: creds.accountId, secretKeyId: creds.secretKeyId, digest: sha256Hex(creds.accountId), method: 'Fix', exp: Math.floor(Date.now() / 1000) + 30 }, secret, { algorithm: 'HS256', noTimestamp: true });

function initiator(port: number, opts: { secret?: string; onLogon?: (n: number) => void; connectTimeoutMs?: number; tls?: boolean; ca?: string } = {}): FixInitiator {
  const i = createFixInitiator({
    name: 'test-fix', host: '127.0.0.1', port, tls: opts.tls ?? false, ...(opts.ca !== undefined ? { ca: opts.ca } : {}), clock: createLiveClock(), log: silentLogger(),
    backoff: createBackoff({ initialMs: 50, maxMs: 200, random: () => 0.5 }),
    connectTimeoutMs: opts.connectTimeoutMs ?? 2_000,
    session: {
      senderCompId: ALICE.accountId, targetCompId: 'APIFINY', heartBtInt: 30, resetOnLogon: true, store: memorySeqStore(),
      logonFields: () => {
        const t = token(ALICE, opts.secret);
        return [[95, String(t.length)], [96, t]];
      },
      onMessage: () => undefined,
    },
    ...(opts.onLogon ? { onLogon: opts.onLogon } : {}),
  });
  made.push(i);
  return i;
}

/** Closes a TCP server and drops the connections it holds. */
const closeTcp = (server: Server, sockets: Socket[]): Promise<void> => {
  for (const s of sockets) s.destroy();
  return new Promise((r) => server.close(() => r()));
};

/** A TCP server that counts connections and does nothing else with them. */
async function silentServer(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let n = 0;
  const sockets: Socket[] = [];
  const server = createServer((s) => {
    n++;
    sockets.push(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { port, connections: () => n, close: () => closeTcp(server, sockets) };
}

describe('FIX initiator', () => {
  it('logs on, reconnects after a lost connection with a new Logon, and logs out on close', async () => {
    const logons: number[] = [];
    const states: ConnectionState[] = [];
    const i = initiator(sim.fixPort!, { onLogon: (n) => logons.push(n) });
    i.state$.subscribe((s) => states.push(s));
    await i.connect();
    expect(i.state).toBe('connected');
    expect(logons).toEqual([1]);
    sim.faults.dropConnections();
    await waitFor(() => logons.length === 2 && i.state === 'connected', 4_000, 'a second logon');
    expect(states).toEqual(['closed', 'connecting', 'connected', 'reconnecting', 'connected']);
    await i.close();
    expect(i.state).toBe('closed');
    expect(i.sendApp('H', [[11, 'x']])).toBeUndefined();
  });

  it('ending a connection on a protocol error, it sends the Logout that says why before it closes, then logs on again', async () => {
    // a peer that answers the Logon, then sends a Heartbeat with a sequence number already used (too low, no PossDupFlag)
    // (the first Heartbeat: seq 1, the Logon's)
    const got: Buffer[] = [];
    let ended = 0;
    let resets = 0;
    let logonsSeen = 0;
    const sockets: Socket[] = [];
    const server = createServer((s) => {
      sockets.push(s);
      s.on('error', () => void resets++); // a reset (or a write into one)
      s.on('end', () => {
        ended++;
        s.end();
      });
      s.on('data', (d: Buffer) => {
        got.push(d);
        if (!d.includes('\x0135=A\x01')) return;
        logonsSeen++;
        const head = (seq: number, type: string): FixField[] =>
          [[35, type], [49, 'APIFINY'], [56, ALICE.accountId], [34, String(seq)], [52, fixTimestamp(Date.now())]];
        s.write(encodeFix('FIX.4.2', [...head(1, 'A'), [98, '0'], [108, '30'], [141, 'Y']]));
        if (logonsSeen !== 1) return;
        // then goes on talking (a Heartbeat every few ms) until the connection ends: what arrives after our side
        // closed would be answered with a reset, unless our side only half-closed
        let seq = 1;
        const talk = setInterval(() => {
          if (s.destroyed || !s.writable) return void clearInterval(talk);
          s.write(encodeFix('FIX.4.2', head(seq === 1 ? seq++ : ++seq, '0')));
        }, 3);
        s.once('close', () => clearInterval(talk));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const logons: number[] = [];
    const i = initiator((server.address() as { port: number }).port, { onLogon: (n) => logons.push(n) });
    try {
      await i.connect();
      await waitFor(() => logons.length === 2, 4_000, 'the logon after the protocol error');
      const text = Buffer.concat(got).toString('latin1');
      const logout = text.split('\x018=').find((m) => m.includes('\x0135=5\x01'));
      expect(logout, 'a Logout reached the peer').toBeDefined();
      expect(logout).toContain('\x0158=MsgSeqNum too low, expecting 2 but received 1\x01');
      expect(ended).toBeGreaterThanOrEqual(1); // closed with a FIN after the Logout,
      expect(resets).toBe(0); // not reset
    } finally {
      await closeTcp(server, sockets);
    }
  });

  it('a Logon the venue refuses rejects connect() with its reason, and is not tried again', async () => {
    let connections = 0;
    const held: Socket[] = [];
    const counting = await new Promise<Server>((resolve) => {
      // a proxy in front of the acceptor that counts connection attempts
      const s = createServer((client) => {
        connections++;
        const upstream = connect(sim.fixPort!, '127.0.0.1');
        held.push(client, upstream);
        client.pipe(upstream).pipe(client);
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
      });
      s.listen(0, '127.0.0.1', () => resolve(s));
    });
    const port = (counting.address() as { port: number }).port;
    const i = initiator(port, { secret: 'not-the-secret' });
    const err = await i.connect().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionRejectedError);
    expect((err as Error).message).toMatch(/refused the Logon: \d+: .*signature/i);
    expect((err as Error).message).not.toContain('not-the-secret');
    await sleep(500);
    expect(connections).toBe(1);
    expect(i.state).toBe('closed');
    await closeTcp(counting, held);
  });

  it('a venue not listening at start rejects connect() with one readable line, and is not tried again', async () => {
    const silent = await silentServer();
    const port = silent.port;
    await silent.close(); // nothing listens there now
    const i = initiator(port);
    const err = await i.connect().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionRejectedError);
    expect((err as Error).message).toMatch(/could not reach tcp:\/\/127\.0\.0\.1:\d+ \(.*ECONNREFUSED.*\): check that it is running/);
    expect(i.state).toBe('closed');
  });

  it('drops a connection whose Logon is never answered and tries again', async () => {
    const silent = await silentServer();
    const i = initiator(silent.port, { connectTimeoutMs: 150 });
    const pending = i.connect().then(() => 'connected', (e: unknown) => String(e));
    await waitFor(() => silent.connections() >= 3, 3_000, 'three attempts');
    expect(i.state).toBe('connecting');
    await i.close();
    expect(await pending).toMatch(/closed before logon/);
    await silent.close();
  });

  it('logs on over TLS to a venue whose certificate it is given; one it does not trust rejects connect() with one line', async () => {
    const front = await startTlsFront(sim.fixPort!);
    try {
      const trusted = initiator(front.port, { tls: true, ca: front.cert });
      await trusted.connect();
      expect(trusted.state).toBe('connected');
      await trusted.close();

      const untrusted = initiator(front.port, { tls: true });
      const err = await untrusted.connect().then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectionRejectedError);
      expect((err as Error).message).toMatch(/the certificate of tls:\/\/127\.0\.0\.1:\d+ is not trusted \(self-signed certificate\): check the url, or give the venue's CA/);
    } finally {
      await front.close();
    }
  });
});
