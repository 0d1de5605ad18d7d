import type { FeatureCollection } from '@safer-places/schemas';
import type { ColorValue, LayerBundle } from '../types';
import { NO_DATA_COLOUR, SELECTED_COLOUR } from '../palette';
import { LAYER_IDS, SOURCE_IDS } from './ids';
import { geojsonSource, selectedFilter, visibility } from './common';

export interface ChoroplethPaint {
  /** LSOA code → class index into colours. */
  classByCode: ReadonlyMap<string, number>;
  colours: readonly string[];
  noDataColour?: string;
}

/**
 * fill-color for the LSOA layer: a `match` on the LSOA code, codes grouped by class (sorted, so the expression is
 * stable for the same classification), anything else in the no-data colour.
 */
export function choroplethFillColor(paint: ChoroplethPaint): ColorValue {
  const noData = paint.noDataColour ?? NO_DATA_COLOUR;
  const groups: string[][] = paint.colours.map(() => []);
  for (const [code, idx] of paint.classByCode) {
    if (Number.isInteger(idx) && idx >= 0 && idx < groups.length) groups[idx]!.push(code);
  }
  const expr: unknown[] = ['match', ['get', 'code']];
  groups.forEach((codes, i) => {
    if (codes.length > 0) expr.push(codes.sort(), paint.colours[i]!);
  });
  if (expr.length === 2) return noData; // nothing classified: a match needs at least one branch
  expr.push(noData);
  return expr as unknown as ColorValue;
}

export const LSOA_FILL_OPACITY = 0.72;

export function lsoaLayers(opts: {
  visible: boolean;
  choropleth: ChoroplethPaint;
  selectedCode: string | null;
  data?: FeatureCollection;
}): LayerBundle {
  const v = visibility(opts.visible);
  return {
    sources: [{ id: SOURCE_IDS.lsoas, source: geojsonSource(opts.data) }],
    layers: [
      {
        id: LAYER_IDS.lsoaFill,
        type: 'fill',
        source: SOURCE_IDS.lsoas,
        layout: { visibility: v },
        paint: { 'fill-color': choroplethFillColor(opts.choropleth), 'fill-opacity': LSOA_FILL_OPACITY },
      },
      {
        id: LAYER_IDS.lsoaOutline,
        type: 'line',
        source: SOURCE_IDS.lsoas,
        layout: { visibility: v, 'line-join': 'round' },
        paint: {
          'line-color': '#3d3d3d',
          'line-opacity': 0.45,
          'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.3, 12, 0.8, 15, 1.5],
        },
      },
      {
        id: LAYER_IDS.lsoaSelected,
        type: 'line',
        source: SOURCE_IDS.lsoas,
        filter: selectedFilter('code', opts.selectedCode),
        layout: { visibility: v, 'line-join': 'round' },
        paint: { 'line-color': SELECTED_COLOUR, 'line-width': 3.5 },
      },
    ],
  };
}
