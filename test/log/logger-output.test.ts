/**
 * What the logger writes: readable lines on a terminal, JSON lines on a pipe, secrets hidden in both, a backtest's engine
 * time on every line, and never a key twice in one line.
 */
import { describe, expect, it } from 'vitest';
import { createLogger, type Logger } from '../../engine/log/logger.js';
import { duplicates, fakeStream, plain, topLevelKeys, type FakeStream } from './fake-terminal.js';

const SECRETS = { apiKey: 'AK-live-123', headers: { authorization: 'Bearer tok-456' }, venue: { auth: { password: 'pw-789' } }, token: 'tk-000' };

function logOnce(stream: FakeStream, write: (log: Logger) => void, opts: Parameters<typeof createLogger>[0] = {}): string {
  write(createLogger({ destination: stream, ...opts }));
  return stream.text();
}

describe('the logger on a terminal and on a pipe', () => {
  it('writes JSON lines to a stream that is not a terminal', () => {
    const out = logOnce(fakeStream(false), (log) => log.info({ orders: 3 }, 'session started'));
    expect(JSON.parse(out)).toMatchObject({ level: 30, name: 'engine', orders: 3, msg: 'session started' });
  });

  it('writes a readable line, not JSON, to a terminal', () => {
    const out = plain(logOnce(fakeStream(true), (log) => log.warn({ orders: 3 }, 'venue slow')));
    expect(out).toMatch(/^\[\d\d:\d\d:\d\d\.\d\d\d\] WARN: venue slow \{"orders":3\}\n$/);
  });

  it('colours the readable line on a terminal only', () => {
    expect(logOnce(fakeStream(true), (log) => log.info('hello'))).toMatch(/\x1b\[\d+m/);
    expect(logOnce(fakeStream(false), (log) => log.info('hello'), { pretty: true })).not.toMatch(/\x1b\[/);
  });

  it('writes readable lines to a pipe when asked to (pretty: true), and JSON to a terminal when told not to', () => {
    expect(logOnce(fakeStream(false), (log) => log.info('hello'), { pretty: true })).toMatch(/INFO: hello\n$/);
    expect(JSON.parse(logOnce(fakeStream(true), (log) => log.info('hello'), { pretty: false }))).toMatchObject({ msg: 'hello' });
  });

  it.each([['JSON lines', false], ['readable lines', true]])('hides secrets in %s, in the call and in the bindings', (_what, tty) => {
    const out = logOnce(fakeStream(tty), (log) => log.child({ secret: 'bound-s3cr3t' }).error(SECRETS, 'login refused'));
    for (const s of ['AK-live-123', 'tok-456', 'pw-789', 'tk-000', 'bound-s3cr3t']) expect(out).not.toContain(s);
    expect(out.match(/\[redacted\]/g)?.length).toBe(5);
    expect(out).toContain('login refused');
  });
});

describe('the engine time of a backtest', () => {
  it('is on every line as engineTime, the clock\'s time in ISO', () => {
    let now = Date.UTC(2014, 4, 5, 10, 0, 3, 74);
    const stream = fakeStream(false);
    const log = createLogger({ destination: stream, engineTime: () => now });
    log.info('first');
    now += 1_500;
    log.child({ strategy: 's1' }).warn('second');
    const lines = stream.text().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.engineTime)).toEqual(['2014-05-05T10:00:03.074Z', '2014-05-05T10:00:04.574Z']);
    expect(lines[0]!.time).not.toBe(Date.UTC(2014, 4, 5, 10, 0, 3, 74)); // the wall clock stays in "time"
  });

  it('starts a readable line\'s message', () => {
    const out = plain(logOnce(fakeStream(true), (log) => log.info({ qty: 1 }, 'quote filled'), { engineTime: () => Date.UTC(2014, 4, 5) }));
    expect(out).toMatch(/ INFO: \[2014-05-05T00:00:00\.000Z\] quote filled \{"qty":1\}\n$/);
  });

  it('is left out before the clock exists, and when no clock is given', () => {
    expect(JSON.parse(logOnce(fakeStream(false), (log) => log.info('x'), { engineTime: () => undefined }))).not.toHaveProperty('engineTime');
    expect(JSON.parse(logOnce(fakeStream(false), (log) => log.info('x')))).not.toHaveProperty('engineTime');
  });
});

describe('one key once in a line', () => {
  const line = (write: (log: Logger) => void): string => logOnce(fakeStream(false), write, { engineTime: () => 0 }).trim();

  it('drops a key of the call that repeats a binding with the same value', () => {
    const out = line((log) => log.child({ strategy: 'quoter' }).error({ strategy: 'quoter', during: 'onTick' }, 'failed'));
    expect(duplicates(topLevelKeys(out))).toEqual([]);
    expect(JSON.parse(out)).toMatchObject({ strategy: 'quoter', during: 'onTick' });
  });

  it('writes a key of the call that contradicts a binding as call.<key>', () => {
    const out = line((log) => log.child({ adapter: 'ticktrader', venue: 'TTX' }).error({ venue: 'ticktrader' }, 'malformed frame'));
    expect(duplicates(topLevelKeys(out))).toEqual([]);
    expect(JSON.parse(out)).toMatchObject({ venue: 'TTX', 'call.venue': 'ticktrader' });
  });

  it('keeps pino\'s own level, time and msg, and the call\'s engineTime over the mixin\'s', () => {
    const out = line((log) => log.info({ level: 'x', time: 1, msg: 'inner', engineTime: 'mine' }, 'outer'));
    expect(duplicates(topLevelKeys(out))).toEqual([]);
    expect(JSON.parse(out)).toMatchObject({ level: 30, msg: 'outer', 'call.level': 'x', 'call.time': 1, 'call.msg': 'inner', engineTime: 'mine' });
  });

  it('leaves an object\'s msg as the message when no message is given', () => {
    expect(JSON.parse(line((log) => log.info({ msg: 'only' })))).toMatchObject({ msg: 'only' });
  });
});
