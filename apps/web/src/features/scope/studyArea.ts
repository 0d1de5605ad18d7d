import type { CrimeAccounting, DatasetSummary, StudyArea } from '@safer-places/schemas';
import { formatInteger, formatPercent } from '../../shared/format';

/*
 * The dataset's study area and where every police.uk row went, in plain words with figures (footer "About the data").
 */

/** "Nottinghamshire police force area (8 districts), 684 LSOAs". */
export function studyAreaLine(area: StudyArea): string {
  return `${area.label}, ${formatInteger(area.lsoaCount)} ${area.lsoaCount === 1 ? 'LSOA' : 'LSOAs'}`;
}

/** "Bassetlaw (112 LSOAs), Mansfield (68 LSOAs), …". */
export function studyAreaDistricts(area: StudyArea): string {
  return [...area.districts]
    .sort((a, b) => a.name.localeCompare(b.name, 'en-GB'))
    .map((d) => `${d.name} (${formatInteger(d.lsoaCount)})`)
    .join(', ');
}

/**
 * Where the crime rows went: placed in the study area (what analyses count), outside it, without a location,
 * duplicates skipped, rejected. Zero lines are kept so the sums can be checked.
 */
export function accountingLines(a: CrimeAccounting): { label: string; value: string; key: keyof CrimeAccounting }[] {
  const share = (n: number) => (a.stored > 0 ? ` (${formatPercent(n / a.stored)} of rows kept)` : '');
  return [
    { key: 'rowsRead', label: 'police.uk rows read', value: formatInteger(a.rowsRead) },
    { key: 'placed', label: 'Placed in the study area (counted in every analysis)', value: `${formatInteger(a.placed)}${share(a.placed)}` },
    { key: 'outsideStudyArea', label: 'Outside the study area (kept, not counted)', value: `${formatInteger(a.outsideStudyArea)}${share(a.outsideStudyArea)}` },
    { key: 'noLocation', label: 'No location (kept, not mapped)', value: `${formatInteger(a.noLocation)}${share(a.noLocation)}` },
    { key: 'duplicatesSkipped', label: 'Exact duplicates skipped', value: formatInteger(a.duplicatesSkipped) },
    { key: 'rejected', label: 'Rejected (unreadable rows)', value: formatInteger(a.rejected) },
  ];
}

/** Text as a sentence: trimmed, with a full stop when it has no closing punctuation. */
export function asSentence(text: string): string {
  const t = text.trim();
  return t === '' || /[.!?]$/.test(t) ? t : `${t}.`;
}

/** One line for the footer's summary: "Study area: Nottinghamshire police force area (8 districts)". */
export function studyAreaSummary(dataset: Pick<DatasetSummary, 'studyArea'> | null): string | null {
  return dataset?.studyArea ? `Study area: ${dataset.studyArea.label}` : null;
}
