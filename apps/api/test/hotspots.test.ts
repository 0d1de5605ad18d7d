import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOWNS } from '@safer-places/domain';
import { seedDemo, startTestApp } from './harness';

let t: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => {
  t = await startTestApp();
  await seedDemo(t);
}, 120_000);
afterAll(() => t.close());

const metres = (a: [number, number], b: [number, number]) => {
  const k = (Math.PI / 180) * 6_371_008.8;
  return Math.hypot((a[0] - b[0]) * k * Math.cos((a[1] * Math.PI) / 180), (a[1] - b[1]) * k);
};

describe('GET /api/hotspots', () => {
  it('finds Gi* hot cells at the busiest town centre, FDR-corrected, and patrol-sized top spots', async () => {
    const res = await t.call('GET', '/api/hotspots?cellSize=200&top=10', { role: 'viewer' });
    expect(res.status).toBe(200);
    const h = res.json;
    expect(h).toMatchObject({ grid: { shape: 'square', cellSizeM: 200, correction: 'fdr' }, dataset: { synthetic: true }, truncated: false });
    expect(h.hot).toBeGreaterThan(0);
    expect(h.cells.features.length).toBe(h.hot + h.cold);
    const hottest = [...h.cells.features].sort((a: any, b: any) => b.properties.z - a.properties.z)[0];
    expect(hottest.properties.class).toBe(3);
    expect(hottest.properties.pAdjusted).toBeLessThan(0.01);
    // The hottest cell lies within 2 km of one of the fictional town centres.
    const ring = hottest.geometry.coordinates[0] as [number, number][];
    const centre: [number, number] = [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
    expect(Math.min(...DEMO_TOWNS.map((town) => metres(centre, town.centre)))).toBeLessThan(2000);
    expect(h.top).toHaveLength(1);
    expect(h.top[0]).toMatchObject({ key: 'all-crime', label: 'All crime and ASB' });
    const spots = h.top[0].spots;
    expect(spots).toHaveLength(10);
    for (let i = 0; i < spots.length; i++) {
      expect(spots[i].radiusM).toBeLessThanOrEqual(150);
      if (i > 0) expect(spots[i].count).toBeLessThanOrEqual(spots[i - 1].count);
      for (let j = 0; j < i; j++) expect(metres([spots[i].lon, spots[i].lat], [spots[j].lon, spots[j].lat])).toBeGreaterThanOrEqual(500);
    }
    expect(spots[0].location).toMatch(/^On or near /);
    // Hot cells with enough crimes carry the snap-point check; cold cells do not.
    const hotChecked = h.cells.features.filter((f: any) => f.properties.class > 0 && f.properties.count >= 5);
    expect(hotChecked.length).toBeGreaterThan(0);
    for (const f of hotChecked) expect(f.properties.busiestPointShare).toBeGreaterThan(0);
    for (const f of h.cells.features.filter((x: any) => x.properties.class < 0)) {
      expect(f.properties).not.toHaveProperty('busiestPointShare');
      expect(f.properties).not.toHaveProperty('snapPointWarning');
    }
    expect(h.snapPointCells).toBe(h.cells.features.filter((f: any) => f.properties.snapPointWarning === true).length);
    // Cell outlines carry at most 6 decimals of a degree.
    for (const f of h.cells.features.slice(0, 50)) for (const [lon, lat] of f.geometry.coordinates[0]) expect([lon, lat].every((v: number) => Math.abs(v * 1e6 - Math.round(v * 1e6)) < 1e-6)).toBe(true);
  });

  it('gives a top-N table per crime type (up to three), each counted from its own crimes only', async () => {
    const res = await t.call('GET', '/api/hotspots?cellSize=250&top=5&categories=violent-crime,burglary,shoplifting', { role: 'viewer' });
    expect(res.status).toBe(200);
    const h = res.json;
    expect(h.top.map((g: any) => g.key)).toEqual(['violent-crime', 'burglary', 'shoplifting']);
    expect(h.top.reduce((s: number, g: any) => s + g.crimes, 0)).toBe(h.crimes);
    for (const g of h.top) {
      expect(g.spots.length).toBeGreaterThan(0);
      expect(g.spots.length).toBeLessThanOrEqual(5);
      expect(g.spots[0].count).toBeLessThanOrEqual(g.crimes);
    }
  });

  it('exports the top-N table as a CSV with its source', async () => {
    const res = await t.call('GET', '/api/hotspots/top.csv?cellSize=250&top=3&categories=burglary,robbery', { role: 'viewer' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/top-hot-spots-\d{4}-\d{2}-to-\d{4}-\d{2}\.csv/);
    const lines = (res.json as string).trim().split('\r\n');
    expect(lines[0]).toMatch(/Synthetic demo data/);
    expect(lines[1]).toMatch(/^Crime type,Rank,Crimes,Radius \(m\),Location,Ward,District,LSOA code,LSOA name,Longitude/);
    expect(lines.filter((l) => l.startsWith('Burglary,')).length).toBe(3);
    // Every spot says which LSOA it is in, so "On or near Supermarket" is a findable place.
    for (const l of lines.filter((x) => x.startsWith('Burglary,'))) expect(l, l).toMatch(/,(E0\d{7}|DEMO\d{5}),[^,]+ \d{3}[A-Z][^,]*,-?\d/);
    expect(lines.filter((l) => l.startsWith('Robbery,')).length).toBeGreaterThan(0);
  });

  it('Holm is at least as strict as FDR, and no correction at least as loose', async () => {
    const hot = async (correction: string) => (await t.call('GET', `/api/hotspots?cellSize=200&correction=${correction}`, { role: 'viewer' })).json.hot as number;
    const [none, fdr, holm] = [await hot('none'), await hot('fdr'), await hot('holm')];
    expect(none).toBeGreaterThanOrEqual(fdr);
    expect(fdr).toBeGreaterThanOrEqual(holm);
  });

  it('classifies hot-spot change over sub-periods of the whole dataset and echoes the thresholds', async () => {
    const res = await t.call('GET', '/api/hotspots/change?cellSize=250', { role: 'viewer' });
    expect(res.status).toBe(200);
    const h = res.json;
    expect(h.period.months).toBe(24);
    expect(h.rules).toMatchObject({ periods: 10, recentPeriods: 2, hotspotProp: 0.1, persistentProp: 0.8, recentProp: 0.2, criticalP: 0.05 });
    expect(h.subPeriods).toHaveLength(10);
    expect(h.subPeriods[0].from).toBe(h.period.from);
    expect(h.subPeriods[9].to).toBe(h.period.to);
    expect(h.subPeriods.reduce((s: number, p: any) => s + p.crimes, 0)).toBe(h.crimes);
    // The demo towns are busy every month, so their centres are persistent hot spots.
    expect(h.summary['persistent hotspot']).toBeGreaterThan(0);
    expect(h.cells.features.length).toBe(Object.values(h.summary as Record<string, number>).reduce((a, b) => a + b, 0));
    for (const f of h.cells.features) {
      expect(f.properties.pattern).toHaveLength(10);
      if (f.properties.category === 'persistent hotspot') expect(f.properties.hotPeriods).toBeGreaterThanOrEqual(8);
      if (f.properties.category === 'emerging hotspot') expect(f.properties.pattern.slice(0, 8)).not.toContain('H');
    }
  });

  it('changes the classification when the thresholds change', async () => {
    const strict = (await t.call('GET', '/api/hotspots/change?cellSize=250&persistentProp=0.95', { role: 'viewer' })).json;
    const loose = (await t.call('GET', '/api/hotspots/change?cellSize=250&persistentProp=0.5', { role: 'viewer' })).json;
    expect(loose.summary['persistent hotspot']).toBeGreaterThan(strict.summary['persistent hotspot']);
  });

  it('gives kernel density per km² and per 1,000 residents, with the bandwidth stated', async () => {
    const km2 = (await t.call('GET', '/api/hotspots/density?cellSize=250', { role: 'viewer' })).json;
    expect(km2).toMatchObject({ measure: 'per-km2', unit: 'crimes per km²', bandwidthDefault: true });
    expect(km2.bandwidthM).toBeGreaterThan(0);
    // The automatic bandwidth says why, with its figure: 2 to 6 cells of the grid and at least 200 m.
    expect(km2.bandwidthReason).toMatch(new RegExp(`^Bandwidth ${km2.bandwidthM.toLocaleString('en-GB')} m, automatic`));
    expect(km2.bandwidthM).toBeGreaterThanOrEqual(Math.max(2 * km2.grid.cellSizeM, 200));
    expect(km2.bandwidthM).toBeLessThanOrEqual(Math.max(6 * km2.grid.cellSizeM, 200));
    expect(km2.classes).toHaveLength(5);
    for (let i = 1; i < 5; i++) expect(km2.classes[i].from).toBeGreaterThanOrEqual(km2.classes[i - 1].from);
    const values = km2.cells.features.map((f: any) => f.properties.value);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(km2.classes[0].from);
    const fixed = (await t.call('GET', '/api/hotspots/density?cellSize=250&bandwidth=400', { role: 'viewer' })).json;
    expect(fixed).toMatchObject({ bandwidthM: 400, bandwidthDefault: false, bandwidthReason: 'Bandwidth 400 m, as chosen.' });
    const rate = (await t.call('GET', '/api/hotspots/density?cellSize=250&perResidents=true', { role: 'viewer' })).json;
    expect(rate).toMatchObject({ measure: 'per-1000-residents', unit: 'crimes per 1,000 residents' });
    expect(rate.cells.features.length).toBeGreaterThan(0);
  });

  it.each([
    ['/change?periods=1', /periods is at least 2/],
    ['/change?persistentProp=1.5', /persistentProp must be between 0 and 1/],
    ['/density?bandwidth=10', /bandwidth is at least 50 m/],
    ['/density?perResidents=yes', /perResidents/],
  ])('%s → 400', async (query, message) => {
    const res = await t.call('GET', `/api/hotspots${query}`, { role: 'viewer' });
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(message);
  });

  it.each([
    ['?cellSize=20', /cellSize is at least 50 m/],
    ['?shape=triangle', /shape/],
    ['?correction=bonferroni', /correction/],
    ['?categories=arson', /categories/],
    ['?from=2024-06&to=2024-01', /after to/],
  ])('%s → 400', async (query, message) => {
    const res = await t.call('GET', `/api/hotspots${query}`, { role: 'viewer' });
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(message);
  });
});
