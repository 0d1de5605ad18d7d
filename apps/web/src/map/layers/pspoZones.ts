import type { FeatureCollection } from '@safer-places/schemas';
import type { LayerBundle } from '../types';
import { PSPO_HATCH_ID } from '../icons';
import { PSPO_COLOUR, SELECTED_COLOUR } from '../palette';
import { LAYER_IDS, SOURCE_IDS } from './ids';
import { geojsonSource, selectedFilter, visibility } from './common';

export const PSPO_DASH = [3, 2] as const;

/** PSPO zones: a diagonal hatch (runtime image) so the choropleth stays readable underneath, and a dashed edge. */
export function pspoLayers(opts: { visible: boolean; selectedId: string | null; data?: FeatureCollection }): LayerBundle {
  const v = visibility(opts.visible);
  return {
    sources: [{ id: SOURCE_IDS['pspo-zones'], source: geojsonSource(opts.data) }],
    layers: [
      {
        id: LAYER_IDS.pspoFill,
        type: 'fill',
        source: SOURCE_IDS['pspo-zones'],
        layout: { visibility: v },
        paint: { 'fill-pattern': PSPO_HATCH_ID, 'fill-opacity': 1 },
      },
      {
        id: LAYER_IDS.pspoOutline,
        type: 'line',
        source: SOURCE_IDS['pspo-zones'],
        layout: { visibility: v, 'line-join': 'round' },
        paint: { 'line-color': PSPO_COLOUR, 'line-width': 2.5, 'line-dasharray': [...PSPO_DASH] },
      },
      {
        id: LAYER_IDS.pspoSelected,
        type: 'line',
        source: SOURCE_IDS['pspo-zones'],
        filter: selectedFilter('id', opts.selectedId),
        layout: { visibility: v, 'line-join': 'round' },
        paint: { 'line-color': SELECTED_COLOUR, 'line-width': 4 },
      },
    ],
  };
}
