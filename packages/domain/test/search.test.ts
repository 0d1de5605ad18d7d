import { describe, expect, it } from 'vitest';
import type { BBox, DatasetSummary, Lsoa, Month, SearchQuery } from '@safer-places/schemas';
import { MAX_CRIMES_PER_ANALYSIS, monthRange, searchQuerySchema } from '@safer-places/schemas';
import {
  AssetService,
  CrimePointsCache,
  CrimeSelection,
  MATCH,
  POSTCODE_DISTRICTS_CACHE_MS,
  ReferenceService,
  ScopeResolver,
  SearchService,
  deriveTowns,
  foldText,
  matchScore,
  normalisePostcode,
  parsePostcodeQuery,
  type CrimePartition,
  type CrimeRecord,
  type PostcodeDistrict,
  type PostcodeEntry,
  type PostcodeRepository,
} from '../src/index';
import { townsOfWards } from '@safer-places/geo';
import { MemoryAssets, MemoryReference, byDistrict } from './in-memory-ports';

/*
 * A small hand-made place: two districts, five LSOAs in four wards (two of them "Hucknall …", a town), and one month of
 * crimes at known points, so every expected result can be written down.
 */
const DS = 'search-test';
const lsoa = (code: string, name: string, districtCode: string, districtName: string, wardName: string, lon: number, lat: number): Lsoa => {
  const d = 0.01;
  return {
    code,
    name,
    districtCode,
    districtName,
    wardName,
    cspCode: null,
    cspName: null,
    population: 1500,
    imdDecile: 3,
    deprivationSource: 'IoD 2025',
    geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] },
    bbox: [lon, lat, lon + d, lat + d],
  };
};
const LSOAS: Lsoa[] = [
  lsoa('E01028345', 'Nottingham 001A', 'E06000018', 'Nottingham', 'Bulwell', -1.2, 53.0),
  lsoa('E01028346', 'Nottingham 001B', 'E06000018', 'Nottingham', 'Bulwell Forest', -1.19, 53.0),
  lsoa('E01028347', 'Nottingham 002A', 'E06000018', 'Nottingham', "St. Ann's", -1.18, 53.0),
  lsoa('E01027000', 'Ashfield 010A', 'E07000170', 'Ashfield', 'Hucknall North', -1.2, 53.02),
  lsoa('E01027001', 'Ashfield 010B', 'E07000170', 'Ashfield', 'Hucknall South', -1.19, 53.02),
];
const MONTH: Month = '2024-06';

const crime = (id: string, lonLat: [number, number], location: string, lsoaCode: string): CrimeRecord => ({
  id,
  month: MONTH,
  category: 'shoplifting',
  lon: lonLat[0],
  lat: lonLat[1],
  location,
  lsoaCode,
  publishedLsoaCode: lsoaCode,
  outcome: null,
});
// Three crimes at one Supermarket point in Bulwell, one at another Supermarket point in Hucknall North, two on Market Street.
const SUPERMARKET_BULWELL: [number, number] = [-1.195, 53.005];
const SUPERMARKET_HUCKNALL: [number, number] = [-1.195, 53.025];
const CRIMES = [
  crime('c1', SUPERMARKET_BULWELL, 'On or near Supermarket', 'E01028345'),
  crime('c2', SUPERMARKET_BULWELL, 'On or near Supermarket', 'E01028345'),
  crime('c3', SUPERMARKET_BULWELL, 'On or near Supermarket', 'E01028345'),
  crime('c4', SUPERMARKET_HUCKNALL, 'On or near Supermarket', 'E01027000'),
  crime('c5', [-1.175, 53.005], 'On or near Market Street', 'E01028347'),
  crime('c6', [-1.175, 53.005], 'On or near Market Street', 'E01028347'),
];

class MemoryPostcodes implements PostcodeRepository {
  reads: string[] = [];
  constructor(private entries: PostcodeEntry[]) {}
  async replacePostcodes(_ds: string, entries: readonly PostcodeEntry[]) {
    this.entries = [...entries];
  }
  async postcodeDistricts(): Promise<PostcodeDistrict[]> {
    const byOutward = new Map<string, PostcodeEntry[]>();
    for (const e of this.entries) {
      const o = e.postcode.split(' ')[0]!;
      byOutward.set(o, [...(byOutward.get(o) ?? []), e]);
    }
    return [...byOutward].map(([outward, es]) => ({
      outward,
      count: es.length,
      bbox: [Math.min(...es.map((e) => e.lon)), Math.min(...es.map((e) => e.lat)), Math.max(...es.map((e) => e.lon)), Math.max(...es.map((e) => e.lat))] as BBox,
    }));
  }
  async postcodesIn(_ds: string, outward: string) {
    this.reads.push(outward);
    return this.entries.filter((e) => e.postcode.startsWith(`${outward} `));
  }
}
const POSTCODES: PostcodeEntry[] = [
  { postcode: 'NG6 8AA', lon: -1.196, lat: 53.004, lsoaCode: 'E01028345' },
  { postcode: 'NG6 8AB', lon: -1.197, lat: 53.005, lsoaCode: 'E01028345' },
  { postcode: 'NG6 9ZZ', lon: -1.185, lat: 53.006, lsoaCode: 'E01028346' },
  { postcode: 'NG15 7AA', lon: -1.195, lat: 53.025, lsoaCode: 'E01027000' },
];

async function world(options: { reference?: MemoryReference; postcodes?: PostcodeRepository | null; now?: () => number } = {}) {
  const reference = options.reference ?? new MemoryReference();
  const summary: DatasetSummary = {
    id: DS,
    name: 'Search test',
    synthetic: false,
    version: 'v1',
    firstMonth: MONTH,
    lastMonth: MONTH,
    lsoaCount: LSOAS.length,
    crimeCount: CRIMES.length,
    bbox: [-1.2, 53.0, -1.17, 53.03],
    sources: [],
    importedAt: '2025-01-01T00:00:00Z',
    notes: [],
  };
  await reference.putDataset(summary);
  await reference.putLsoas(DS, LSOAS);
  const blocks = new Map<string, CrimeRecord[]>();
  for (const c of CRIMES) blocks.set(c.lsoaCode, [...(blocks.get(c.lsoaCode) ?? []), c]);
  await reference.replaceCrimeMonth(DS, MONTH, [...blocks].map(([lsoaCode, crimes]) => ({ month: MONTH, lsoaCode, crimes })), byDistrict(LSOAS));
  const assets = new MemoryAssets();
  const referenceService = new ReferenceService(reference);
  const cache = new CrimePointsCache(reference, { reference: referenceService });
  const assetService = new AssetService({ assets, clock: { now: () => new Date('2025-03-01T00:00:00Z') }, ids: { newId: () => 'x' } });
  const selection = new CrimeSelection(referenceService, cache, new ScopeResolver(referenceService, assetService, assets));
  const postcodes = options.postcodes === null ? undefined : (options.postcodes ?? new MemoryPostcodes(POSTCODES));
  return { reference, service: new SearchService({ reference: referenceService, selection, ...(postcodes && { postcodes }), ...(options.now && { now: options.now }) }) };
}

const VIEW = '-1.21,52.99,-1.16,53.04';
const query = (q: string, extra: Record<string, string> = {}): SearchQuery => searchQuerySchema.parse({ q, dataset: DS, ...extra });

describe('matching', () => {
  it('folds case, accents, punctuation and "&"', () => {
    expect(foldText("St. Ann's")).toBe('st anns');
    expect(foldText('Hyson Green & Arboretum')).toBe('hyson green and arboretum');
    expect(foldText('Ollerton  Château')).toBe('ollerton chateau');
  });

  it('ranks exact > prefix > word prefix > substring', () => {
    expect(matchScore('bulwell', 'bulwell')).toBe(MATCH.exact);
    expect(matchScore('bulwell forest', 'bulwell')).toBe(MATCH.prefix);
    expect(matchScore('hucknall north', 'north')).toBe(MATCH.wordPrefix);
    expect(matchScore('bulwell', 'lwe')).toBe(MATCH.substring);
    expect(matchScore('bulwell', 'xyz')).toBeNull();
  });
});

describe('towns from ward names', () => {
  const towns = (names: string[], districtName = 'D1') => deriveTowns(names.map((wardName) => ({ districtCode: 'X', districtName, wardName }))).map((t) => t.name);

  it('is the map labels\' rule (geo townsOfWards): search and the map never disagree', () => {
    const cases = [
      ['Hucknall Central', 'Hucknall North', 'Hucknall South', 'Hucknall West', 'Selston'],
      ['East Retford East', 'East Retford North', 'East Markham'],
      ['Bulwell', 'Bulwell Forest', "St. Ann's"],
      ['Kirkby Cross & Portland', 'Annesley & Kirkby Woodhouse'],
      ['Worksop North', 'Worksop North East', 'Worksop South'],
    ];
    for (const names of cases) expect(towns(names)).toEqual([...townsOfWards(names, 'D1').keys()]);
    // A ward named as its town is part of it, as on the map.
    expect(towns(['Bulwell', 'Bulwell Forest'])).toEqual(['Bulwell']);
  });

  it('never offers a town with the district\'s own name', () => {
    expect(towns(['Mansfield North', 'Mansfield South', 'Forest Town East', 'Forest Town West'], 'Mansfield')).toEqual(['Forest Town']);
    expect(towns(['Gedling North', 'Gedling South'], 'Gedling (synthetic)')).toEqual([]);
  });

  it('keeps districts apart', () => {
    expect(deriveTowns([{ districtCode: 'A', districtName: 'A', wardName: 'Sutton North' }, { districtCode: 'B', districtName: 'B', wardName: 'Sutton South' }])).toEqual([]);
  });
});

describe('postcode queries', () => {
  it('reads whole and partial postcodes', () => {
    expect(normalisePostcode('ng15dt')).toBe('NG1 5DT');
    expect(parsePostcodeQuery('ng6 8aa')).toEqual({ kind: 'full', outward: 'NG6', postcode: 'NG6 8AA' });
    expect(parsePostcodeQuery('NG6 8')).toEqual({ kind: 'partial', compact: 'NG68', outward: 'NG6', inwardPrefix: '8' });
    expect(parsePostcodeQuery('NG1')).toMatchObject({ kind: 'partial', compact: 'NG1', outward: null });
    expect(parsePostcodeQuery('Bulwell')).toBeNull();
  });
});

describe('SearchService', () => {
  it('puts an exact LSOA code first, with its LSOA for the details panel', async () => {
    const { service } = await world();
    const r = await service.search(query('e01028345'));
    expect(r.results[0]).toMatchObject({ kind: 'lsoa', id: 'E01028345', label: 'Nottingham 001A', lsoaCode: 'E01028345', detail: 'LSOA E01028345 in Bulwell ward, Nottingham' });
    expect(r.results[0]!.lsoa).toMatchObject({ wardName: 'Bulwell', population: 1500, imdDecile: 3 });
    expect(r.results[0]!.bbox).toEqual([-1.2, 53.0, -1.19, 53.01]);
  });

  it('finds wards with their box (the union of their LSOAs), exact before prefix', async () => {
    const { service } = await world();
    const r = await service.search(query('bulwell'));
    const wards = r.results.filter((x) => x.kind === 'ward');
    expect(wards.map((w) => w.label)).toEqual(['Bulwell', 'Bulwell Forest']);
    expect(wards[0]).toMatchObject({ id: 'E06000018:Bulwell', detail: 'Ward in Nottingham · 1 LSOA', bbox: [-1.2, 53.0, -1.19, 53.01] });
    expect(r.results[0]!.label).toBe('Bulwell');
    // The town the map labels "Bulwell" (wards Bulwell and Bulwell Forest) is found too.
    expect(r.results.find((x) => x.kind === 'place')).toMatchObject({ label: 'Bulwell', wards: ['Bulwell', 'Bulwell Forest'] });
  });

  it('finds a ward however its punctuation is typed', async () => {
    const { service } = await world();
    const r = await service.search(query('st anns'));
    expect(r.results[0]).toMatchObject({ kind: 'ward', label: "St. Ann's" });
  });

  it('finds districts (by name or code) and towns, with the town\'s wards', async () => {
    const { service } = await world();
    const d = await service.search(query('Ashfield'));
    expect(d.results[0]).toMatchObject({ kind: 'district', id: 'E07000170', detail: 'District · 2 LSOAs', bbox: [-1.2, 53.02, -1.18, 53.03] });
    const t = await service.search(query('huck'));
    expect(t.results[0]).toMatchObject({ kind: 'place', label: 'Hucknall', detail: 'Town in Ashfield · wards Hucknall North, Hucknall South', bbox: [-1.2, 53.02, -1.18, 53.03] });
  });

  it('finds police.uk locations in the view only, one per text and point, with crimes and where they are', async () => {
    const { service } = await world();
    const r = await service.search(query('supermarket', { bbox: VIEW }));
    const locations = r.results.filter((x) => x.kind === 'location');
    expect(locations).toHaveLength(2);
    expect(locations[0]).toMatchObject({ label: 'On or near Supermarket', crimes: 3, point: SUPERMARKET_BULWELL, lsoaCode: 'E01028345', detail: '3 crimes at this point, 2024-06 · Bulwell ward, Nottingham' });
    expect(locations[1]).toMatchObject({ crimes: 1, lsoaCode: 'E01027000', detail: '1 crime at this point, 2024-06 · Hucknall North ward, Ashfield' });
    expect(r.period).toEqual({ from: MONTH, to: MONTH });
    // A view round Bulwell only leaves Hucknall's point out.
    const bulwell = await service.search(query('on or near super', { bbox: '-1.2,53.0,-1.19,53.01' }));
    expect(bulwell.results.filter((x) => x.kind === 'location').map((x) => x.crimes)).toEqual([3]);
  });

  it('sums a location point over every month of the period (each month read on its own)', async () => {
    const { reference, service } = await world();
    await reference.replaceCrimeMonth(DS, '2024-05', [{ month: '2024-05', lsoaCode: 'E01028345', crimes: [{ ...crime('c0', SUPERMARKET_BULWELL, 'On or near Supermarket', 'E01028345'), month: '2024-05' }] }], byDistrict(LSOAS));
    await reference.putDataset({ ...(await reference.getDataset(DS))!, firstMonth: '2024-05', version: 'v2' });
    const r = await service.search(query('supermarket', { bbox: VIEW, from: '2024-05', to: MONTH }));
    expect(r.results.filter((x) => x.kind === 'location').map((x) => x.crimes)).toEqual([4, 1]);
    expect(r.results[0]!.detail).toMatch(/^4 crimes at this point, 2024-05 to 2024-06/);
  });

  it('says so when no view was sent, and still answers the places', async () => {
    const { service } = await world();
    const r = await service.search(query('market'));
    expect(r.results.some((x) => x.kind === 'location')).toBe(false);
    expect(r.notes.join(' ')).toMatch(/map view: none was sent/);
  });

  it('answers the places with a note when the view is too big to read, never failing', async () => {
    const { service } = await world();
    const r = await service.search(query('bulwell', { bbox: '-3,52,0,54' }));
    expect(r.results.find((x) => x.kind === 'ward')).toMatchObject({ label: 'Bulwell' });
    expect(r.notes.join(' ')).toMatch(/not searched: .*MAX_ANALYSIS_AREA_KM2/);
  });

  it('answers the places with a note when the view holds more crimes than one read may', async () => {
    class Huge extends MemoryReference {
      override async crimePartitionSizes(id: string, from: string, to: string) {
        return new Map(monthRange(from, to).map((m) => [m, new Map<CrimePartition, number>([['E06000018', MAX_CRIMES_PER_ANALYSIS + 1], ['E07000170', 1]])]));
      }
    }
    const reference = new Huge();
    const { service } = await world({ reference });
    const reads = reference.blockQueries;
    const r = await service.search(query('bulwell', { bbox: VIEW }));
    expect(r.results.find((x) => x.kind === 'ward')).toMatchObject({ label: 'Bulwell' });
    expect(r.notes.join(' ')).toMatch(/MAX_CRIMES_PER_ANALYSIS/);
    expect(reference.blockQueries).toBe(reads); // refused before any crime was read
  });

  it('skips the location search for area codes and whole postcodes', async () => {
    const { reference, service } = await world();
    const before = reference.blockQueries;
    await service.search(query('E01028345', { bbox: VIEW }));
    await service.search(query('NG6 8AA', { bbox: VIEW }));
    await service.search(query('E07000170', { bbox: VIEW }));
    expect(reference.blockQueries).toBe(before);
  });

  it('searches locations for postcode districts that look like area codes (E14, N16, S10)', async () => {
    for (const q of ['E14', 'n16', 'S10', 'W1', 'K12']) {
      const { reference, service } = await world();
      const before = reference.blockQueries;
      const r = await service.search(query(q, { bbox: VIEW }));
      expect(reference.blockQueries, q).toBeGreaterThan(before);
      expect(r.period, q).toEqual({ from: MONTH, to: MONTH });
    }
  });

  it('sees replaced postcodes within a short while, though the dataset version is unchanged (a later import write failed)', async () => {
    const postcodes = new MemoryPostcodes(POSTCODES);
    let clock = 1_000_000;
    const { service } = await world({ postcodes, now: () => clock });
    expect((await service.search(query('NG6'))).results[0]).toMatchObject({ kind: 'postcode', label: 'NG6' });
    // The import replaced the postcodes, then failed before writing the dataset summary: same dataset version.
    await postcodes.replacePostcodes(DS, [{ postcode: 'NG9 1AA', lon: -1.2, lat: 53.0, lsoaCode: 'E01028345' }]);
    clock += POSTCODE_DISTRICTS_CACHE_MS + 1;
    expect((await service.search(query('NG6'))).results.filter((x) => x.kind === 'postcode')).toEqual([]);
    expect((await service.search(query('NG9'))).results[0]).toMatchObject({ kind: 'postcode', label: 'NG9' });
  });

  it('reads the postcode districts once while the cache is fresh', async () => {
    const postcodes = new MemoryPostcodes(POSTCODES);
    let districtReads = 0;
    const original = postcodes.postcodeDistricts.bind(postcodes);
    postcodes.postcodeDistricts = () => (districtReads++, original());
    let clock = 0;
    const { service } = await world({ postcodes, now: () => clock });
    await service.search(query('NG6'));
    clock += POSTCODE_DISTRICTS_CACHE_MS - 1;
    await service.search(query('NG1'));
    expect(districtReads).toBe(1);
  });

  it('finds a whole postcode with its LSOA, reading one postcode district', async () => {
    const postcodes = new MemoryPostcodes(POSTCODES);
    const { service } = await world({ postcodes });
    const r = await service.search(query('ng68aa'));
    expect(r.results).toHaveLength(1);
    expect(r.results[0]).toMatchObject({ kind: 'postcode', label: 'NG6 8AA', point: [-1.196, 53.004], lsoaCode: 'E01028345', detail: 'Postcode in Bulwell ward, Nottingham · LSOA Nottingham 001A' });
    expect(postcodes.reads).toEqual(['NG6']);
    const missing = await service.search(query('NG6 1XX'));
    expect(missing.results).toEqual([]);
    expect(missing.notes.join(' ')).toMatch(/NG6 1XX is not among the live postcodes/);
  });

  it('finds partial postcodes: districts by prefix, postcodes of a sector', async () => {
    const { service } = await world();
    const d = await service.search(query('NG1'));
    expect(d.results.filter((x) => x.kind === 'postcode').map((x) => x.label)).toEqual(['NG15']);
    const sector = await service.search(query('NG6 8'));
    expect(sector.results.filter((x) => x.kind === 'postcode').map((x) => x.label)).toEqual(['NG6 8AA', 'NG6 8AB']);
    const exactDistrict = await service.search(query('ng6'));
    expect(exactDistrict.results[0]).toMatchObject({ kind: 'postcode', label: 'NG6', detail: 'Postcode district · 3 live postcodes' });
  });

  it('says postcodes need importing when none were', async () => {
    const { service } = await world({ postcodes: null });
    const r = await service.search(query('NG6 8AA'));
    expect(r.results).toEqual([]);
    expect(r.notes.join(' ')).toMatch(/No postcodes were imported/);
  });

  it('cuts at the limit and says so', async () => {
    const { service } = await world();
    const r = await service.search(query('nottingham', { limit: '2' }));
    expect(r.results).toHaveLength(2);
    expect(r.results[0]).toMatchObject({ kind: 'district', label: 'Nottingham' });
    expect(r.truncated).toBe(true);
    const all = await service.search(query('nottingham'));
    expect(all.truncated).toBe(false);
    expect(all.results.map((x) => x.kind)).toEqual(['district', 'lsoa', 'lsoa', 'lsoa']);
  });
});

describe('the query schema', () => {
  it('names the problem', () => {
    expect(searchQuerySchema.safeParse({ q: ' a ' }).error?.issues[0]?.message).toMatch(/at least 2 characters/);
    expect(searchQuerySchema.safeParse({ q: 'x'.repeat(101) }).error?.issues[0]?.message).toMatch(/at most 100/);
    expect(searchQuerySchema.safeParse({ q: 'ab', limit: '51' }).error?.issues[0]?.message).toMatch(/at most 50/);
    expect(searchQuerySchema.safeParse({ q: 'ab', bbox: '1,2,3' }).error?.issues[0]?.message).toMatch(/bbox must be four numbers/);
    expect(searchQuerySchema.parse({ q: ' Bulwell ' })).toMatchObject({ q: 'Bulwell', limit: 12 });
  });
});
