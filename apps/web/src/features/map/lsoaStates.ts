import type { LsoaStats, Measure } from '@safer-places/schemas';
import { EMPTY_LSOA_VIEW, type LsoaFeatureState, type LsoaView } from '../../map/layers';
import { measureValue, type Choropleth, type MeasureRow } from './choropleth';

export { EMPTY_LSOA_VIEW, featureStateChanges, type FeatureStateChanges, type LsoaFeatureState, type LsoaView } from '../../map/layers';

/*
 * The join of the statistics onto the LSOA vector tiles: one feature state per LSOA of the scope, keyed by its code
 * (the tiles' promoted id). Pure: the map applies the changes (MapView), these functions say what they are.
 */

/** A feature state for every row: its value for the measure and its class (rows the classes left out: no data). */
export function lsoaFeatureStates(measure: Measure, rows: readonly MeasureRow[], choropleth: Pick<Choropleth, 'classByCode'>): Map<string, LsoaFeatureState> {
  const out = new Map<string, LsoaFeatureState>();
  for (const row of rows) {
    out.set(row.code, { value: measureValue(measure, row), class: choropleth.classByCode.get(row.code) ?? -1, inScope: true });
  }
  return out;
}

/**
 * The LSOA layer's view of a statistics answer: its rows are the scope's LSOAs (every one, with 0 where no crime was
 * placed), so they are both the scope filter and the states. A scope that is the whole dataset draws every tile feature.
 */
export function lsoaViewOf(stats: Pick<LsoaStats, 'lsoas' | 'scope'> | null, measure: Measure, choropleth: Pick<Choropleth, 'classByCode'>): LsoaView {
  if (!stats) return EMPTY_LSOA_VIEW;
  const states = lsoaFeatureStates(measure, stats.lsoas, choropleth);
  const scopeCodes = stats.scope?.kind === 'study-area' ? null : [...states.keys()];
  return { scopeCodes, states };
}
