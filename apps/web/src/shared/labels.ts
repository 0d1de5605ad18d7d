import type { DatasetSummary, LayerName } from '@safer-places/schemas';
import { ASSET_KINDS, CRIME_CATEGORIES, CRIME_GROUPS } from '@safer-places/schemas';

export const LAYER_LABELS: Record<LayerName, string> = {
  lsoas: 'Crime and deprivation by LSOA',
  cameras: ASSET_KINDS.cameras.label,
  'help-points': ASSET_KINDS['help-points'].label,
  'pspo-zones': ASSET_KINDS['pspo-zones'].label,
  'safer-streets-areas': ASSET_KINDS['safer-streets-areas'].label,
};

/** The category select's options: the two groups first, then the 14 police.uk categories. */
export const CATEGORY_OPTIONS: readonly { value: string; label: string; group: 'Groups' | 'police.uk categories' }[] = [
  { value: 'all-crime', label: CRIME_GROUPS['all-crime'].label, group: 'Groups' },
  { value: 'neighbourhood-crime', label: CRIME_GROUPS['neighbourhood-crime'].label, group: 'Groups' },
  ...CRIME_CATEGORIES.map((c) => ({ value: c.slug, label: c.label, group: 'police.uk categories' as const })),
];

const POPULATION_SOURCE = /population|census|residents/i;
const CENSUS_SOURCE = /census/i;

/**
 * How the side panel describes an LSOA's population: from the dataset's own sources, never a name borrowed from
 * elsewhere. The importer fills each LSOA from the Census 2021 usual residents and falls back to the ONS mid-2020
 * estimates (carried to 2021 LSOAs) only where the Census has no figure, so when both are listed the Census leads
 * and the estimate is named as the fallback; a dataset with only the estimate says so.
 */
export function populationSourceLabel(dataset: Pick<DatasetSummary, 'sources' | 'synthetic'> | null | undefined): string {
  const synthetic = dataset?.synthetic ? ' (synthetic)' : '';
  const population = (dataset?.sources ?? []).filter((s) => POPULATION_SOURCE.test(`${s.name} ${s.publisher}`));
  const census = population.find((s) => CENSUS_SOURCE.test(s.name));
  const other = population.find((s) => !CENSUS_SOURCE.test(s.name));
  if (census && other) return `residents (source: ${census.name}${synthetic}; ${other.name} where the Census has no figure)`;
  if (census) return `residents (source: ${census.name}${synthetic})`;
  if (other) return `residents (source: ${other.name}${synthetic})`;
  // A generated dataset has no census behind it: say so rather than borrow Census 2021's name.
  if (dataset?.synthetic) return 'residents (synthetic, generated)';
  return 'residents (source not recorded for this dataset)';
}

/** OGL v3 attribution wording, when any source is under the Open Government Licence. */
export function oglAttribution(dataset: Pick<DatasetSummary, 'sources'> | null | undefined): string | null {
  const ogl = dataset?.sources.some((s) => /open government licence|\bogl\b/i.test(s.licence));
  return ogl ? 'Contains public sector information licensed under the Open Government Licence v3.0.' : null;
}

/** Boundary sources from ONS also carry the Ordnance Survey notice. */
export function osNotice(dataset: Pick<DatasetSummary, 'sources'> | null | undefined): string | null {
  const ons = dataset?.sources.some((s) => /boundar/i.test(s.name));
  return ons ? 'Contains OS data © Crown copyright and database right.' : null;
}
