import type { FeatureCollection } from '@safer-places/schemas';
import { CAMERA_TYPES } from '@safer-places/schemas';
import type { LayerBundle } from '../types';
import { cameraIconId } from '../icons';
import { SELECTED_COLOUR } from '../palette';
import { LAYER_IDS, SOURCE_IDS } from './ids';
import { geojsonSource, selectedFilter, visibility } from './common';

/** icon-image: one runtime icon per camera type (shape + colour); unknown types fall back to the fixed icon. */
export function cameraIconExpression(): unknown[] {
  const expr: unknown[] = ['match', ['get', 'type']];
  for (const t of CAMERA_TYPES) expr.push(t, cameraIconId(t));
  expr.push(cameraIconId('fixed'));
  return expr;
}

/** Decommissioned cameras fade; planned ones are slightly lighter than live ones. */
export const CAMERA_STATUS_OPACITY = ['match', ['get', 'status'], 'decommissioned', 0.4, 'planned', 0.75, 1] as const;

export function cameraLayers(opts: { visible: boolean; selectedId: string | null; data?: FeatureCollection }): LayerBundle {
  const v = visibility(opts.visible);
  return {
    sources: [{ id: SOURCE_IDS.cameras, source: geojsonSource(opts.data) }],
    layers: [
      {
        id: LAYER_IDS.camerasSelected,
        type: 'circle',
        source: SOURCE_IDS.cameras,
        filter: selectedFilter('id', opts.selectedId),
        layout: { visibility: v },
        paint: {
          'circle-radius': 15,
          'circle-color': '#ffffff',
          'circle-opacity': 0.85,
          'circle-stroke-color': SELECTED_COLOUR,
          'circle-stroke-width': 3,
        },
      },
      {
        id: LAYER_IDS.camerasSymbol,
        type: 'symbol',
        source: SOURCE_IDS.cameras,
        layout: {
          visibility: v,
          'icon-image': cameraIconExpression() as never,
          'icon-allow-overlap': true,
          'icon-ignore-placement': true,
          'icon-size': ['interpolate', ['linear'], ['zoom'], 9, 0.75, 14, 1.1],
        },
        paint: { 'icon-opacity': CAMERA_STATUS_OPACITY as never },
      },
    ],
  };
}
