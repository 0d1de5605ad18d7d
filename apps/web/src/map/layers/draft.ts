import type { Position } from '@safer-places/schemas';
import type { LayerBundle } from '../types';
import { LAYER_IDS, SOURCE_IDS } from './ids';
import { geojsonSource } from './common';
import type { FeatureCollection } from '@safer-places/schemas';

/** The point a user has just clicked for a new camera or help point, before it is saved. */
export function draftCollection(position: Position | null): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: position ? [{ type: 'Feature', geometry: { type: 'Point', coordinates: position }, properties: {} }] : [],
  };
}

export function draftLayers(position: Position | null): LayerBundle {
  return {
    sources: [{ id: SOURCE_IDS.draft, source: geojsonSource(draftCollection(position)) }],
    layers: [
      {
        id: LAYER_IDS.draftPoint,
        type: 'circle',
        source: SOURCE_IDS.draft,
        paint: {
          'circle-radius': 9,
          'circle-color': '#ffffff',
          'circle-stroke-color': '#000000',
          'circle-stroke-width': 3,
        },
      },
    ],
  };
}
