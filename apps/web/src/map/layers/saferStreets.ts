import type { FeatureCollection } from '@safer-places/schemas';
import type { LayerBundle } from '../types';
import { SAFER_STREETS_COLOUR, SAFER_STREETS_FILL, SELECTED_COLOUR } from '../palette';
import { LAYER_IDS, SOURCE_IDS } from './ids';
import { geojsonSource, selectedFilter, visibility } from './common';

export const SAFER_STREETS_FILL_OPACITY = 0.22;

/** Safer Streets target areas: a light blue wash with a solid double-weight edge (PSPO edges are dashed). */
export function saferStreetsLayers(opts: { visible: boolean; selectedId: string | null; data?: FeatureCollection }): LayerBundle {
  const v = visibility(opts.visible);
  return {
    sources: [{ id: SOURCE_IDS['safer-streets-areas'], source: geojsonSource(opts.data) }],
    layers: [
      {
        id: LAYER_IDS.saferStreetsFill,
        type: 'fill',
        source: SOURCE_IDS['safer-streets-areas'],
        layout: { visibility: v },
        paint: { 'fill-color': SAFER_STREETS_FILL, 'fill-opacity': SAFER_STREETS_FILL_OPACITY },
      },
      {
        id: LAYER_IDS.saferStreetsOutline,
        type: 'line',
        source: SOURCE_IDS['safer-streets-areas'],
        layout: { visibility: v, 'line-join': 'round' },
        paint: { 'line-color': SAFER_STREETS_COLOUR, 'line-width': 3 },
      },
      {
        id: LAYER_IDS.saferStreetsSelected,
        type: 'line',
        source: SOURCE_IDS['safer-streets-areas'],
        filter: selectedFilter('id', opts.selectedId),
        layout: { visibility: v, 'line-join': 'round' },
        paint: { 'line-color': SELECTED_COLOUR, 'line-width': 4.5 },
      },
    ],
  };
}
