/**
 * The FIX 4.2 codec and framer (engine/fix/codec.ts): BodyLength and CheckSum as the standard defines them, a stream
 * cut anywhere, garbled messages reported and skipped without disturbing the ones around them, and data fields that
 * hold SOH read by their length field.
 */
import { describe, expect, it } from 'vitest';
import { checksum, encodeFix, FixFramer, FixMessage, fixTimestamp, isGarbled, MAX_MESSAGE_BYTES, parseFields, parseFixTimestamp, type Garbled } from '../../engine/fix/codec.js';

const soh = (s: string): Buffer => Buffer.from(s.replaceAll('|', '\u0001'), 'latin1');

const logon = () => encodeFix('FIX.4.2', [
  [35, 'A'], [49, 'STA-00000001'], [56, 'APIFINY'], [34, '1'], [52, '20261207-10:00:00.000'], [98, '0'], [108, '30'], [141, 'Y'],
  [95, '11'], [96, 'abc\u0001def.ghi'],
]);

describe('encoding', () => {
  it('writes BeginString, BodyLength over the bytes between it and the CheckSum, and the CheckSum of all before it', () => {
    // a Heartbeat worked out by hand: body "35=0|49=A|56=B|34=2|52=20261207-10:00:00|" is 41 bytes
    const msg = encodeFix('FIX.4.2', [[35, '0'], [49, 'A'], [56, 'B'], [34, '2'], [52, '20261207-10:00:00']]);
    const text = msg.toString('latin1').replaceAll('\u0001', '|');
    expect(text.startsWith('8=FIX.4.2|9=41|35=0|49=A|56=B|34=2|52=20261207-10:00:00|10=')).toBe(true);
    const sum = [...msg.subarray(0, msg.length - 7)].reduce((a, b) => a + b, 0) % 256;
    expect(text.slice(-7)).toBe(`10=${String(sum).padStart(3, '0')}|`);
    expect(checksum(soh('8=FIX.4.2|'))).toBe(String([...soh('8=FIX.4.2|')].reduce((a, b) => a + b, 0) % 256).padStart(3, '0'));
  });

  it('refuses a message that does not start with MsgType, a bad tag, and a SOH in a field that is not a data field', () => {
    expect(() => encodeFix('FIX.4.2', [[49, 'A']])).toThrow(/starts with MsgType/);
    expect(() => encodeFix('FIX.4.2', [[35, '0'], [0, 'x']])).toThrow(/bad FIX tag 0/);
    expect(() => encodeFix('FIX.4.2', [[35, '0'], [58, 'a\u0001b']])).toThrow(/field 58 holds a SOH/);
  });
});

describe('framing a stream', () => {
  it('gives back each message whole, however the stream is cut, data fields with SOH included', () => {
    const stream = Buffer.concat([logon(), encodeFix('FIX.4.2', [[35, '1'], [34, '2'], [112, 'TEST-1']]), logon()]);
    for (const piece of [1, 2, 7, 64, stream.length]) {
      const framer = new FixFramer();
      const got: Array<FixMessage | Garbled> = [];
      for (let i = 0; i < stream.length; i += piece) got.push(...framer.push(stream.subarray(i, i + piece)));
      expect(got.map((m) => (isGarbled(m) ? `garbled: ${m.reason}` : m.msgType)), `pieces of ${piece}`).toEqual(['A', '1', 'A']);
      const first = got[0] as FixMessage;
      expect(first.get(96)).toBe('abc\u0001def.ghi');
      expect(first.get(108)).toBe('30');
      expect(first.seqNum).toBe(1);
      expect((got[1] as FixMessage).get(112)).toBe('TEST-1');
      expect(framer.pending).toBe(0);
    }
  });

  it('reports a message with a wrong CheckSum or BodyLength as garbled, skips it, and reads the next one', () => {
    const good = encodeFix('FIX.4.2', [[35, '0'], [34, '5']]);
    const badSum = Buffer.from(good);
    badSum[badSum.length - 2] = badSum[badSum.length - 2] === 0x30 ? 0x31 : 0x30; // last digit of the checksum
    const badLength = soh(good.toString('latin1').replaceAll('\u0001', '|').replace('|9=', '|9=1'));
    const framer = new FixFramer();
    const out = framer.push(Buffer.concat([badSum, good, badLength, good]));
    expect(out.map((m) => (isGarbled(m) ? 'garbled' : m.seqNum))).toEqual(['garbled', 5, 'garbled', 5]);
    expect((out[0] as Garbled).reason).toMatch(/^CheckSum \d{3} is not \d{3}$/);
    expect((out[2] as Garbled).reason).toMatch(/BodyLength \d+ reaches over the next message/);
    // one a little too short ends before the CheckSum field: dropped up to the next header
    const short = soh(good.toString('latin1').replaceAll('\u0001', '|').replace(/\|9=(\d+)\|/, (_m, n: string) => `|9=${Number(n) - 2}|`));
    const again = new FixFramer().push(Buffer.concat([short, good]));
    expect(again.map((m) => (isGarbled(m) ? (m as Garbled).reason : m.seqNum))).toEqual([expect.stringMatching(/does not end at the CheckSum \(10\) field/), 5]);
  });

  it('resynchronises on the next header after garbage, and refuses a BodyLength past the size limit', () => {
    const good = encodeFix('FIX.4.2', [[35, '0'], [34, '7']]);
    const framer = new FixFramer();
    const out = framer.push(Buffer.concat([Buffer.from('garbage\u0001more'), good]));
    expect(out.map((m) => (isGarbled(m) ? (m as Garbled).reason : m.seqNum))).toEqual(['bytes before a FIX header', 7]);
    const huge = soh(`8=FIX.4.2|9=${MAX_MESSAGE_BYTES}|35=0|`);
    const after = new FixFramer().push(Buffer.concat([huge, good]));
    expect(after.map((m) => (isGarbled(m) ? 'garbled' : m.seqNum)).at(-1)).toBe(7);
    expect((after[0] as Garbled).reason).toMatch(/larger than/);
  });

  it('holds an incomplete message until the rest comes, and holds nothing else', () => {
    const good = encodeFix('FIX.4.2', [[35, '0'], [34, '9']]);
    const framer = new FixFramer();
    expect(framer.push(good.subarray(0, good.length - 3))).toEqual([]);
    expect(framer.pending).toBe(good.length - 3);
    expect(framer.push(good.subarray(good.length - 3)).map((m) => (m as FixMessage).seqNum)).toEqual([9]);
  });

  it('reads fields as they are sent, and says why it cannot', () => {
    expect(parseFields(soh('35=0|34=2|'))).toEqual([[35, '0'], [34, '2']]);
    expect(parseFields(soh('35=0|x=2|'))).toBe('tag "x" at byte 5 is not a number');
    expect(parseFields(soh('35=0|34'))).toBe('a field without "=" at byte 5');
    expect(parseFields(soh('95=5|96=ab|'))).toBe('data field 96 is not 5 bytes long');
    expect(new FixMessage([[34, '0']]).seqNum).toBeNaN();
  });
});

describe('timestamps', () => {
  it('writes and reads UTCTimestamp with milliseconds', () => {
    const t = Date.UTC(2026, 11, 7, 9, 5, 3, 42);
    expect(fixTimestamp(t)).toBe('20261207-09:05:03.042');
    expect(parseFixTimestamp('20261207-09:05:03.042')).toBe(t);
    expect(parseFixTimestamp('20261207-09:05:03')).toBe(t - 42);
    expect(parseFixTimestamp('2026-12-07')).toBeNaN();
  });
});
