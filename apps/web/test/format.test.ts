import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  formatDistance,
  formatGbp,
  formatInteger,
  formatMetres,
  formatNumber,
  formatPercent,
  formatRate,
  monthLabel,
  monthLabelLong,
  ordinal,
  plural,
} from '../src/shared/format';

describe('number formatting (en-GB)', () => {
  it('groups thousands with commas', () => {
    expect(formatInteger(1234567)).toBe('1,234,567');
    expect(formatInteger(0)).toBe('0');
    expect(formatNumber(1234.567, 1)).toBe('1,234.6');
  });
  it('always shows one decimal for rates', () => {
    expect(formatRate(3)).toBe('3.0');
    expect(formatRate(12.345)).toBe('12.3');
    expect(formatRate(1049.96)).toBe('1,050.0');
  });
  it('formats pounds without pence for whole amounts and with pence otherwise', () => {
    expect(formatGbp(250000)).toBe('£250,000');
    expect(formatGbp(99.5)).toBe('£99.50');
    expect(formatGbp(0)).toBe('£0');
  });
  it('puts a space between a number and metres', () => {
    expect(formatMetres(1500)).toBe('1,500 m');
  });
  it('pluralises and ranks', () => {
    expect(plural(1, 'crime')).toBe('1 crime');
    expect(plural(2, 'crime')).toBe('2 crimes');
    expect(plural(1200, 'crime')).toBe('1,200 crimes');
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 112].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '112th']);
  });
});

describe('dates and months', () => {
  it('shows months as "Dec 2024"', () => {
    expect(monthLabel('2024-12')).toBe('Dec 2024');
    expect(monthLabel('2023-01')).toBe('Jan 2023');
    expect(monthLabel('2024-09')).toBe('Sep 2024');
    expect(monthLabelLong('2024-09')).toBe('September 2024');
  });
  it('rejects strings that are not YYYY-MM', () => {
    expect(() => monthLabel('2024-13')).toThrow(RangeError);
    expect(() => monthLabel('Dec 2024')).toThrow(RangeError);
  });
  it('shows ISO dates the British way and leaves junk alone', () => {
    expect(formatDate('2024-03-01')).toBe('1 Mar 2024');
    expect(formatDate('2027-10-31')).toBe('31 Oct 2027');
    expect(formatDate('soon')).toBe('soon');
  });
  it('shows timestamps in UK time', () => {
    // 13:05 UTC in July is 14:05 British Summer Time.
    expect(formatDateTime('2025-07-03T13:05:00Z')).toBe('3 Jul 2025, 14:05');
    expect(formatDateTime('2025-01-03T13:05:00Z')).toBe('3 Jan 2025, 13:05');
  });
});

describe('formatDistance', () => {
  it('reads whole metres under 1 km', () => {
    expect(formatDistance(0)).toBe('0 m');
    expect(formatDistance(7.4)).toBe('7 m');
    expect(formatDistance(850)).toBe('850 m');
    expect(formatDistance(850.5)).toBe('851 m'); // halves away from zero
    expect(formatDistance(999.4)).toBe('999 m');
  });
  it('reads kilometres with one decimal from 1 km and whole kilometres from 10 km', () => {
    expect(formatDistance(999.6)).toBe('1.0 km'); // rounds up to a kilometre, so says so in kilometres
    expect(formatDistance(1000)).toBe('1.0 km');
    expect(formatDistance(1234)).toBe('1.2 km');
    expect(formatDistance(1250)).toBe('1.3 km');
    expect(formatDistance(9949)).toBe('9.9 km');
    expect(formatDistance(9950)).toBe('10 km');
    expect(formatDistance(28_000)).toBe('28 km');
    expect(formatDistance(28_499)).toBe('28 km');
    expect(formatDistance(28_500)).toBe('29 km');
    expect(formatDistance(1_234_000)).toBe('1,234 km');
  });
  it('shows a dash for a distance that is not a number', () => {
    expect(formatDistance(Number.NaN)).toBe('—');
    expect(formatDistance(Number.POSITIVE_INFINITY)).toBe('—');
  });
});

describe('formatPercent (one rounding rule: halves away from zero)', () => {
  it('keeps one decimal below 10 % and whole numbers above', () => {
    expect(formatPercent(0.056)).toBe('5.6 %');
    expect(formatPercent(0.42)).toBe('42 %');
    expect(formatPercent(0)).toBe('0 %');
    expect(formatPercent(0.0004)).toBe('< 0.1 %');
  });
  it('rounds exact halves away from zero, whatever their binary form', () => {
    expect(formatPercent(0.0125)).toBe('1.3 %');
    expect(formatPercent(-0.0125)).toBe('-1.3 %');
    expect(formatPercent(0.0565)).toBe('5.7 %'); // 0.0565 × 100 is 5.6499999999999995 in binary
    expect(formatPercent(0.125)).toBe('13 %');
    expect(formatPercent(0.565)).toBe('57 %'); // 56.49999999999999 in binary
    expect(formatPercent(-0.125)).toBe('-13 %');
  });
});
