import { CRIME_GROUPS, selectionLabel, type CategorySelection } from '@safer-places/schemas';

/* Several crime types at once: what every multi-select of crime types (area, hot spot, planner panels) shares. */

/**
 * Ticks or unticks one crime type. The list never ends up empty (unticking the last one leaves "All crime and ASB"),
 * and the order follows the option list so the same choice always reads the same.
 */
export function toggleCategory(
  current: readonly CategorySelection[],
  value: CategorySelection,
  on: boolean,
  order: readonly string[],
): CategorySelection[] {
  const set = new Set(current);
  if (on) set.add(value);
  else set.delete(value);
  if (set.size === 0) set.add('all-crime');
  return order.filter((o) => set.has(o as CategorySelection)) as CategorySelection[];
}

/** "All crime and ASB", "Burglary and Robbery", "Burglary, Robbery and Drugs". */
export function categoriesLabel(categories: readonly CategorySelection[]): string {
  const labels = categories.map((c) => selectionLabel(c));
  if (labels.length <= 1) return labels[0] ?? CRIME_GROUPS['all-crime'].label;
  return `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}
