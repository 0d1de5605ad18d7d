import type { BBox, Position, SearchLsoa, SearchResult } from '@safer-places/schemas';
import { SEARCH_KIND_LABELS } from '@safer-places/schemas';

/** What picking a result does to the map and the panels. */
export interface PickPlan {
  /** The box the map fits (as the workspace fits a place a panel opens: once the side column has settled, up to zoom 16). */
  bbox: BBox;
  /** The LSOA whose details open (the LSOA picked, or the one a point lies in). */
  lsoa: SearchLsoa | null;
  /** Outline the place for a moment (LSOA, ward, town, district). */
  outline: boolean;
  /** Drop a marker here (a police.uk location or a postcode). */
  marker: Position | null;
  /** What the status line says. */
  message: string;
}

export function pickPlan(r: SearchResult): PickPlan {
  const kind = SEARCH_KIND_LABELS[r.kind];
  switch (r.kind) {
    case 'lsoa':
      return { bbox: r.bbox, lsoa: r.lsoa ?? null, outline: true, marker: null, message: `Showing LSOA ${r.label} (${r.id}); its figures are in the side panel.` };
    case 'ward':
    case 'place':
    case 'district':
      return { bbox: r.bbox, lsoa: null, outline: true, marker: null, message: `Showing ${kind.toLowerCase()} ${r.label} (outlined): ${r.detail}.` };
    case 'location':
    case 'postcode': {
      // A postcode district ("NG1") is an area, not a point: fit its postcodes' box.
      const isDistrict = r.kind === 'postcode' && !r.label.includes(' ');
      if (isDistrict) return { bbox: r.bbox, lsoa: null, outline: false, marker: null, message: `Showing postcode district ${r.label}: ${r.detail}.` };
      const inLsoa = r.lsoa ? `; LSOA ${r.lsoa.name} is in the side panel` : '';
      return { bbox: r.bbox, lsoa: r.lsoa ?? null, outline: false, marker: r.point, message: `Marked ${kind.toLowerCase()} ${r.label}${inLsoa}.` };
    }
  }
}

/** The LSOA as the side panel reads it (the tile's properties and more): for an LSOA that was not clicked on the map. */
export function lsoaPanelProperties(l: SearchLsoa): Record<string, unknown> {
  return { ...l };
}
