import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '@safer-places/schemas';
import { TEST_DATASET, loadTestDataset, startTestApp } from './harness';

/*
 * The test dataset (harness.ts): LSOAs "West" E01000001 and "East" E01000002 in "Test ward", Mansfield; every month of
 * 2024 West has m + 1 crimes and East 2, all "On or near High Street" at the centre of their LSOA.
 */
let t: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => {
  t = await startTestApp();
  await loadTestDataset(t.reference);
  // Generated postcodes (not real ones) with the test dataset.
  await t.deps.postcodes.replacePostcodes(
    TEST_DATASET.id,
    [
      { postcode: 'ZZ1 1AA', lon: -1.195, lat: 53.005, lsoaCode: 'E01000001' },
      { postcode: 'ZZ1 1AB', lon: -1.185, lat: 53.005, lsoaCode: 'E01000002' },
    ],
    '2026-11-01T00:00:00Z',
  );
});
afterAll(() => t.close());

const VIEW = '-1.21,52.99,-1.17,53.02';
const search = (query: string, role: (typeof ROLES)[number] = 'viewer') => t.call('GET', `/api/search?${query}`, { role });

describe('GET /api/search', () => {
  it('needs a signed-in user', async () => {
    expect((await t.call('GET', '/api/search?q=West')).status).toBe(401);
  });

  it('answers every role', async () => {
    for (const role of ROLES) expect((await search('q=West', role)).status).toBe(200);
  });

  it('finds an LSOA by code first, with what its details panel needs', async () => {
    const res = await search('q=e01000002');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ dataset: { id: 'test-ds' }, q: 'e01000002', truncated: false });
    expect(res.json.results[0]).toMatchObject({
      kind: 'lsoa',
      id: 'E01000002',
      label: 'East',
      detail: 'LSOA E01000002 in Test ward ward, Mansfield',
      bbox: [-1.19, 53.0, -1.18, 53.01],
      lsoaCode: 'E01000002',
      lsoa: { code: 'E01000002', districtName: 'Mansfield', imdDecile: 7 },
    });
  });

  it('finds the ward and district with the box of their LSOAs', async () => {
    const ward = await search('q=test%20ward');
    expect(ward.json.results[0]).toMatchObject({ kind: 'ward', label: 'Test ward', bbox: [-1.2, 53.0, -1.18, 53.01], detail: 'Ward in Mansfield · 2 LSOAs' });
    const district = await search('q=mansfield');
    expect(district.json.results[0]).toMatchObject({ kind: 'district', id: 'E07000174', label: 'Mansfield' });
  });

  it('finds police.uk locations among the crimes in the view, over the period asked', async () => {
    const res = await search(`q=high%20street&bbox=${VIEW}&from=2024-01&to=2024-12`);
    const locations = res.json.results.filter((r: any) => r.kind === 'location');
    // West: sum over m of (m + 1) = 78 + 12 = 90; East: 24.
    expect(locations.map((r: any) => [r.lsoaCode, r.crimes])).toEqual([['E01000001', 90], ['E01000002', 24]]);
    expect(locations[0]).toMatchObject({ label: 'On or near High Street', point: [-1.195, 53.005], detail: '90 crimes at this point, 2024-01 to 2024-12 · Test ward ward, Mansfield' });
    expect(res.json.period).toEqual({ from: '2024-01', to: '2024-12' });
    // The default period is the dataset's last 12 months: the same year here.
    const byDefault = await search(`q=high%20street&bbox=${VIEW}`);
    expect(byDefault.json.results.filter((r: any) => r.kind === 'location').map((r: any) => r.crimes)).toEqual([90, 24]);
  });

  it('answers with a note, not an error, when the view is too big for the location search', async () => {
    const res = await search('q=high%20street&bbox=-4,51,1,55');
    expect(res.status).toBe(200);
    expect(res.json.results).toEqual([]);
    expect(res.json.notes.join(' ')).toMatch(/MAX_ANALYSIS_AREA_KM2/);
  });

  it('finds a whole or partial postcode imported with the dataset', async () => {
    const full = await search('q=zz11ab');
    expect(full.json.results).toEqual([
      expect.objectContaining({ kind: 'postcode', label: 'ZZ1 1AB', point: [-1.185, 53.005], lsoaCode: 'E01000002', detail: 'Postcode in Test ward ward, Mansfield · LSOA East' }),
    ]);
    const district = await search('q=ZZ1');
    expect(district.json.results[0]).toMatchObject({ kind: 'postcode', label: 'ZZ1', detail: 'Postcode district · 2 live postcodes' });
    const sector = await search('q=ZZ1%201');
    expect(sector.json.results.map((r: any) => r.label)).toEqual(['ZZ1 1AA', 'ZZ1 1AB']);
  });

  it('refuses bad input with a 400 naming the problem', async () => {
    const cases: [string, RegExp][] = [
      ['', /q: /],
      ['q=a', /q: q is the text to search for: at least 2 characters/],
      [`q=${'x'.repeat(101)}`, /q: q is at most 100 characters/],
      ['q=West&limit=0', /limit: limit is at least 1/],
      ['q=West&limit=500', /limit: limit is at most 50/],
      ['q=West&bbox=1,2,3', /bbox: bbox must be four numbers/],
      ['q=West&from=2024-13', /from: months are YYYY-MM/],
      ['q=West&color=red', /unknown field\(s\) "color"/],
    ];
    for (const [query, message] of cases) {
      const res = await search(query);
      expect(res.status, query).toBe(400);
      expect(res.json.error).toBe('invalid_request');
      expect(res.json.detail, query).toMatch(/^invalid search query: /);
      expect(res.json.detail, query).toMatch(message);
    }
  });

  it('answers 404 for an unknown dataset', async () => {
    const res = await search('q=West&dataset=no-such');
    expect(res.status).toBe(404);
    expect(res.json.detail).toMatch(/no dataset "no-such"/);
  });
});
