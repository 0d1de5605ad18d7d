import { createPolygonLocator, type PolygonLocator } from '@safer-places/geo';
import type { BBox, Lsoa } from '@safer-places/schemas';
import type { CrimePartition } from './crime';

/**
 * LSOAs held in point locators at once by one place index (about 2 KB of lookup tables each at England's density):
 * several districts' worth, so the places a partnership works on stay built while a national data set never has all
 * 33,755 LSOAs' tables in memory (about 73 MB in one locator).
 */
export const PLACE_LOCATOR_LSOAS = 6_000;

interface Group {
  partition: CrimePartition;
  bbox: BBox;
  lsoas: Lsoa[];
}

/**
 * Which LSOA a point lies in, over one dataset version's LSOAs. The LSOAs are grouped by crime partition (district);
 * a group's point locator is built the first time a point falls in the group's box, and the built ones are kept in a
 * least-recently-used set bounded by {@link PLACE_LOCATOR_LSOAS} LSOAs (a group larger than that is still built, alone).
 * So what a request pays for, in time and memory, grows with the districts its points lie in, not with the data set.
 * A point on the line between two districts' LSOAs is placed in the first district (by code) that holds it.
 */
export class PlaceIndex {
  readonly byCode: Map<string, Lsoa>;
  readonly lsoas: readonly Lsoa[];
  private readonly groups: Group[];
  /** Built locators by group, least recently used first. */
  private readonly built = new Map<number, PolygonLocator>();
  private held = 0;

  constructor(
    readonly version: string,
    lsoas: readonly Lsoa[],
    partitionOf: (code: string) => CrimePartition,
    private readonly maxLsoas = PLACE_LOCATOR_LSOAS,
  ) {
    this.lsoas = lsoas;
    this.byCode = new Map(lsoas.map((l) => [l.code, l]));
    const byPartition = new Map<CrimePartition, Group>();
    for (const l of lsoas) {
      const p = partitionOf(l.code);
      const g = byPartition.get(p);
      if (!g) byPartition.set(p, { partition: p, bbox: [...l.bbox], lsoas: [l] });
      else {
        g.lsoas.push(l);
        g.bbox = [Math.min(g.bbox[0], l.bbox[0]), Math.min(g.bbox[1], l.bbox[1]), Math.max(g.bbox[2], l.bbox[2]), Math.max(g.bbox[3], l.bbox[3])];
      }
    }
    this.groups = [...byPartition.values()].sort((a, b) => (a.partition < b.partition ? -1 : a.partition > b.partition ? 1 : 0));
  }

  /** The code of the LSOA the point lies in, or null (outside every LSOA, or a coordinate that is not a number). */
  locate(lon: number, lat: number): string | null {
    for (let g = 0; g < this.groups.length; g++) {
      const b = this.groups[g]!.bbox;
      if (!(lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3])) continue;
      const code = this.locator(g).locate(lon, lat);
      if (code !== null) return code;
    }
    return null;
  }

  /** LSOAs whose point locators are built now (for tests and diagnostics). */
  get builtLsoas(): number {
    return this.held;
  }

  private locator(g: number): PolygonLocator {
    const hit = this.built.get(g);
    if (hit) {
      this.built.delete(g);
      this.built.set(g, hit);
      return hit;
    }
    const group = this.groups[g]!;
    while (this.built.size > 0 && this.held + group.lsoas.length > this.maxLsoas) {
      const oldest = this.built.keys().next().value!;
      this.built.delete(oldest);
      this.held -= this.groups[oldest]!.lsoas.length;
    }
    const locator = createPolygonLocator(group.lsoas.map((l) => ({ code: l.code, geometry: l.geometry })));
    this.built.set(g, locator);
    this.held += group.lsoas.length;
    return locator;
  }
}
