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

/** How the side panel describes population figures: from the dataset's own sources when it names one. */
export function populationSourceLabel(dataset: Pick<DatasetSummary, 'sources' | 'synthetic'> | null | undefined): string {
  const src = dataset?.sources.find((s) => /population|census|residents/i.test(`${s.name} ${s.publisher}`));
  if (src) return `usual residents, ${src.name}${dataset?.synthetic ? ' (synthetic)' : ''}`;
  // A generated dataset has no census behind it: say so rather than borrow Census 2021's name.
  return dataset?.synthetic ? 'usual residents (synthetic, generated)' : 'usual residents, Census 2021';
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
