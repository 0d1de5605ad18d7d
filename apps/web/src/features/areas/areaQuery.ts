import type { CategorySelection } from '@safer-places/schemas';
import { categoriesLabel } from '../../shared/categories';
import { lastNMonths, periodLabel, type MonthRange } from '../../shared/period';

/*
 * What the area panel asks the server for: which crime types (several at once) and which months. The period follows
 * the LSOA controls unless the analyst picks another one in the panel.
 */

export const AREA_PERIOD_CHOICES = [
  { value: 'map', label: 'Same as the map', months: null },
  { value: 'last-1', label: 'Latest month', months: 1 },
  { value: 'last-3', label: 'Last 3 months', months: 3 },
  { value: 'last-12', label: 'Last 12 months', months: 12 },
] as const;
export type AreaPeriodChoice = (typeof AREA_PERIOD_CHOICES)[number]['value'];

export interface AreaQueryState {
  categories: CategorySelection[];
  period: AreaPeriodChoice;
}

export const DEFAULT_AREA_QUERY: AreaQueryState = { categories: ['all-crime'], period: 'map' };

/** The months the panel's figures are for; null when the map's own period is not valid (e.g. a half-filled custom range). */
export function resolveAreaPeriod(
  choice: AreaPeriodChoice,
  mapPeriod: MonthRange | null,
  dataset: { firstMonth: string | null; lastMonth: string | null } | null,
): MonthRange | null {
  if (choice === 'map') return mapPeriod;
  const months = AREA_PERIOD_CHOICES.find((c) => c.value === choice)?.months;
  if (!months || !dataset?.lastMonth) return null;
  return lastNMonths(dataset.lastMonth, months, dataset.firstMonth);
}

/** The period select's option text: "Same as the map (Last 12 months)". */
export function areaPeriodOptionLabel(choice: AreaPeriodChoice, mapPeriodLabel: string | null): string {
  const c = AREA_PERIOD_CHOICES.find((x) => x.value === choice)!;
  return choice === 'map' && mapPeriodLabel ? `${c.label} (${mapPeriodLabel})` : c.label;
}

/** The heading over the figures: "All crime and ASB, Jan 2024 to Dec 2024 (12 months)". */
export function figuresHeading(categories: readonly CategorySelection[], period: MonthRange): string {
  return `${categoriesLabel(categories)}, ${periodLabel(period.from, period.to)}`;
}
