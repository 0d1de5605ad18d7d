import type { FeatureCollection } from '@safer-places/schemas';
import type { LayerBundle } from '../types';
import { HELP_POINT_ICON } from '../icons';
import { SELECTED_COLOUR } from '../palette';
import { LAYER_IDS, SOURCE_IDS } from './ids';
import { geojsonSource, selectedFilter, visibility } from './common';

/** Live help points are solid, planned ones hollow: status is shown by fill as well as wording in the legend. */
export const HELP_POINT_ICON_EXPRESSION = ['match', ['get', 'status'], 'planned', HELP_POINT_ICON.planned, HELP_POINT_ICON.live] as const;

export function helpPointLayers(opts: { visible: boolean; selectedId: string | null; data?: FeatureCollection }): LayerBundle {
  const v = visibility(opts.visible);
  return {
    sources: [{ id: SOURCE_IDS['help-points'], source: geojsonSource(opts.data) }],
    layers: [
      {
        id: LAYER_IDS.helpPointsSelected,
        type: 'circle',
        source: SOURCE_IDS['help-points'],
        filter: selectedFilter('id', opts.selectedId),
        layout: { visibility: v },
        paint: {
          'circle-radius': 17,
          'circle-color': '#ffffff',
          'circle-opacity': 0.85,
          'circle-stroke-color': SELECTED_COLOUR,
          'circle-stroke-width': 3,
        },
      },
      {
        id: LAYER_IDS.helpPointsSymbol,
        type: 'symbol',
        source: SOURCE_IDS['help-points'],
        layout: {
          visibility: v,
          'icon-image': HELP_POINT_ICON_EXPRESSION as never,
          'icon-allow-overlap': true,
          'icon-ignore-placement': true,
          'icon-size': ['interpolate', ['linear'], ['zoom'], 9, 0.8, 14, 1.1],
        },
      },
    ],
  };
}
