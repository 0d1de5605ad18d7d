import type { BBox } from '@safer-places/schemas';
import { bboxIntersects, seededRandom } from '@safer-places/geo';
import { beforeAll, describe, expect, it } from 'vitest';
import { AssetService, ReferenceService, generateDemoDataset, seedDemoIfEmpty } from '../src';
import { MemoryAssets, MemoryReference } from './in-memory-ports';

// The synthetic demo set: 4 districts (one CSP each).
const demo = generateDemoDataset();
let service: ReferenceService;
let reference: MemoryReference;

beforeAll(async () => {
  reference = new MemoryReference();
  const assets = new MemoryAssets();
  const assetService = new AssetService({ assets, clock: { now: () => new Date('2025-03-01T00:00:00Z') }, ids: { newId: () => 'id' } });
  await seedDemoIfEmpty({ reference, assets, assetService }, () => demo);
  service = new ReferenceService(reference);
});

describe('ReferenceService.lsoaLookup: LSOAs by district, CSP and box, once per dataset version', () => {
  it('a district, several districts and a CSP hold what a scan of every LSOA holds, in the same order', async () => {
    const lookup = await service.lsoaLookup(demo.summary);
    const all = await service.lsoas(demo.summary);
    const districts = [...new Set(all.map((l) => l.districtCode))].sort();
    expect(districts.length).toBeGreaterThan(2);
    for (const d of districts) {
      expect(lookup.inDistricts([d])).toEqual(all.filter((l) => l.districtCode === d));
      expect(lookup.districts.get(d)!.name).toBe(all.filter((l) => l.districtCode === d).at(-1)!.districtName);
    }
    const two = [districts[2]!, districts[0]!];
    expect(lookup.inDistricts(two)).toEqual(all.filter((l) => two.includes(l.districtCode)));
    expect(lookup.inDistricts(['nowhere'])).toEqual([]);
    for (const c of new Set(all.map((l) => l.cspCode).filter((x): x is string => !!x))) expect(lookup.csps.get(c)).toEqual(all.filter((l) => l.cspCode === c));
  });

  it('the LSOAs near a box are those a scan finds, in the same order', async () => {
    const lookup = await service.lsoaLookup(demo.summary);
    const all = await service.lsoas(demo.summary);
    const [w, s, e, n] = all.reduce<BBox>((a, l) => [Math.min(a[0], l.bbox[0]), Math.min(a[1], l.bbox[1]), Math.max(a[2], l.bbox[2]), Math.max(a[3], l.bbox[3])], [Infinity, Infinity, -Infinity, -Infinity]);
    const rng = seededRandom(3);
    let found = 0;
    for (let q = 0; q < 200; q++) {
      const x = w + rng.next() * (e - w);
      const y = s + rng.next() * (n - s);
      const box: BBox = [x, y, x + rng.next() * 0.05, y + rng.next() * 0.05];
      const want = all.filter((l) => bboxIntersects(l.bbox, box));
      expect(lookup.near(box)).toEqual(want);
      found += want.length;
    }
    expect(found).toBeGreaterThan(200);
  });

  it('is built once per version and again for a new version', async () => {
    const a = await service.lsoaLookup(demo.summary);
    expect(await service.lsoaLookup(demo.summary)).toBe(a);
    const b = await service.lsoaLookup({ ...demo.summary, version: `${demo.summary.version}-next` });
    expect(b).not.toBe(a);
    expect(b.version).toBe(`${demo.summary.version}-next`);
  });
});
