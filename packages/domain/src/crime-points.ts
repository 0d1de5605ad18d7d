import { createPointIndex, type PointIndex } from '@safer-places/geo';
import type { DatasetSummary, Month } from '@safer-places/schemas';
import { CATEGORY_INDEX } from '@safer-places/schemas';
import { monthRange } from '@safer-places/schemas';
import type { ReferenceRepository } from './ports';

/** Every located crime of a dataset as parallel typed arrays: compact (≈ 30 bytes a crime) and fast to scan. */
export interface CrimePoints {
  datasetId: string;
  version: string;
  months: Month[];
  count: number;
  lon: Float64Array;
  lat: Float64Array;
  /** Index into CRIME_CATEGORIES. */
  category: Uint8Array;
  /** Index into `months`. */
  month: Uint16Array;
  /** Index into `locations` (police.uk "On or near …" text). */
  location: Uint32Array;
  locations: string[];
  /** Index into `lsoaCodes`: the LSOA each crime was placed in (UNPLACED_LSOA for crimes outside the study area). */
  lsoa: Uint32Array;
  lsoaCodes: string[];
  /** KD-tree over the points, so a drawn area costs the points in its box rather than a scan of them all. */
  index: PointIndex;
}

/**
 * Loads a dataset's crimes once per dataset version and keeps them in memory: drawn-area statistics then cost a scan
 * of typed arrays instead of a read of the table. Crimes without a location are not points and are left out.
 */
export class CrimePointsCache {
  private readonly cache = new Map<string, Promise<CrimePoints>>();

  constructor(private readonly repo: ReferenceRepository) {}

  get(dataset: DatasetSummary): Promise<CrimePoints> {
    const key = `${dataset.id}@${dataset.version}`;
    let hit = this.cache.get(key);
    if (!hit) {
      for (const k of this.cache.keys()) if (k.startsWith(`${dataset.id}@`)) this.cache.delete(k);
      hit = this.load(dataset);
      hit.catch(() => this.cache.delete(key));
      this.cache.set(key, hit);
    }
    return hit;
  }

  private async load(dataset: DatasetSummary): Promise<CrimePoints> {
    const months = dataset.firstMonth && dataset.lastMonth ? monthRange(dataset.firstMonth, dataset.lastMonth) : [];
    const blocks = await this.repo.getCrimeBlocks(dataset.id, months);
    let n = 0;
    for (const b of blocks) for (const c of b.crimes) if (c.lon !== null) n++;
    const points: CrimePoints = {
      datasetId: dataset.id,
      version: dataset.version,
      months,
      count: n,
      lon: new Float64Array(n),
      lat: new Float64Array(n),
      category: new Uint8Array(n),
      month: new Uint16Array(n),
      location: new Uint32Array(n),
      locations: [],
      lsoa: new Uint32Array(n),
      lsoaCodes: [],
      index: createPointIndex(new Float64Array(0)),
    };
    const monthIndex = new Map(months.map((m, i) => [m, i]));
    const locationIndex = new Map<string, number>();
    const lsoaIndex = new Map<string, number>();
    let i = 0;
    for (const b of blocks) {
      let lsoa = lsoaIndex.get(b.lsoaCode);
      if (lsoa === undefined) lsoaIndex.set(b.lsoaCode, (lsoa = points.lsoaCodes.push(b.lsoaCode) - 1));
      for (const c of b.crimes) {
        if (c.lon === null || c.lat === null) continue;
        points.lon[i] = c.lon;
        points.lat[i] = c.lat;
        points.category[i] = CATEGORY_INDEX[c.category];
        points.month[i] = monthIndex.get(c.month) ?? 0;
        let li = locationIndex.get(c.location);
        if (li === undefined) {
          li = points.locations.length;
          points.locations.push(c.location);
          locationIndex.set(c.location, li);
        }
        points.location[i] = li;
        points.lsoa[i] = lsoa;
        i++;
      }
    }
    const xy = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) {
      xy[2 * k] = points.lon[k]!;
      xy[2 * k + 1] = points.lat[k]!;
    }
    points.index = createPointIndex(xy);
    return points;
  }
}
