import type { FeatureCollection } from '@safer-places/schemas';
import { CAMERA_TYPES } from '@safer-places/schemas';
import type { ColorValue, FilterSpecification, IconImage, LayerBundle } from '../../map/types';
import { cameraIconId, cameraIconSpec, hotspotRankIconSpec, rasterizeIcon, type IconSpec } from '../../map/icons';
import { HELP_POINT_COLOUR, OKABE_ITO, OUTLINE_DARK } from '../../map/palette';
import { LAYER_IDS, SOURCE_IDS } from '../../map/layers/ids';
import { geojsonSource } from '../../map/layers/common';

/*
 * The planner's map: one source whose features say what they are (`kind`: cell, circle, route or point) and carry
 * their own colour or icon, so a panel tab can draw anything it needs without new layers. Colours are Okabe–Ito (and
 * the hot spot change reds), and every point marker also differs by shape, so nothing rests on colour alone.
 */

export const PLANNING_COLOURS = {
  /** Hot cells no camera covers. */
  gap: OKABE_ITO.vermillion,
  route: '#1a1a1a',
  routeCasing: '#ffffff',
  /** "What if" cameras: black, apart from every cell colour. */
  proposed: '#000000',
  /** New camera sites picked. */
  site: OKABE_ITO.blue,
  /** Re-deployable camera suggestions. */
  rotation: OKABE_ITO.reddishPurple,
  /** As the hot spot change legend. */
  emerging: '#e08214',
  persistent: '#b2182b',
  /** The distance around a help point. */
  helpReach: HELP_POINT_COLOUR,
} as const;

export const PLANNING_CELL_OPACITY = 0.5;
export const PLANNING_CIRCLE_OPACITY = 0.1;

export const PLANNING_ICONS = { start: 'sp-planning-start', helpSuggested: 'sp-planning-help-suggested' } as const;

/** The patrol's start: a yellow square with a dark edge (stops are numbered circles). */
export function planningStartIconSpec(pixelRatio = 1): IconSpec {
  return { shape: 'square', size: 20, pixelRatio, fill: OKABE_ITO.yellow, stroke: OUTLINE_DARK, strokeWidth: 2.5 };
}

/** A suggested help point: a white diamond with the help points' green edge and plus (existing ones are circles). */
export function helpSuggestedIconSpec(pixelRatio = 1): IconSpec {
  return { shape: 'diamond', size: 28, pixelRatio, fill: '#ffffff', stroke: HELP_POINT_COLOUR, strokeWidth: 3, glyph: { kind: 'plus', colour: HELP_POINT_COLOUR } };
}

/** The images only the planner's layers use (the numbered markers and camera symbols come from icons.ts). */
export function planningMapImages(pixelRatio = 1): Map<string, IconImage> {
  return new Map([
    [PLANNING_ICONS.start, rasterizeIcon(planningStartIconSpec(pixelRatio))],
    [PLANNING_ICONS.helpSuggested, rasterizeIcon(helpSuggestedIconSpec(pixelRatio))],
  ]);
}

/** The spec of any icon a planner feature or legend row names, so the legend paints exactly what the map shows. */
export function planningIconSpec(id: string, pixelRatio = 1): IconSpec | null {
  if (id === PLANNING_ICONS.start) return planningStartIconSpec(pixelRatio);
  if (id === PLANNING_ICONS.helpSuggested) return helpSuggestedIconSpec(pixelRatio);
  const rank = /^sp-hotspot-(\d+)-(\d+)$/.exec(id);
  if (rank) return hotspotRankIconSpec(Number(rank[1]), Number(rank[2]), pixelRatio);
  const camera = CAMERA_TYPES.find((t) => cameraIconId(t) === id);
  return camera ? cameraIconSpec(camera, pixelRatio) : null;
}

const kind = (k: string): FilterSpecification => ['==', ['get', 'kind'], k] as FilterSpecification;
const colourOf = (fallback: string): ColorValue => ['coalesce', ['get', 'colour'], fallback] as unknown as ColorValue;

export interface PlanningLayerOptions {
  data?: FeatureCollection;
}

export function planningLayers(opts: PlanningLayerOptions): LayerBundle {
  const source = SOURCE_IDS.planning;
  return {
    sources: [{ id: source, source: geojsonSource(opts.data) }],
    layers: [
      { id: LAYER_IDS.planningCellsFill, type: 'fill', source, filter: kind('cell'), paint: { 'fill-color': colourOf(PLANNING_COLOURS.gap), 'fill-opacity': PLANNING_CELL_OPACITY } },
      { id: LAYER_IDS.planningCellsOutline, type: 'line', source, filter: kind('cell'), paint: { 'line-color': '#5c2100', 'line-width': 0.8, 'line-opacity': 0.7 } },
      { id: LAYER_IDS.planningCirclesFill, type: 'fill', source, filter: kind('circle'), paint: { 'fill-color': colourOf(PLANNING_COLOURS.site), 'fill-opacity': PLANNING_CIRCLE_OPACITY } },
      {
        id: LAYER_IDS.planningCirclesOutline,
        type: 'line',
        source,
        filter: kind('circle'),
        paint: { 'line-color': colourOf(PLANNING_COLOURS.site), 'line-width': 2, 'line-dasharray': [2, 1.5] },
      },
      {
        id: LAYER_IDS.planningRouteCasing,
        type: 'line',
        source,
        filter: kind('route'),
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': PLANNING_COLOURS.routeCasing, 'line-width': 6.5 },
      },
      {
        id: LAYER_IDS.planningRouteLine,
        type: 'line',
        source,
        filter: kind('route'),
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': PLANNING_COLOURS.route, 'line-width': 3 },
      },
      {
        id: LAYER_IDS.planningPointsSymbol,
        type: 'symbol',
        source,
        filter: kind('point'),
        layout: {
          'icon-image': ['get', 'icon'] as never,
          'icon-allow-overlap': true,
          'icon-ignore-placement': true,
          // Lower numbers on top where markers crowd; the start above them all.
          'symbol-sort-key': ['-', 0, ['coalesce', ['get', 'order'], 0]] as never,
        },
      },
    ],
  };
}
