import type { FeatureCollection } from '@safer-places/schemas';
import type { FilterSpecification, LayerBundle } from '../../map/types';
import { DRAWN_AREA_CASING, DRAWN_AREA_COLOUR, SELECTED_COLOUR } from '../../map/palette';
import { AREA_LAYER_IDS, LAYER_IDS, SOURCE_IDS, type LayerId } from '../../map/layers/ids';
import { geojsonSource, selectedFilter, visibility, type Visibility } from '../../map/layers/common';

/** Just enough fill to show the area and to make its inside clickable; the choropleth stays readable. */
export const DRAWN_AREA_FILL_OPACITY = 0.1;
export const DRAWN_AREA_LINE_WIDTH = 3;
export const DRAWN_AREA_CASING_WIDTH = 6.5;

/** Every area except the one being reshaped on the map (the editor draws that one). */
export function hiddenAreaFilter(hiddenId: string | null): FilterSpecification {
  return ['!=', ['get', 'id'], hiddenId ?? ''] as FilterSpecification;
}

/** The organisation's saved drawn areas: a faint wash, a white casing and a solid green edge; black when selected. */
export function drawnAreaLayers(opts: { visible: boolean; selectedId: string | null; hiddenId?: string | null; data?: FeatureCollection }): LayerBundle {
  const v = visibility(opts.visible);
  const hidden = hiddenAreaFilter(opts.hiddenId ?? null);
  return {
    sources: [{ id: SOURCE_IDS.areas, source: geojsonSource(opts.data) }],
    layers: [
      {
        id: LAYER_IDS.areasFill,
        type: 'fill',
        source: SOURCE_IDS.areas,
        filter: hidden,
        layout: { visibility: v },
        paint: { 'fill-color': DRAWN_AREA_COLOUR, 'fill-opacity': DRAWN_AREA_FILL_OPACITY },
      },
      {
        id: LAYER_IDS.areasCasing,
        type: 'line',
        source: SOURCE_IDS.areas,
        filter: hidden,
        layout: { visibility: v, 'line-join': 'round' },
        paint: { 'line-color': DRAWN_AREA_CASING, 'line-width': DRAWN_AREA_CASING_WIDTH, 'line-opacity': 0.9 },
      },
      {
        id: LAYER_IDS.areasOutline,
        type: 'line',
        source: SOURCE_IDS.areas,
        filter: hidden,
        layout: { visibility: v, 'line-join': 'round' },
        paint: { 'line-color': DRAWN_AREA_COLOUR, 'line-width': DRAWN_AREA_LINE_WIDTH },
      },
      {
        id: LAYER_IDS.areasSelected,
        type: 'line',
        source: SOURCE_IDS.areas,
        filter: selectedAreaFilter(opts.selectedId, opts.hiddenId ?? null),
        layout: { visibility: v, 'line-join': 'round' },
        paint: { 'line-color': SELECTED_COLOUR, 'line-width': 4.5 },
      },
    ],
  };
}

/** The selected area's highlight, never on the one being reshaped. */
export function selectedAreaFilter(selectedId: string | null, hiddenId: string | null): FilterSpecification {
  if (hiddenId && hiddenId === selectedId) return selectedFilter('id', null);
  return selectedFilter('id', selectedId);
}

/** Filters of the drawn-area layers for the current selection and the area being reshaped. */
export function drawnAreaFilters(selectedId: string | null, hiddenId: string | null): Map<LayerId, FilterSpecification> {
  const hidden = hiddenAreaFilter(hiddenId);
  return new Map<LayerId, FilterSpecification>([
    [LAYER_IDS.areasFill, hidden],
    [LAYER_IDS.areasCasing, hidden],
    [LAYER_IDS.areasOutline, hidden],
    [LAYER_IDS.areasSelected, selectedAreaFilter(selectedId, hiddenId)],
  ]);
}

export function drawnAreaVisibilities(visible: boolean): Map<LayerId, Visibility> {
  return new Map(AREA_LAYER_IDS.map((id) => [id, visibility(visible)]));
}
