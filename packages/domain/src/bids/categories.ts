import type { BidCategorySelection, SaferStreetsArea } from '@safer-places/schemas';
import { BID_CRIME_GROUPS, CATEGORY_INDEX, CRIME_CATEGORIES, CRIME_GROUPS, bidCategoriesOf } from '@safer-places/schemas';

/** The crime types a Safer Streets area's theme stands for, when an evaluation names none. */
export const THEME_CATEGORIES: Record<SaferStreetsArea['theme'], BidCategorySelection[]> = {
  acquisitive: ['acquisitive-crime'],
  vawg: ['vawg-related'],
  asb: ['anti-social-behaviour'],
  neighbourhood: ['neighbourhood-crime'],
};

/** One flag per crime category (CRIME_CATEGORIES order): 1 when a chosen type or group includes it. */
export function categoryMask(categories: readonly BidCategorySelection[]): Uint8Array {
  const wanted = new Uint8Array(CRIME_CATEGORIES.length);
  for (const c of categories) for (const slug of bidCategoriesOf(c)) wanted[CATEGORY_INDEX[slug]] = 1;
  return wanted;
}

/** The sum of a row of category counts over the wanted categories; 0 for a month without a row. */
export function sumWanted(row: number[] | undefined, wanted: Uint8Array): number {
  if (!row) return 0;
  let n = 0;
  for (let c = 0; c < row.length; c++) if (wanted[c]) n += row[c]!;
  return n;
}

/** What each chosen crime group counts, for the notes of a result. */
export function categoryNotes(categories: readonly BidCategorySelection[]): string[] {
  const notes: string[] = [];
  if (categories.includes('neighbourhood-crime')) notes.push(CRIME_GROUPS['neighbourhood-crime'].note);
  if (categories.includes('acquisitive-crime')) notes.push(BID_CRIME_GROUPS['acquisitive-crime'].note);
  if (categories.includes('vawg-related')) notes.push(BID_CRIME_GROUPS['vawg-related'].note);
  return notes;
}
