import { LSOA_TILE_LAYER, LSOA_TILE_MAX_ZOOM, LSOA_TILE_MIN_ZOOM } from '@safer-places/schemas';
import type { ColorValue, FilterSpecification, LayerBundle, SourceSpecification } from '../types';
import { NO_DATA_COLOUR, SELECTED_COLOUR } from '../palette';
import { LAYER_IDS, SOURCE_IDS } from './ids';
import { selectedFilter, visibility } from './common';

/*
 * The LSOA layer: drawn from the API's vector tiles (every LSOA of the dataset at every zoom, no feature cap) and
 * coloured by feature state. The tiles carry only what identifies an LSOA (`code`, `name`, `districtCode`,
 * `districtName`); the figures are joined onto each feature by its code (`promoteId`) with
 * `map.setFeatureState({ source, sourceLayer, id: code }, { value, class, inScope })` from the statistics answer, so
 * a new period, category or measure changes states and one small paint expression, never the tiles.
 */

/** The source layer inside each tile. */
export const LSOA_SOURCE_LAYER = LSOA_TILE_LAYER;

/** The feature property the map uses as each LSOA's id for feature state. */
export const LSOA_ID_PROPERTY = 'code';

/** What the LSOA layer's paint reads for one LSOA. */
export interface LsoaFeatureState {
  /** The measure's value (crimes, rate or IMD decile); null: no data. */
  value: number | null;
  /** The choropleth class (index into the colours); -1: no data. */
  class: number;
  /** Whether the LSOA is in the scope the figures are for. */
  inScope: boolean;
}

/** The LSOA layer's data: which LSOAs the scope holds and the state of each. */
export interface LsoaView {
  /** The scope's LSOA codes, drawn and outlined; null: every LSOA of the tiles (the scope is the whole dataset). */
  scopeCodes: readonly string[] | null;
  states: ReadonlyMap<string, LsoaFeatureState>;
}

/** Nothing known yet: no LSOA drawn. */
export const EMPTY_LSOA_VIEW: LsoaView = { scopeCodes: [], states: new Map() };

export interface FeatureStateChanges {
  /** States to set (new LSOAs, or a value or class that changed). */
  set: [string, LsoaFeatureState][];
  /** LSOAs whose state must be removed (no longer in the answer). */
  remove: string[];
}

const sameState = (a: LsoaFeatureState, b: LsoaFeatureState) => a.value === b.value && a.class === b.class && a.inScope === b.inScope;

/** What turns the states on the map (`prev`) into `next`: only what changed is set, what is gone is removed. */
export function featureStateChanges(prev: ReadonlyMap<string, LsoaFeatureState>, next: ReadonlyMap<string, LsoaFeatureState>): FeatureStateChanges {
  const set: [string, LsoaFeatureState][] = [];
  const remove: string[] = [];
  for (const [code, state] of next) {
    const old = prev.get(code);
    if (!old || !sameState(old, state)) set.push([code, state]);
  }
  for (const code of prev.keys()) if (!next.has(code)) remove.push(code);
  return { set, remove };
}

export interface ChoroplethPaint {
  /** LSOA code → class index into colours (the feature states carry the same classes; the paint needs the colours). */
  classByCode: ReadonlyMap<string, number>;
  colours: readonly string[];
  noDataColour?: string;
}

/**
 * The vector source of the LSOA layer: the dataset's tile URL template (absolute: the map fetches tiles from a worker),
 * with the LSOA code promoted to the feature id so feature state can be keyed by code. Without a URL (no dataset yet)
 * the source has no tiles and draws nothing.
 */
export function lsoaVectorSource(tileUrl: string | null | undefined): SourceSpecification {
  return {
    type: 'vector',
    tiles: tileUrl ? [tileUrl] : [],
    minzoom: LSOA_TILE_MIN_ZOOM,
    maxzoom: LSOA_TILE_MAX_ZOOM,
    promoteId: LSOA_ID_PROPERTY,
  };
}

/** The class a feature state holds; an LSOA with no state (or no data) reads -1. */
const STATE_CLASS = ['coalesce', ['feature-state', 'class'], -1];

/**
 * fill-color for the LSOA layer: a `match` on the feature state's class (0 … colours − 1), anything else (no data, or
 * no state yet) in the no-data colour. With no colours (plain shading) it is the no-data colour itself, a plain string.
 */
export function choroplethFillColor(paint: ChoroplethPaint): ColorValue {
  const noData = paint.noDataColour ?? NO_DATA_COLOUR;
  if (paint.colours.length === 0) return noData;
  const expr: unknown[] = ['match', STATE_CLASS];
  paint.colours.forEach((colour, i) => expr.push(i, colour));
  expr.push(noData);
  return expr as unknown as ColorValue;
}

/**
 * Which LSOAs of the tiles the layer draws: the scope's codes (a `match`, a hash look-up per feature however many
 * codes), every one for `null` (the scope is the whole dataset), none for an empty list. Filters cannot read feature
 * state, so the scope is a filter on the code itself; LSOAs outside it are not drawn, outlined or clickable.
 */
export function lsoaScopeFilter(codes: readonly string[] | null): FilterSpecification | null {
  if (codes === null) return null;
  if (codes.length === 0) return selectedFilter('code', null);
  return ['match', ['get', 'code'], [...codes].sort(), true, false] as unknown as FilterSpecification;
}

/** The selected outline: the selected LSOA within the scope. */
export function lsoaSelectedFilter(selectedCode: string | null, scopeFilter: FilterSpecification | null): FilterSpecification {
  const sel = selectedFilter('code', selectedCode);
  return scopeFilter ? (['all', scopeFilter, sel] as unknown as FilterSpecification) : sel;
}

/** Each LSOA map layer's filter for a scope and selection (the fill and outline: the scope; the highlight: both). */
export function lsoaFilters(scopeCodes: readonly string[] | null, selectedCode: string | null): Map<string, FilterSpecification | null> {
  const scope = lsoaScopeFilter(scopeCodes);
  return new Map<string, FilterSpecification | null>([
    [LAYER_IDS.lsoaFill, scope],
    [LAYER_IDS.lsoaOutline, scope],
    [LAYER_IDS.lsoaSelected, lsoaSelectedFilter(selectedCode, scope)],
  ]);
}

export const LSOA_FILL_OPACITY = 0.72;
/** The LSOA outlines start at this zoom (about 600 m a pixel at England's latitudes): under it they blur into the fill. */
export const LSOA_OUTLINE_MIN_ZOOM = 8;

export function lsoaLayers(opts: {
  visible: boolean;
  choropleth: ChoroplethPaint;
  selectedCode: string | null;
  /** The dataset's tile URL template (see `lsoaTileUrl`); null until a dataset is known. */
  tileUrl?: string | null;
  /** The scope's LSOA codes (null: every LSOA of the tiles); undefined until the scope's figures are known (none). */
  scopeCodes?: readonly string[] | null;
}): LayerBundle {
  const v = visibility(opts.visible);
  const filters = lsoaFilters(opts.scopeCodes === undefined ? [] : opts.scopeCodes, opts.selectedCode);
  const filterOf = (id: string) => {
    const f = filters.get(id);
    return f ? { filter: f } : {};
  };
  const base = { source: SOURCE_IDS.lsoas, 'source-layer': LSOA_SOURCE_LAYER } as const;
  return {
    sources: [{ id: SOURCE_IDS.lsoas, source: lsoaVectorSource(opts.tileUrl) }],
    layers: [
      {
        id: LAYER_IDS.lsoaFill,
        type: 'fill',
        ...base,
        ...filterOf(LAYER_IDS.lsoaFill),
        layout: { visibility: v },
        paint: { 'fill-color': choroplethFillColor(opts.choropleth), 'fill-opacity': LSOA_FILL_OPACITY },
      },
      {
        id: LAYER_IDS.lsoaOutline,
        type: 'line',
        ...base,
        // Below this zoom an LSOA is a few pixels across and its 0.3 px outline adds nothing one can see, while drawing
        // England's 33,755 of them is much of a frame's work in software rendering (docs/operations/scale.md).
        minzoom: LSOA_OUTLINE_MIN_ZOOM,
        ...filterOf(LAYER_IDS.lsoaOutline),
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
        ...base,
        ...filterOf(LAYER_IDS.lsoaSelected),
        layout: { visibility: v, 'line-join': 'round' },
        paint: { 'line-color': SELECTED_COLOUR, 'line-width': 3.5 },
      },
    ],
  };
}
