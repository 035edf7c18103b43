/**
 * A FIX 4.2 session (issue 16): logon and logout, sequence numbers, heartbeats and test requests, resend requests
 * answered by gap fills, sequence resets, duplicate and garbled messages — the session layer both our initiator (the
 * Apifiny adapter's FIX path) and the simulator's acceptor run over a byte transport they give it.
 *
 * The rules, as FIX 4.2 states them and QuickFIX applies them:
 *  - every message is checked for its sequence number before anything else; MsgSeqNum too high: a ResendRequest for
 *    the gap (the messages after it are held and handled once it is filled); too low without PossDupFlag: Logout and
 *    disconnect; too low with PossDupFlag=Y: a duplicate, ignored; a garbled message (BodyLength or CheckSum wrong) is
 *    ignored and consumes no sequence number;
 *  - a ResendRequest asks for just the gap (EndSeqNo the last missing number); one received is answered with a
 *    SequenceReset-GapFill over the range asked for (to the end for EndSeqNo 0): order entry is never replayed
 *    blindly (the adapter settles what it sent with OrderStatusRequest, as the live-recovery rules want);
 *  - nothing sent for HeartBtInt: a Heartbeat; nothing received for HeartBtInt + 20 %: a TestRequest, and still
 *    nothing for as long again: disconnect;
 *  - a Logon with ResetSeqNumFlag=Y (or a session configured to reset on logon) starts both directions at 1.
 * Sequence numbers live in a SeqStore, so a session that keeps them across connections (no reset) keeps them across
 * restarts too.
 */
import type { Clock, TimerHandle } from '../clock/clock.js';
import type { Logger } from '../log/logger.js';
import { encodeFix, FixFramer, fixTimestamp, isGarbled, type FixField, type FixMessage } from './codec.js';

/** Where a session keeps its next sequence numbers (memory, or SQLite: fix-seq-store.ts). */
export interface SeqStore {
  load(): { nextOut: number; nextIn: number };
  save(nextOut: number, nextIn: number): void;
}

export const memorySeqStore = (): SeqStore => {
  let s = { nextOut: 1, nextIn: 1 };
  return { load: () => ({ nextOut: s.nextOut, nextIn: s.nextIn }), save: (nextOut, nextIn) => void (s = { nextOut, nextIn }) };
};

export type FixSessionState = 'disconnected' | 'logon-sent' | 'awaiting-logon' | 'active' | 'logout-sent' | 'closed';

export interface FixSessionOptions {
  readonly role: 'initiator' | 'acceptor';
  readonly beginString?: string;
  readonly senderCompId: string;
  readonly targetCompId: string;
  /** Seconds; the initiator proposes it, the acceptor takes the initiator's. */
  readonly heartBtInt: number;
  /** Both directions start at 1 on every logon (Apifiny's ResetOnLogon=Y). */
  readonly resetOnLogon: boolean;
  readonly store: SeqStore;
  readonly clock: Pick<Clock, 'now' | 'setTimer'>;
  readonly log: Logger;
  /** Fields the initiator adds to its Logon (e.g. RawDataLength 95 and RawData 96 with a signature). */
  readonly logonFields?: () => readonly FixField[];
  /** The acceptor's check of a Logon: undefined to accept it, or the reason given in the Logout that refuses it. */
  readonly authorize?: (logon: FixMessage) => string | undefined;
  /** Writes bytes to the transport. */
  readonly send: (bytes: Buffer) => void;
  /** Closes the transport (the session calls `disconnected` itself). */
  readonly close: () => void;
  /** Application messages, in sequence, each once. */
  readonly onMessage: (msg: FixMessage) => void;
  readonly onState?: (state: FixSessionState, why?: string) => void;
  /**
   * The other side skipped messages [from, to) with a SequenceReset (gap fill or reset) instead of resending them: if
   * any was an application message, it is lost to this session (the adapter reconciles).
   */
  readonly onSkipped?: (from: number, to: number) => void;
}

/** Session-level message types: everything else is the application's. */
const ADMIN = new Set(['0', '1', '2', '3', '4', '5', 'A']);
const GRACE = 1.2;

export class FixSession {
  private framer = new FixFramer();
  private stateNow: FixSessionState = 'disconnected';
  private nextOut: number;
  private nextIn: number;
  /** Messages after a gap, held until the gap is filled. */
  private readonly held = new Map<number, FixMessage>();
  /** The end of the gap a ResendRequest was sent for (0: none pending). */
  private resendUpTo = 0;
  private heartBtIntMs: number;
  private lastSentAt = 0;
  private lastReceivedAt = 0;
  private testRequestSentAt = 0;
  private timer: TimerHandle | undefined;
  private testReqSeq = 0;
  /** Counts of what the session ignored, for logs and tests. */
  /** The reason the other side gave when it answered our Logon with a Logout (until the next `connected`). */
  logonRefusal: string | undefined;
  readonly stats = { garbled: 0, duplicates: 0, resendRequestsSent: 0, gapFillsSent: 0, testRequestsSent: 0, rejectsSent: 0, rejectsReceived: 0 };

  constructor(private readonly opts: FixSessionOptions) {
    const s = opts.store.load();
    this.nextOut = s.nextOut;
    this.nextIn = s.nextIn;
    this.heartBtIntMs = opts.heartBtInt * 1000;
  }

  get state(): FixSessionState {
    return this.stateNow;
  }

  /** The next sequence numbers, out and in. */
  get seqNums(): { nextOut: number; nextIn: number } {
    return { nextOut: this.nextOut, nextIn: this.nextIn };
  }

  private setState(state: FixSessionState, why?: string): void {
    if (state === this.stateNow) return;
    this.stateNow = state;
    this.opts.onState?.(state, why);
  }

  /** The transport is up: the initiator logs on; the acceptor waits for a Logon. */
  connected(): void {
    this.logonRefusal = undefined;
    this.framer = new FixFramer();
    this.held.clear();
    this.resendUpTo = 0;
    this.lastReceivedAt = this.lastSentAt = this.opts.clock.now();
    this.testRequestSentAt = 0;
    if (this.opts.role === 'initiator') {
      if (this.opts.resetOnLogon) this.reset();
      const fields: FixField[] = [[98, '0'], [108, String(this.opts.heartBtInt)]];
      if (this.opts.resetOnLogon) fields.push([141, 'Y']);
      fields.push(...(this.opts.logonFields?.() ?? []));
      this.sendMessage('A', fields);
      this.setState('logon-sent');
    } else this.setState('awaiting-logon');
    this.arm();
  }

  /** The transport is gone (closed by either side). */
  disconnected(why = 'the connection closed'): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.stateNow !== 'closed') this.setState('disconnected', why);
  }

  /** Bytes from the transport. */
  received(chunk: Uint8Array): void {
    for (const r of this.framer.push(chunk)) {
      if (this.stateNow === 'disconnected' || this.stateNow === 'closed') return;
      if (isGarbled(r)) {
        this.stats.garbled++;
        this.opts.log.warn({ reason: r.reason, excerpt: r.excerpt }, 'FIX: garbled message ignored (no sequence number consumed)');
        continue;
      }
      this.lastReceivedAt = this.opts.clock.now();
      this.testRequestSentAt = 0;
      this.handle(r);
    }
  }

  /** Sends an application message; returns its MsgSeqNum, or undefined when the session is not logged on. */
  sendApp(msgType: string, body: readonly FixField[]): number | undefined {
    if (this.stateNow !== 'active') return undefined;
    return this.sendMessage(msgType, body);
  }

  /** Logs out (and disconnects once the other side answers, or at once if it is not logged on). */
  logout(text?: string): void {
    if (this.stateNow !== 'active') {
      this.opts.close();
      return;
    }
    this.sendMessage('5', text === undefined ? [] : [[58, text]]);
    this.setState('logout-sent');
  }

  private reset(): void {
    this.nextOut = 1;
    this.nextIn = 1;
    this.held.clear();
    this.resendUpTo = 0;
    this.opts.store.save(this.nextOut, this.nextIn);
  }

  private sendMessage(msgType: string, body: readonly FixField[]): number {
    const seq = this.nextOut++;
    const now = this.opts.clock.now();
    const fields: FixField[] = [[35, msgType], [49, this.opts.senderCompId], [56, this.opts.targetCompId], [34, String(seq)], [52, fixTimestamp(now)], ...body];
    this.opts.send(encodeFix(this.opts.beginString ?? 'FIX.4.2', fields));
    this.opts.store.save(this.nextOut, this.nextIn);
    this.lastSentAt = now;
    return seq;
  }

  private disconnect(why: string, level: 'warn' | 'info' = 'warn'): void {
    this.opts.log[level]({ why }, `FIX: disconnecting: ${why}`);
    this.timer?.cancel();
    this.timer = undefined;
    this.setState('disconnected', why);
    this.opts.close();
  }

  private logoutAndDisconnect(text: string): void {
    this.sendMessage('5', [[58, text]]);
    this.disconnect(text);
  }

  private reject(ref: FixMessage, reason: number, text: string): void {
    this.stats.rejectsSent++;
    const body: FixField[] = [[45, String(ref.seqNum)], [373, String(reason)], [58, text]];
    if (ref.msgType !== '') body.push([372, ref.msgType]);
    this.sendMessage('3', body);
  }

  private handle(msg: FixMessage): void {
    const seq = msg.seqNum;
    const type = msg.msgType;
    // before logon only a Logon is taken
    if (this.stateNow === 'awaiting-logon' || this.stateNow === 'logon-sent') {
      if (type === '5' && this.stateNow === 'logon-sent') {
        this.logonRefusal = msg.get(58) ?? 'no reason given';
        this.disconnect(`Logon refused by the other side: ${this.logonRefusal}`);
        return;
      }
      if (type !== 'A') {
        this.disconnect(`the first message was ${type === '' ? 'without a MsgType' : `MsgType ${type}`}, not a Logon`);
        return;
      }
      this.onLogon(msg);
      return;
    }
    if (msg.get(49) !== this.opts.targetCompId || msg.get(56) !== this.opts.senderCompId) {
      this.reject(msg, 9, `CompID problem: expected SenderCompID ${this.opts.targetCompId} and TargetCompID ${this.opts.senderCompId}`);
      this.logoutAndDisconnect('CompID problem');
      return;
    }
    if (!Number.isFinite(seq)) {
      this.reject(msg, 1, 'MsgSeqNum (34) missing or not a number');
      return;
    }
    // a SequenceReset in reset mode moves the expected number whatever its own is
    if (type === '4' && msg.get(123) !== 'Y') {
      this.onSequenceReset(msg);
      return;
    }
    if (seq > this.nextIn) {
      this.held.set(seq, msg);
      if (this.resendUpTo === 0) {
        this.resendUpTo = seq - 1;
        this.stats.resendRequestsSent++;
        this.opts.log.info({ expected: this.nextIn, received: seq }, 'FIX: MsgSeqNum too high; resend requested');
        this.sendMessage('2', [[7, String(this.nextIn)], [16, String(seq - 1)]]); // just the gap: what came after it is held
      }
      return;
    }
    if (seq < this.nextIn) {
      if (msg.get(43) === 'Y') {
        this.stats.duplicates++;
        return; // a possible duplicate we have seen: ignored
      }
      this.logoutAndDisconnect(`MsgSeqNum too low, expecting ${this.nextIn} but received ${seq}`);
      return;
    }
    this.accept(msg);
    // what was held behind the gap, now in sequence
    for (let next = this.held.get(this.nextIn); next !== undefined; next = this.held.get(this.nextIn)) {
      this.held.delete(this.nextIn);
      this.accept(next);
    }
    if (this.resendUpTo !== 0 && this.nextIn > this.resendUpTo) this.resendUpTo = 0;
  }

  /** A message in sequence: counted, then acted on. */
  private accept(msg: FixMessage): void {
    const type = msg.msgType;
    if (type === '4') {
      // gap fill: the numbers up to NewSeqNo are skipped
      const to = Number(msg.get(36));
      const from = this.nextIn;
      if (Number.isInteger(to) && to > this.nextIn) this.nextIn = to;
      else this.nextIn++;
      this.opts.store.save(this.nextOut, this.nextIn);
      this.opts.onSkipped?.(from, this.nextIn); // a gap fill stands for messages not resent, at least its own number
      return;
    }
    this.nextIn++;
    this.opts.store.save(this.nextOut, this.nextIn);
    switch (type) {
      case '0':
        return;
      case '1':
        this.sendMessage('0', [[112, msg.get(112) ?? '']]);
        return;
      case '2':
        this.onResendRequest(msg);
        return;
      case '3':
        this.stats.rejectsReceived++;
        this.opts.log.warn({ refSeqNum: msg.get(45), reason: msg.get(373), text: msg.get(58) }, 'FIX: our message was rejected at the session level');
        return;
      case '5':
        if (this.stateNow === 'logout-sent') return this.disconnect('logged out', 'info'); // the answer to ours
        this.sendMessage('5', []);
        this.disconnect(`logged out by the other side${msg.get(58) ? `: ${msg.get(58)}` : ''}`);
        return;
      case 'A':
        this.reject(msg, 11, 'Logon while logged on');
        return;
      default:
        if (ADMIN.has(type)) return;
        this.opts.onMessage(msg);
    }
  }

  private onLogon(msg: FixMessage): void {
    if (msg.get(141) === 'Y' || this.opts.resetOnLogon) {
      if (this.opts.role === 'acceptor' || msg.get(141) === 'Y') {
        this.nextIn = 1;
        if (this.opts.role === 'acceptor') this.nextOut = 1;
        this.held.clear();
      }
    }
    if (this.opts.role === 'acceptor') {
      if (msg.get(49) !== this.opts.targetCompId || msg.get(56) !== this.opts.senderCompId) {
        this.sendMessage('5', [[58, `unknown session: SenderCompID ${msg.get(49)} TargetCompID ${msg.get(56)}`]]);
        this.disconnect('a Logon for another session');
        return;
      }
      const refused = this.opts.authorize?.(msg);
      if (refused !== undefined) {
        this.sendMessage('5', [[58, refused]]);
        this.disconnect(`Logon refused: ${refused}`);
        return;
      }
      const hb = Number(msg.get(108));
      if (Number.isInteger(hb) && hb > 0) this.heartBtIntMs = hb * 1000;
    }
    const seq = msg.seqNum;
    if (!Number.isFinite(seq) || seq < this.nextIn) {
      this.logoutAndDisconnect(`Logon MsgSeqNum ${msg.get(34)} too low, expecting ${this.nextIn}`);
      return;
    }
    if (this.opts.role === 'acceptor') {
      const fields: FixField[] = [[98, '0'], [108, String(this.heartBtIntMs / 1000)]];
      if (msg.get(141) === 'Y') fields.push([141, 'Y']);
      this.sendMessage('A', fields);
    }
    this.setState('active');
    if (seq > this.nextIn) {
      // messages were missed before this logon: ask for them, then go on in sequence
      this.held.set(seq, msg);
      this.resendUpTo = seq - 1;
      this.stats.resendRequestsSent++;
      this.sendMessage('2', [[7, String(this.nextIn)], [16, String(seq - 1)]]);
      return;
    }
    this.nextIn = seq + 1;
    this.opts.store.save(this.nextOut, this.nextIn);
  }

  private onResendRequest(msg: FixMessage): void {
    const begin = Number(msg.get(7));
    if (!Number.isInteger(begin) || begin < 1) {
      this.reject(msg, 5, 'BeginSeqNo (7) is not a sequence number');
      return;
    }
    // nothing is replayed: the range asked for is gap-filled (orders are settled by status request, never resent
    // blindly); EndSeqNo 0 (or FIX 4.0's 999999) means everything sent since BeginSeqNo
    const end = Number(msg.get(16));
    const upTo = Number.isInteger(end) && end >= begin && end < this.nextOut && end !== 999_999 ? end + 1 : this.nextOut;
    this.stats.gapFillsSent++;
    const now = this.opts.clock.now();
    const fields: FixField[] = [
      [35, '4'], [49, this.opts.senderCompId], [56, this.opts.targetCompId], [34, String(begin)], [43, 'Y'], [52, fixTimestamp(now)],
      [122, fixTimestamp(now)], [123, 'Y'], [36, String(upTo)],
    ];
    this.opts.send(encodeFix(this.opts.beginString ?? 'FIX.4.2', fields));
    this.lastSentAt = now;
  }

  private onSequenceReset(msg: FixMessage): void {
    const to = Number(msg.get(36));
    if (!Number.isInteger(to) || to < 1) {
      this.reject(msg, 5, 'NewSeqNo (36) is not a sequence number');
      return;
    }
    if (to < this.nextIn) {
      this.reject(msg, 5, `NewSeqNo ${to} is lower than the next expected ${this.nextIn}`);
      return;
    }
    const from = this.nextIn;
    this.nextIn = to;
    this.resendUpTo = 0;
    for (const s of [...this.held.keys()]) if (s < to) this.held.delete(s);
    this.opts.store.save(this.nextOut, this.nextIn);
    if (to > from) this.opts.onSkipped?.(from, to);
  }

  /** The heartbeat / test request timer, checked four times per interval. */
  private arm(): void {
    this.timer?.cancel();
    const every = Math.max(50, Math.floor(this.heartBtIntMs / 4));
    this.timer = this.opts.clock.setTimer(this.opts.clock.now() + every, () => {
      this.timer = undefined;
      if (this.stateNow === 'disconnected' || this.stateNow === 'closed') return;
      this.tick();
      if ((this.stateNow as FixSessionState) !== 'disconnected') this.arm();
    });
  }

  private tick(): void {
    const now = this.opts.clock.now();
    const limit = this.heartBtIntMs * GRACE;
    if (this.testRequestSentAt !== 0 && now - this.testRequestSentAt >= limit) {
      this.disconnect(`no answer to a TestRequest in ${Math.round(limit)} ms`);
      return;
    }
    if (this.stateNow === 'active' && this.testRequestSentAt === 0 && now - this.lastReceivedAt >= limit) {
      this.stats.testRequestsSent++;
      this.testRequestSentAt = now;
      this.sendMessage('1', [[112, `TEST-${++this.testReqSeq}`]]);
      return;
    }
    if ((this.stateNow === 'logon-sent' || this.stateNow === 'awaiting-logon' || this.stateNow === 'logout-sent') && now - this.lastReceivedAt >= limit) {
      this.disconnect(`no answer in ${Math.round(limit)} ms (${this.stateNow})`);
      return;
    }
    if (this.stateNow === 'active' && now - this.lastSentAt >= this.heartBtIntMs) this.sendMessage('0', []);
  }
}
