import { createBoxIndex, pointInArea, type BoxIndex } from '@safer-places/geo';
import type { Lsoa } from '@safer-places/schemas';

/**
 * Which LSOA a point lies in, over one dataset version's LSOAs: an R-tree over the LSOAs' boxes gives the few whose box
 * holds the point, and each is tested until one holds it. Nothing per LSOA is kept beyond the tree (~1 MB for
 * England's 33,755), so what a process keeps does not grow with the lookups asked, and no order of points makes it
 * rebuild anything. Where LSOAs overlap (boundaries simplified apart), the lowest code in `lsoas`' order (code order as
 * the store lists them) wins, as with the importer's placing of crimes.
 */
export class PlaceIndex {
  readonly byCode: Map<string, Lsoa>;
  private readonly boxes: BoxIndex;

  constructor(
    readonly version: string,
    readonly lsoas: readonly Lsoa[],
  ) {
    this.byCode = new Map(lsoas.map((l) => [l.code, l]));
    this.boxes = createBoxIndex(lsoas.map((l) => l.bbox));
  }

  /** The code of the LSOA the point lies in, or null (outside every LSOA, or a coordinate that is not a number). */
  locate(lon: number, lat: number): string | null {
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) return null;
    for (const i of this.boxes.search([lon, lat, lon, lat])) {
      const l = this.lsoas[i]!;
      if (pointInArea(l.geometry, lon, lat)) return l.code;
    }
    return null;
  }
}
