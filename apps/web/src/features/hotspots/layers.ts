import type { FeatureCollection } from '@safer-places/schemas';
import type { ColorValue, FilterSpecification, LayerBundle } from '../../map/types';
import { DENSITY_5, GI_CLASS_COLOURS, SELECTED_COLOUR } from '../../map/palette';
import { MAX_RANK_ICON } from '../../map/icons';
import { LAYER_IDS, SOURCE_IDS } from '../../map/layers/ids';
import { geojsonSource } from '../../map/layers/common';

/** What the hot spot cells show: Gi* classes, the change classification, or kernel density classes. */
export type HotspotMode = 'gi' | 'change' | 'density';

export const HOTSPOT_CELL_OPACITY = 0.78;

/** Gi* classes, hottest first, as the legend lists them. */
export const GI_CLASSES = [
  { value: 3, label: 'Hot spot, 99 % confidence' },
  { value: 2, label: 'Hot spot, 95 % confidence' },
  { value: 1, label: 'Hot spot, 90 % confidence' },
  { value: -1, label: 'Cold spot, 90 % confidence' },
  { value: -2, label: 'Cold spot, 95 % confidence' },
  { value: -3, label: 'Cold spot, 99 % confidence' },
] as const;

/**
 * Change classes, hot then cold. Hot spots take reds and an orange for "emerging" (what needs attention first), cold
 * spots blues and a purple; lightness falls with persistence so the order reads without colour, too.
 */
export const CHANGE_CLASSES = [
  { value: 'emerging hotspot', label: 'Emerging hot spot', colour: '#e08214' },
  { value: 'persistent hotspot', label: 'Persistent hot spot', colour: '#b2182b' },
  { value: 'intermittent hotspot', label: 'Intermittent hot spot', colour: '#f4a582' },
  { value: 'former hotspot', label: 'Former hot spot', colour: '#fddbc7' },
  { value: 'emerging coldspot', label: 'Emerging cold spot', colour: '#5e3c99' },
  { value: 'persistent coldspot', label: 'Persistent cold spot', colour: '#2166ac' },
  { value: 'intermittent coldspot', label: 'Intermittent cold spot', colour: '#92c5de' },
  { value: 'former coldspot', label: 'Former cold spot', colour: '#d1e5f0' },
  { value: 'mixed hot/coldspot', label: 'Mixed hot and cold', colour: '#8c8c8c' },
] as const;

const FALLBACK = '#bdbdbd';

/** The fill colour of a cell for the mode: a `match` on the property the API sets for it. */
export function hotspotCellColour(mode: HotspotMode): ColorValue {
  if (mode === 'gi') return ['match', ['get', 'class'], ...GI_CLASSES.flatMap((c) => [c.value, GI_CLASS_COLOURS[String(c.value) as keyof typeof GI_CLASS_COLOURS]]), FALLBACK] as unknown as ColorValue;
  if (mode === 'change') return ['match', ['get', 'category'], ...CHANGE_CLASSES.flatMap((c) => [c.value, c.colour]), FALLBACK] as unknown as ColorValue;
  return ['match', ['get', 'class'], ...DENSITY_5.flatMap((colour, i) => [i + 1, colour]), FALLBACK] as unknown as ColorValue;
}

/** LSOA paint while hot spots are shown: plain white under the outlines, so the cells carry the only colour. */
export const NEUTRAL_LSOA_PAINT = { classByCode: new Map<string, number>(), colours: [] as string[], noDataColour: '#ffffff' };

/** Identifies one top hot spot across crime types: slot (crime type's position) and rank. */
export function spotKey(slot: number, rank: number): string {
  return `${slot}-${rank}`;
}

export function selectedCellFilter(cell: number | null): FilterSpecification {
  return ['==', ['get', 'cell'], cell ?? -1] as FilterSpecification;
}

export function selectedSpotFilter(key: string | null): FilterSpecification {
  return ['==', ['get', 'key'], key ?? ''] as FilterSpecification;
}

export interface TopSpotGroup {
  key: string;
  label: string;
  spots: { rank: number; lon: number; lat: number; count: number; radiusM: number; location: string | null; busiestPointShare: number; snapPointWarning: boolean }[];
}

/** The top hot spots of every crime type as one point collection, each with its slot, rank and key. */
export function spotsCollection(groups: readonly TopSpotGroup[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: groups.flatMap((g, slot) =>
      g.spots
        .filter((s) => s.rank <= MAX_RANK_ICON)
        .map((s) => ({
          type: 'Feature' as const,
          geometry: { type: 'Point' as const, coordinates: [s.lon, s.lat] },
          properties: { key: spotKey(slot, s.rank), slot, rank: s.rank, category: g.label, count: s.count, location: s.location ?? '', snapPointWarning: s.snapPointWarning },
        })),
    ),
  };
}

export interface HotspotLayerOptions {
  mode: HotspotMode;
  cells?: FeatureCollection;
  spots?: FeatureCollection;
  selectedCell: number | null;
  selectedSpot: string | null;
}

/**
 * Hot spot analysis on the map: grid cells (Gi* class, change class or density class), a dashed edge on hot cells
 * whose crimes mostly sit on one published point, and the numbered top hot spots of each crime type.
 */
export function hotspotLayers(opts: HotspotLayerOptions): LayerBundle {
  return {
    sources: [
      { id: SOURCE_IDS.hotspotCells, source: geojsonSource(opts.cells) },
      { id: SOURCE_IDS.hotspotSpots, source: geojsonSource(opts.spots) },
    ],
    layers: [
      {
        id: LAYER_IDS.hotspotCellsFill,
        type: 'fill',
        source: SOURCE_IDS.hotspotCells,
        paint: { 'fill-color': hotspotCellColour(opts.mode), 'fill-opacity': HOTSPOT_CELL_OPACITY },
      },
      {
        id: LAYER_IDS.hotspotCellsSnap,
        type: 'line',
        source: SOURCE_IDS.hotspotCells,
        filter: ['==', ['get', 'snapPointWarning'], true] as FilterSpecification,
        paint: { 'line-color': '#000000', 'line-width': 2, 'line-dasharray': [2, 1.5] },
      },
      {
        id: LAYER_IDS.hotspotCellSelected,
        type: 'line',
        source: SOURCE_IDS.hotspotCells,
        filter: selectedCellFilter(opts.selectedCell),
        paint: { 'line-color': SELECTED_COLOUR, 'line-width': 3.5 },
      },
      {
        id: LAYER_IDS.hotspotSpotSelected,
        type: 'circle',
        source: SOURCE_IDS.hotspotSpots,
        filter: selectedSpotFilter(opts.selectedSpot),
        paint: { 'circle-radius': 21, 'circle-color': 'rgba(255,255,255,0.6)', 'circle-stroke-color': SELECTED_COLOUR, 'circle-stroke-width': 3 },
      },
      {
        id: LAYER_IDS.hotspotSpotsSymbol,
        type: 'symbol',
        source: SOURCE_IDS.hotspotSpots,
        layout: {
          'icon-image': ['concat', 'sp-hotspot-', ['to-string', ['get', 'slot']], '-', ['to-string', ['get', 'rank']]],
          'icon-allow-overlap': true,
          'icon-ignore-placement': true,
          // Lower keys are drawn first, so rank 1 ends up on top where markers crowd together.
          'symbol-sort-key': ['-', 0, ['get', 'rank']],
        },
      },
    ],
  };
}
