import { describe, expect, it } from 'vitest';
import { divideExact, meanExact, numberOf, shiftDecimal } from '../../../engine/data/import/exact.js';
import { atLocal, isoToMs, localDay, usDstDays } from '../../../engine/data/import/time.js';

const utc = (t: number): string => new Date(t).toISOString();
const H = 3_600_000;

describe('New York time without a tz library', () => {
  it('finds US daylight saving time from the 2nd Sunday of March to the 1st Sunday of November', () => {
    expect(usDstDays(2013).map(utc)).toEqual(['2013-03-10T00:00:00.000Z', '2013-11-03T00:00:00.000Z']);
    expect(usDstDays(2024).map(utc)).toEqual(['2024-03-10T00:00:00.000Z', '2024-11-03T00:00:00.000Z']);
    expect(usDstDays(2006).map(utc)).toEqual(['2006-04-02T00:00:00.000Z', '2006-10-29T00:00:00.000Z']);
  });

  it('is UTC−4 in summer and UTC−5 in winter', () => {
    expect(utc(atLocal(localDay(2013, 10, 7, 'America/New_York'), 9.5 * H))).toBe('2013-10-07T13:30:00.000Z');
    expect(utc(atLocal(localDay(2014, 1, 15, 'America/New_York'), 9.5 * H))).toBe('2014-01-15T14:30:00.000Z');
  });

  it('switches at 2 am on the days the clocks change', () => {
    const spring = localDay(2013, 3, 10, 'America/New_York');
    expect(utc(atLocal(spring, 1.5 * H))).toBe('2013-03-10T06:30:00.000Z');
    expect(utc(atLocal(spring, 3 * H))).toBe('2013-03-10T07:00:00.000Z');
    // 02:30 does not exist that day: it moves forward to 03:30 EDT.
    expect(utc(atLocal(spring, 2.5 * H))).toBe('2013-03-10T07:30:00.000Z');
    const fall = localDay(2013, 11, 3, 'America/New_York');
    expect(utc(atLocal(fall, 0.5 * H))).toBe('2013-11-03T04:30:00.000Z');
    expect(utc(atLocal(fall, 1.5 * H))).toBe('2013-11-03T05:30:00.000Z');
    expect(utc(atLocal(fall, 9.5 * H))).toBe('2013-11-03T14:30:00.000Z');
  });

  it('reads zone-less ISO times as wall-clock time in the zone', () => {
    expect(utc(isoToMs('2013-07-01T09:30:00', 'America/New_York'))).toBe('2013-07-01T13:30:00.000Z');
    expect(isoToMs('2013-02-30T00:00:00Z', 'UTC')).toBeNaN();
    expect(isoToMs('yesterday', 'UTC')).toBeNaN();
  });
});

describe('exact decimals', () => {
  it('divides by a price scale without float residue', () => {
    expect(String(divideExact('1812400', 10_000))).toBe('181.24');
    expect(String(divideExact('1812412.5', 10_000))).toBe('181.24125');
    expect(String(divideExact('3', 4))).toBe('0.75');
    expect(String(divideExact('1800100', 10_000))).toBe('180.01');
    expect(String(1800100 * 0.0001)).toBe('180.01000000000002');
  });

  it('takes exact means of two decimals', () => {
    expect(String(meanExact('7424.9', '7424.91', 1))).toBe('7424.905');
    expect(String(meanExact('0.1', '0.2', 1))).toBe('0.15');
    expect(String(meanExact('1812400', '1812500', 10_000))).toBe('181.245');
    expect(String(meanExact('-1', '0', 1))).toBe('-0.5');
  });

  it('shifts the decimal point exactly (time units)', () => {
    expect(shiftDecimal('1399248003.074', 3)).toBe(1399248003074);
    expect(shiftDecimal('1399248003074123', -3)).toBe(1399248003074.123);
    expect(shiftDecimal('abc', 3)).toBeNaN();
  });

  it('reads numbers as Number() does, but refuses blanks', () => {
    for (const s of ['0', '-0.5', '1.38756', '123456789012345', '12345678901234567', '1e5', '.5', '5.', '0x10']) expect(numberOf(s)).toBe(Number(s));
    for (const s of ['', ' ', '-', '.', 'abc', '1.2.3']) expect(numberOf(s)).toBeNaN();
  });
});
