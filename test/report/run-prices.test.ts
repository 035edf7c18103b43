/**
 * The prices of a run read back from its data files: an instrument recorded as quotes and trades (the IBM sample) is
 * priced by its quotes' mids, its buy and hold is last / first − 1 of them; a file that is not there is a reason, not
 * a throw.
 */
import { describe, expect, it } from 'vitest';
import { openTicks } from '../../engine/data/source.js';
import { loadRunPrices } from '../../engine/report/run-prices.js';

const FILES = [{ file: 'data/sample/ibm-20131007-trades.tkr' }, { file: 'data/sample/ibm-20131007.tkr' }];
const SPAN = { from: Date.UTC(2013, 9, 7, 14), to: Date.UTC(2013, 9, 7, 15) };

describe('loadRunPrices', () => {
  it('prices an instrument with quotes and trades by the quotes\' mids, first to last over the span', () => {
    const r = loadRunPrices({ backtest: { data: FILES } }, ['IBM.US'], SPAN, 1000);
    if (!r.ok) throw new Error(r.problem);
    const quotes = [...openTicks(FILES, { from: SPAN.from, to: SPAN.to + 1 })].flatMap((t) => (t.kind === 'quote' && t.instrumentId === 'IBM.US' ? [t] : []));
    expect(quotes.length).toBeGreaterThan(1000);
    const mid = (q: (typeof quotes)[number]): number => Number(((q.bid + q.ask) / 2).toPrecision(15));
    const [first, last] = [quotes[0]!, quotes.at(-1)!];
    expect(r.series).toHaveLength(1);
    const s = r.series[0]!;
    expect(s).toMatchObject({ instrumentId: 'IBM.US', kind: 'mid', count: quotes.length });
    expect(s.first).toEqual({ ts: first.tsInit, price: String(mid(first)) });
    expect(s.last).toEqual({ ts: last.tsInit, price: String(mid(last)) });
    expect(s.buyHoldReturn).toBeCloseTo(mid(last) / mid(first) - 1, 12);
    expect(s.points.length).toBeLessThanOrEqual(1000);
    expect(s.points[0]).toEqual({ ts: first.tsInit, price: mid(first) });
  });

  it('says why when the data cannot be read or is not named', () => {
    expect(loadRunPrices({ backtest: { data: [{ file: 'data/sample/gone.tkr' }] } }, ['IBM.US'], SPAN, 1000))
      .toEqual({ ok: false, problem: "the run's data cannot be read: data/sample/gone.tkr: no such file" });
    expect(loadRunPrices({ mode: 'paper' }, ['IBM.US'], SPAN, 1000)).toEqual({ ok: false, problem: "the run's config names no data files (backtest.data)" });
    expect(loadRunPrices({ backtest: { data: FILES } }, ['EURUSD.FXCM'], SPAN, 1000)).toMatchObject({ ok: false, problem: expect.stringMatching(/^no prices of EURUSD\.FXCM in /) as unknown as string });
  });
});
