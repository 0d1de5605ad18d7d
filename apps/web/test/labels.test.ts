import { describe, expect, it } from 'vitest';
import { CATEGORY_OPTIONS, oglAttribution, osNotice, populationSourceLabel } from '../src/shared/labels';
import { rankOf } from '../src/features/map/rank';
import { choroplethTitle } from '../src/features/map/choropleth';

describe('labels', () => {
  it('lists the two groups and then the 14 police.uk categories', () => {
    expect(CATEGORY_OPTIONS).toHaveLength(16);
    expect(CATEGORY_OPTIONS.slice(0, 2).map((c) => c.label)).toEqual(['All crime and ASB', 'Neighbourhood crime']);
    expect(CATEGORY_OPTIONS[2]).toEqual({ value: 'anti-social-behaviour', label: 'Anti-social behaviour', group: 'police.uk categories' });
  });
  it('names the population source from the dataset when it has one', () => {
    expect(populationSourceLabel(null)).toBe('residents (source not recorded for this dataset)');
    expect(populationSourceLabel({ synthetic: false, sources: [{ name: 'Census 2021 usual resident population (TS001)', publisher: 'ONS', licence: 'OGL v3' }] }))
      .toBe('residents (source: Census 2021 usual resident population (TS001))');
    expect(populationSourceLabel({ synthetic: true, sources: [] })).toBe('residents (synthetic, generated)');
  });
  it('credits the Census, not the mid-2020 estimates listed before it, for a Census figure', () => {
    // The importer's own source names, in the order its files are read (2011-based estimates before the 2021 Census).
    const sources = [
      { name: 'LSOA (December 2021) boundaries', publisher: 'Office for National Statistics; Contains OS data', licence: 'Open Government Licence v3.0' },
      { name: 'ONS mid-2020 population estimates (carried to 2021 LSOAs)', publisher: 'Office for National Statistics', licence: 'Open Government Licence v3.0' },
      { name: 'Census 2021 usual residents', publisher: 'Office for National Statistics', licence: 'Open Government Licence v3.0' },
      { name: 'LSOA 2011 to 2021 lookup', publisher: 'Office for National Statistics', licence: 'Open Government Licence v3.0' },
    ];
    const label = populationSourceLabel({ synthetic: false, sources });
    expect(label).toBe('residents (source: Census 2021 usual residents; ONS mid-2020 population estimates (carried to 2021 LSOAs) where the Census has no figure)');
    expect(label.indexOf('Census 2021')).toBeLessThan(label.indexOf('mid-2020'));
    expect(populationSourceLabel({ synthetic: false, sources: sources.filter((s) => !s.name.startsWith('Census')) }))
      .toBe('residents (source: ONS mid-2020 population estimates (carried to 2021 LSOAs))');
    expect(populationSourceLabel({ synthetic: false, sources: sources.filter((s) => !s.name.startsWith('ONS mid')) }))
      .toBe('residents (source: Census 2021 usual residents)');
  });
  it('never names a boundary or lookup file as the population source', () => {
    expect(populationSourceLabel({ synthetic: false, sources: [{ name: 'LSOA 2011 to 2021 lookup', publisher: 'Office for National Statistics', licence: 'OGL' }] }))
      .toBe('residents (source not recorded for this dataset)');
  });
  it('adds the OGL and OS notices only when a source needs them', () => {
    const ds = { sources: [{ name: 'LSOA 2021 boundaries', publisher: 'ONS', licence: 'Open Government Licence v3.0' }] };
    expect(oglAttribution(ds)).toBe('Contains public sector information licensed under the Open Government Licence v3.0.');
    expect(osNotice(ds)).toMatch(/Crown copyright/);
    expect(oglAttribution({ sources: [{ name: 'x', publisher: 'y', licence: 'CC-BY 4.0' }] })).toBeNull();
    expect(osNotice({ sources: [{ name: 'Street crime', publisher: 'police.uk', licence: 'OGL v3' }] })).toBeNull();
  });
  it('titles the legend with measure, category and period in words', () => {
    expect(choroplethTitle('rate', 'All crime and ASB', { from: '2024-01', to: '2024-12' })).toBe('Crimes per 1,000 residents — All crime and ASB — Jan 2024 to Dec 2024 (12 months)');
    expect(choroplethTitle('count', 'Burglary', { from: '2024-12', to: '2024-12' })).toBe('Number of crimes — Burglary — Dec 2024 (1 month)');
    expect(choroplethTitle('imd-decile', 'Burglary', null)).toBe('IMD decile (1 = most deprived 10 %)');
  });
});

describe('rankOf', () => {
  const rows = [
    { code: 'a', count: 50, ratePer1000: 10, population: 5000, imdDecile: 1 },
    { code: 'b', count: 80, ratePer1000: 40, population: 2000, imdDecile: 2 },
    { code: 'c', count: 80, ratePer1000: null, population: null, imdDecile: 3 },
    { code: 'd', count: 10, ratePer1000: 5, population: 2000, imdDecile: 4 },
  ];
  it('uses competition ranking, highest first', () => {
    expect(rankOf(rows, 'b')).toEqual({ count: 1, rate: 1, of: 4 });
    expect(rankOf(rows, 'c')).toEqual({ count: 1, rate: null, of: 4 });
    expect(rankOf(rows, 'a')).toEqual({ count: 3, rate: 2, of: 4 });
    expect(rankOf(rows, 'd')).toEqual({ count: 4, rate: 3, of: 4 });
  });
  it('has no rank for an unknown code', () => {
    expect(rankOf(rows, 'zz')).toEqual({ count: null, rate: null, of: 4 });
  });
});
