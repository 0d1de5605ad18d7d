import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatGbp, formatInteger, formatMetres, formatNumber, formatRate, monthLabel, monthLabelLong, ordinal, plural } from '../src/lib/format';

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
