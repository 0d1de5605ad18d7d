import type { Position, SearchResult } from '@safer-places/schemas';
import type { FilterSpecification, LayerBundle, LayerSpecification } from '../../map/types';
import { LSOA_SOURCE_LAYER, SOURCE_IDS } from '../../map/layers';

/*
 * What the map draws for a picked search result: the place's LSOAs outlined (drawn from the LSOA tiles the map already
 * has, filtered to the place) and a marker at a point. Black on a white casing, dashed: readable on any base map and
 * choropleth class, and by shape as well as colour.
 */

export const SEARCH_MARKER_SOURCE = 'sp-search-marker';
export const SEARCH_LAYER_IDS = {
  outlineCasing: 'sp-search-outline-casing',
  outline: 'sp-search-outline',
  markerHalo: 'sp-search-marker-halo',
  marker: 'sp-search-marker-dot',
} as const;
export const SEARCH_LAYERS: readonly string[] = Object.values(SEARCH_LAYER_IDS);

/** What is highlighted now: the place outlined (for a while), and a marker. */
export interface Highlight {
  outline: FilterSpecification | null;
  marker: Position | null;
}

/** The LSOA tiles' features that make up a result's place (tiles carry code, districtCode and wardName). */
export function outlineFilter(r: SearchResult): FilterSpecification | null {
  switch (r.kind) {
    case 'lsoa':
      return ['==', ['get', 'code'], r.id];
    case 'district':
      return ['==', ['get', 'districtCode'], r.id];
    case 'ward': {
      const at = r.id.indexOf(':');
      return ['all', ['==', ['get', 'districtCode'], r.id.slice(0, at)], ['==', ['get', 'wardName'], r.id.slice(at + 1)]];
    }
    case 'place': {
      const district = r.id.slice(0, r.id.indexOf(':'));
      return ['all', ['==', ['get', 'districtCode'], district], ['in', ['get', 'wardName'], ['literal', r.wards ?? []]]];
    }
    default:
      return null;
  }
}

/** The sources and layers of a highlight, appended above everything else on the map. */
export function highlightLayers(h: Highlight): LayerBundle {
  const layers: LayerSpecification[] = [];
  const sources: LayerBundle['sources'] = [];
  if (h.outline) {
    const base = { source: SOURCE_IDS.lsoas, 'source-layer': LSOA_SOURCE_LAYER, filter: h.outline } as const;
    layers.push(
      { id: SEARCH_LAYER_IDS.outlineCasing, type: 'line', ...base, layout: { 'line-join': 'round' }, paint: { 'line-color': '#ffffff', 'line-width': 6, 'line-opacity': 0.9 } },
      { id: SEARCH_LAYER_IDS.outline, type: 'line', ...base, layout: { 'line-join': 'round' }, paint: { 'line-color': '#000000', 'line-width': 3, 'line-dasharray': [2, 1] } },
    );
  }
  if (h.marker) {
    sources.push({
      id: SEARCH_MARKER_SOURCE,
      source: { type: 'geojson', data: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: h.marker } }] } },
    });
    layers.push(
      {
        id: SEARCH_LAYER_IDS.markerHalo,
        type: 'circle',
        source: SEARCH_MARKER_SOURCE,
        paint: { 'circle-radius': 11, 'circle-color': '#ffffff', 'circle-opacity': 0.85, 'circle-stroke-color': '#000000', 'circle-stroke-width': 3 },
      },
      { id: SEARCH_LAYER_IDS.marker, type: 'circle', source: SEARCH_MARKER_SOURCE, paint: { 'circle-radius': 3.5, 'circle-color': '#000000' } },
    );
  }
  return { sources, layers };
}
