/**
 * The backtest's progress line and the log lines share standard error: a log line is printed above the progress line,
 * which is erased first and drawn again below it, so neither is ever written into the other.
 */
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../engine/cli/progress.js';
import { createLogger } from '../../engine/log/logger.js';
import { ERASE_LINE } from '../../engine/log/terminal.js';
import { fakeStream, plain } from './fake-terminal.js';

/** Progress at `ticks` of a replay whose end is not known (CSV data), so the line shows ticks and rate only. */
const at = (ticks: number) => ({ ticks, fraction: null, engineTime: Number.NaN, etaMs: null });

/** A progress display and a logger on one fake terminal; the progress clock reads 1 s per update. */
function backtestTerminal(opts: { pretty?: boolean } = {}) {
  const stderr = fakeStream(true);
  let t = 0;
  const progress = createProgress(stderr, () => (t += 1_000));
  const log = createLogger({ destination: stderr, ...opts });
  return { stderr, progress, log };
}

describe('a log line while the progress line is showing', () => {
  it('appears on its own line, with the progress line redrawn below it', () => {
    const { stderr, progress, log } = backtestTerminal();
    progress.update(at(50_000));
    log.warn('order rejected');
    expect(stderr.screen()).toEqual([
      expect.stringMatching(/^\[[\d:.]+\] WARN: order rejected$/),
      '  replaying: 50,000 ticks, 50,000 ticks/s',
    ]);
  });

  it('is written in one write that erases the progress line first and draws it again last', () => {
    const { stderr, progress, log } = backtestTerminal();
    progress.update(at(50_000));
    stderr.writes.length = 0;
    log.warn('order rejected');
    expect(stderr.writes).toHaveLength(1);
    const [write] = stderr.writes as [string];
    expect(write.startsWith(ERASE_LINE)).toBe(true);
    expect(plain(write)).toMatch(/WARN: order rejected\n {2}replaying: 50,000 ticks, 50,000 ticks\/s$/);
  });

  it('keeps the lines in order as the progress line moves on', () => {
    const { stderr, progress, log } = backtestTerminal();
    progress.update(at(50_000));
    log.info('first');
    progress.update(at(100_000));
    log.info('second');
    progress.update(at(150_000));
    expect(stderr.screen().map((l) => l.replace(/^\[[\d:.]+\] /, ''))).toEqual([
      'INFO: first',
      'INFO: second',
      '  replaying: 150,000 ticks, 50,000 ticks/s',
    ]);
  });

  it('also leaves a JSON line whole when the terminal is told to get JSON', () => {
    const { stderr, progress, log } = backtestTerminal({ pretty: false });
    progress.update(at(50_000));
    log.info('json');
    expect(stderr.screen()).toEqual([expect.stringMatching(/^\{"level":30,.*"msg":"json"\}$/), '  replaying: 50,000 ticks, 50,000 ticks/s']);
  });
});

describe('the progress line', () => {
  it('is erased at the end, and later log lines are not followed by it', () => {
    const { stderr, progress, log } = backtestTerminal();
    progress.update(at(50_000));
    progress.done();
    log.info('strategy stopped');
    expect(stderr.screen()).toEqual([expect.stringMatching(/INFO: strategy stopped$/)]);
    expect(stderr.writes.at(-1)).not.toContain('replaying');
  });

  it('writes nothing when nothing was shown, or on a stream that is not a terminal', () => {
    const tty = fakeStream(true);
    createProgress(tty).done();
    const pipe = fakeStream(false);
    const p = createProgress(pipe);
    p.update(at(50_000));
    p.done();
    expect([...tty.writes, ...pipe.writes]).toEqual([]);
  });

  it('leaves log lines without a progress line as they are', () => {
    const stderr = fakeStream(true);
    createLogger({ destination: stderr }).info('plain');
    expect(stderr.writes).toHaveLength(1);
    expect(stderr.writes[0]).not.toContain('\r');
  });
});
