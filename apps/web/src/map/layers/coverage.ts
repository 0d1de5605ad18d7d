import type { FeatureCollection } from '@safer-places/schemas';
import { CAMERA_TYPES } from '@safer-places/schemas';
import type { LayerBundle } from '../types';
import { CAMERA_SYMBOLS } from '../palette';
import { LAYER_IDS, SOURCE_IDS } from './ids';
import { colour, geojsonSource, visibility } from './common';

/** Coverage colour follows the camera type's colour. */
export function coverageColorExpression(): unknown[] {
  const expr: unknown[] = ['match', ['get', 'type']];
  for (const t of CAMERA_TYPES) expr.push(t, CAMERA_SYMBOLS[t].colour);
  expr.push(CAMERA_SYMBOLS.fixed.colour);
  return expr;
}

export const COVERAGE_FILL_OPACITY = 0.16;

/** Camera coverage circles (the server's polygons from GET /api/layers/cameras/coverage). Visible only when asked for AND cameras are on. */
export function coverageLayers(opts: { visible: boolean; data?: FeatureCollection }): LayerBundle {
  const v = visibility(opts.visible);
  return {
    sources: [{ id: SOURCE_IDS.coverage, source: geojsonSource(opts.data) }],
    layers: [
      {
        id: LAYER_IDS.coverageFill,
        type: 'fill',
        source: SOURCE_IDS.coverage,
        layout: { visibility: v },
        paint: { 'fill-color': colour(coverageColorExpression()), 'fill-opacity': COVERAGE_FILL_OPACITY },
      },
      {
        id: LAYER_IDS.coverageOutline,
        type: 'line',
        source: SOURCE_IDS.coverage,
        layout: { visibility: v },
        paint: { 'line-color': colour(coverageColorExpression()), 'line-width': 1.2, 'line-dasharray': [1, 1.5] },
      },
    ],
  };
}
