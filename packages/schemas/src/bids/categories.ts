import * as z from 'zod';
import { CRIME_GROUPS, categoryLabel, categorySelectionSchema, type CrimeCategory } from '../crime-categories';

/*
 * The crime types a bid is about: the police.uk categories, the map's two groups and the groups funding rounds use.
 */

/** Groups used by funding rounds besides the map's two ('all-crime', 'neighbourhood-crime'). */
export const BID_CRIME_GROUPS = {
  'acquisitive-crime': {
    label: 'Acquisitive crime',
    categories: [
      'burglary',
      'robbery',
      'theft-from-the-person',
      'vehicle-crime',
      'bicycle-theft',
      'shoplifting',
      'other-theft',
    ] as CrimeCategory[],
    note:
      'Burglary + robbery + theft from the person + vehicle crime + bicycle theft + shoplifting + other theft (police.uk ' +
      'categories; burglary and robbery include business offences).',
  },
  'vawg-related': {
    label: 'VAWG-related (violence and sexual offences, public order)',
    categories: ['violent-crime', 'public-order'] as CrimeCategory[],
    note:
      'police.uk has no VAWG flag and no victim sex: this is every "Violence and sexual offences" and "Public order" ' +
      'crime, a proxy that includes offences against men and boys. Use local (force) VAWG-flagged data where you have it.',
  },
} as const;
export type BidCrimeGroup = keyof typeof BID_CRIME_GROUPS;
export const BID_CRIME_GROUP_NAMES = Object.keys(BID_CRIME_GROUPS) as BidCrimeGroup[];

/** A category choice in bid criteria: a police.uk category, the map's groups, or a bid group. ASB is the
 * 'anti-social-behaviour' category. */
export const bidCategorySelectionSchema = z.union([
  categorySelectionSchema,
  z.enum(BID_CRIME_GROUP_NAMES as [BidCrimeGroup, ...BidCrimeGroup[]]),
]);
export type BidCategorySelection = z.infer<typeof bidCategorySelectionSchema>;

function isBidGroup(s: string): s is BidCrimeGroup {
  return Object.hasOwn(BID_CRIME_GROUPS, s);
}

export function bidCategoriesOf(selection: BidCategorySelection): readonly CrimeCategory[] {
  if (isBidGroup(selection)) return BID_CRIME_GROUPS[selection].categories;
  if (selection === 'all-crime' || selection === 'neighbourhood-crime') return CRIME_GROUPS[selection].categories;
  return [selection];
}

export function bidSelectionLabel(selection: BidCategorySelection): string {
  if (isBidGroup(selection)) return BID_CRIME_GROUPS[selection].label;
  if (selection === 'all-crime' || selection === 'neighbourhood-crime') return CRIME_GROUPS[selection].label;
  return categoryLabel(selection);
}

/** The groups a bid writer picks from first, in this order (the 14 single categories follow in the UI). */
export const BID_CATEGORY_OPTIONS: { value: BidCategorySelection; label: string; note: string }[] = [
  { value: 'neighbourhood-crime', label: CRIME_GROUPS['neighbourhood-crime'].label, note: CRIME_GROUPS['neighbourhood-crime'].note },
  { value: 'acquisitive-crime', label: BID_CRIME_GROUPS['acquisitive-crime'].label, note: BID_CRIME_GROUPS['acquisitive-crime'].note },
  { value: 'anti-social-behaviour', label: 'Anti-social behaviour', note: 'The police.uk anti-social behaviour category.' },
  { value: 'vawg-related', label: BID_CRIME_GROUPS['vawg-related'].label, note: BID_CRIME_GROUPS['vawg-related'].note },
  { value: 'all-crime', label: CRIME_GROUPS['all-crime'].label, note: CRIME_GROUPS['all-crime'].note },
];
