import { describe, expect, it } from 'vitest';
import { AREA_PERIOD_CHOICES, areaPeriodOptionLabel, figuresHeading, resolveAreaPeriod } from '../src/features/areas/areaQuery';
import { categoriesLabel, toggleCategory } from '../src/shared/categories';
import { CATEGORY_OPTIONS } from '../src/shared/labels';
import { formatKm2, formatPercent } from '../src/shared/format';

const ORDER = CATEGORY_OPTIONS.map((c) => c.value);
const dataset = { firstMonth: '2023-01', lastMonth: '2024-12' };

describe('the area panel’s period', () => {
  it('follows the map’s period by default and offers fixed ones', () => {
    expect(AREA_PERIOD_CHOICES[0]!.value).toBe('map');
    expect(resolveAreaPeriod('map', { from: '2024-04', to: '2024-06' }, dataset)).toEqual({ from: '2024-04', to: '2024-06' });
    expect(resolveAreaPeriod('map', null, dataset)).toBeNull();
    expect(resolveAreaPeriod('last-12', null, dataset)).toEqual({ from: '2024-01', to: '2024-12' });
    expect(resolveAreaPeriod('last-1', null, dataset)).toEqual({ from: '2024-12', to: '2024-12' });
    expect(resolveAreaPeriod('last-12', null, { firstMonth: '2024-10', lastMonth: '2024-12' })).toEqual({ from: '2024-10', to: '2024-12' });
    expect(resolveAreaPeriod('last-3', null, null)).toBeNull();
    expect(areaPeriodOptionLabel('map', 'Last 12 months')).toBe('Same as the map (Last 12 months)');
    expect(areaPeriodOptionLabel('last-3', 'Last 12 months')).toBe('Last 3 months');
  });
});

describe('the area panel’s crime types', () => {
  it('adds and removes types in option order, never leaving none', () => {
    expect(toggleCategory(['all-crime'], 'burglary', true, ORDER)).toEqual(['all-crime', 'burglary']);
    expect(toggleCategory(['robbery'], 'burglary', true, ORDER)).toEqual(['burglary', 'robbery']);
    expect(toggleCategory(['burglary', 'robbery'], 'burglary', false, ORDER)).toEqual(['robbery']);
    expect(toggleCategory(['robbery'], 'robbery', false, ORDER)).toEqual(['all-crime']);
  });

  it('reads the choice as a sentence and heads the figures with it and the period', () => {
    expect(categoriesLabel(['all-crime'])).toBe('All crime and ASB');
    expect(categoriesLabel(['burglary', 'robbery'])).toBe('Burglary and Robbery');
    expect(categoriesLabel(['neighbourhood-crime', 'burglary', 'drugs'])).toBe('Neighbourhood crime, Burglary and Drugs');
    expect(categoriesLabel([])).toBe('All crime and ASB');
    expect(figuresHeading(['all-crime'], { from: '2024-01', to: '2024-12' })).toBe('All crime and ASB, Jan 2024 to Dec 2024 (12 months)');
  });
});

describe('area figures formatting', () => {
  it('shows shares as percentages and areas in km²', () => {
    expect(formatPercent(0.42)).toBe('42 %');
    expect(formatPercent(0.056)).toBe('5.6 %');
    expect(formatPercent(1)).toBe('100 %');
    expect(formatPercent(0)).toBe('0 %');
    expect(formatPercent(0.0004)).toBe('< 0.1 %');
    expect(formatKm2(0.74)).toBe('0.74 km²');
    expect(formatKm2(12.34)).toBe('12.3 km²');
  });
});
