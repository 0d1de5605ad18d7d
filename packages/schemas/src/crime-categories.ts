import * as z from 'zod';

/** The 14 police.uk street-crime categories: slug (as in the police.uk API) and the CSV label. */
export const CRIME_CATEGORIES = [
  { slug: 'anti-social-behaviour', label: 'Anti-social behaviour' },
  { slug: 'bicycle-theft', label: 'Bicycle theft' },
  { slug: 'burglary', label: 'Burglary' },
  { slug: 'criminal-damage-arson', label: 'Criminal damage and arson' },
  { slug: 'drugs', label: 'Drugs' },
  { slug: 'other-theft', label: 'Other theft' },
  { slug: 'possession-of-weapons', label: 'Possession of weapons' },
  { slug: 'public-order', label: 'Public order' },
  { slug: 'robbery', label: 'Robbery' },
  { slug: 'shoplifting', label: 'Shoplifting' },
  { slug: 'theft-from-the-person', label: 'Theft from the person' },
  { slug: 'vehicle-crime', label: 'Vehicle crime' },
  { slug: 'violent-crime', label: 'Violence and sexual offences' },
  { slug: 'other-crime', label: 'Other crime' },
] as const;

export type CrimeCategory = (typeof CRIME_CATEGORIES)[number]['slug'];
export const CRIME_CATEGORY_SLUGS = CRIME_CATEGORIES.map((c) => c.slug) as [CrimeCategory, ...CrimeCategory[]];
export const crimeCategorySchema = z.enum(CRIME_CATEGORY_SLUGS);

/** Index of each category in packed count arrays; the order above is the storage order and must never change. */
export const CATEGORY_INDEX: Readonly<Record<CrimeCategory, number>> = Object.fromEntries(
  CRIME_CATEGORIES.map((c, i) => [c.slug, i]),
) as Record<CrimeCategory, number>;

const LABEL_TO_SLUG = new Map<string, CrimeCategory>(CRIME_CATEGORIES.map((c) => [c.label.toLowerCase(), c.slug]));

/** Maps a police.uk CSV "Crime type" label to its slug; undefined for an unknown label. */
export function categoryFromLabel(label: string): CrimeCategory | undefined {
  return LABEL_TO_SLUG.get(label.trim().toLowerCase());
}

export function categoryLabel(slug: CrimeCategory): string {
  return CRIME_CATEGORIES[CATEGORY_INDEX[slug]]!.label;
}

/** Groups a user can choose besides single categories. */
export const CRIME_GROUPS = {
  'all-crime': {
    label: 'All crime and ASB',
    categories: CRIME_CATEGORY_SLUGS,
    note: 'All 14 police.uk categories, anti-social behaviour included.',
  },
  'neighbourhood-crime': {
    label: 'Neighbourhood crime',
    categories: ['burglary', 'robbery', 'theft-from-the-person', 'vehicle-crime'] as CrimeCategory[],
    note:
      'Burglary + robbery + theft from the person + vehicle crime. police.uk burglary and robbery include business ' +
      'offences, so this over-counts the Home Office neighbourhood-crime measure (domestic burglary, personal robbery).',
  },
} as const;

export type CrimeGroup = keyof typeof CRIME_GROUPS;
export const categorySelectionSchema = z.union([z.enum(['all-crime', 'neighbourhood-crime']), crimeCategorySchema]);
export type CategorySelection = z.infer<typeof categorySelectionSchema>;

export function categoriesOf(selection: CategorySelection): readonly CrimeCategory[] {
  if (selection === 'all-crime' || selection === 'neighbourhood-crime') return CRIME_GROUPS[selection].categories;
  return [selection];
}

export function selectionLabel(selection: CategorySelection): string {
  if (selection === 'all-crime' || selection === 'neighbourhood-crime') return CRIME_GROUPS[selection].label;
  return categoryLabel(selection);
}

/** `categories=burglary,robbery` on the query string. */
export const categoryList = z
  .string()
  .transform((s) => s.split(',').map((c) => c.trim()).filter(Boolean))
  .pipe(z.array(categorySelectionSchema).max(16, 'at most 16 categories'));
