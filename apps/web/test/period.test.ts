import { describe, expect, it } from 'vitest';
import { addMonths, lastNMonths, monthsInclusive, periodLabel, resolvePeriod } from '../src/shared/period';

describe('month arithmetic', () => {
  it('crosses year boundaries both ways', () => {
    expect(addMonths('2024-01', -1)).toBe('2023-12');
    expect(addMonths('2023-12', 1)).toBe('2024-01');
    expect(addMonths('2024-12', -11)).toBe('2024-01');
    expect(addMonths('2024-06', -24)).toBe('2022-06');
  });
  it('counts months inclusively', () => {
    expect(monthsInclusive('2024-01', '2024-12')).toBe(12);
    expect(monthsInclusive('2024-05', '2024-05')).toBe(1);
    expect(monthsInclusive('2023-11', '2024-02')).toBe(4);
    expect(monthsInclusive('2024-05', '2024-04')).toBe(0);
  });
});

describe('last N months from the dataset\'s last month', () => {
  it('ends on lastMonth and spans N months', () => {
    expect(lastNMonths('2024-12', 1)).toEqual({ from: '2024-12', to: '2024-12' });
    expect(lastNMonths('2024-12', 3)).toEqual({ from: '2024-10', to: '2024-12' });
    expect(lastNMonths('2024-02', 12)).toEqual({ from: '2023-03', to: '2024-02' });
  });
  it('never starts before the first month of data', () => {
    expect(lastNMonths('2024-12', 12, '2024-06')).toEqual({ from: '2024-06', to: '2024-12' });
  });
  it('rejects zero or fractional lengths', () => {
    expect(() => lastNMonths('2024-12', 0)).toThrow();
    expect(() => lastNMonths('2024-12', 1.5)).toThrow();
  });
});

describe('period wording', () => {
  it('says the months and how many', () => {
    expect(periodLabel('2024-01', '2024-12')).toBe('Jan 2024 to Dec 2024 (12 months)');
    expect(periodLabel('2024-12', '2024-12')).toBe('Dec 2024 (1 month)');
    expect(periodLabel('2024-10', '2024-12')).toBe('Oct 2024 to Dec 2024 (3 months)');
  });
});

describe('resolvePeriod', () => {
  const ds = { firstMonth: '2023-01', lastMonth: '2024-12' };
  it('turns presets into ranges', () => {
    expect(resolvePeriod('last-12', ds, { from: '', to: '' })).toEqual({ ok: true, range: { from: '2024-01', to: '2024-12' } });
    expect(resolvePeriod('last-3', ds, { from: '', to: '' })).toEqual({ ok: true, range: { from: '2024-10', to: '2024-12' } });
    expect(resolvePeriod('last-1', ds, { from: '', to: '' })).toEqual({ ok: true, range: { from: '2024-12', to: '2024-12' } });
  });
  it('accepts a valid custom range', () => {
    expect(resolvePeriod('custom', ds, { from: '2023-04', to: '2023-09' })).toEqual({ ok: true, range: { from: '2023-04', to: '2023-09' } });
  });
  it('explains what is wrong with a custom range', () => {
    expect(resolvePeriod('custom', ds, { from: '2024-05', to: '2024-02' })).toEqual({ ok: false, error: 'The last month must not be before the first month.' });
    expect(resolvePeriod('custom', ds, { from: '', to: '2024-02' })).toEqual({ ok: false, error: 'Choose both a first and a last month.' });
    expect(resolvePeriod('custom', ds, { from: '2024-01', to: '2025-02' })).toEqual({ ok: false, error: 'The data ends in Dec 2024.' });
    expect(resolvePeriod('custom', ds, { from: '2022-01', to: '2024-02' })).toEqual({ ok: false, error: 'The data starts in Jan 2023.' });
  });
  it('reports a dataset with no crime months', () => {
    expect(resolvePeriod('last-12', { firstMonth: null, lastMonth: null }, { from: '', to: '' }).ok).toBe(false);
  });
});
