import type { Feature } from '@safer-places/schemas';
import type { RotationSuggestions } from './api';
import { formatInteger } from '../../shared/format';
import { periodLabel } from '../../shared/period';
import { PLANNING_COLOURS } from './layers';
import { circle, point, rankIcon, sourceOf, type PlanningMapState } from './mapFeatures';

/*
 * Re-deployable cameras' next sites on the map and in the legend. Pure: tested as data.
 */

export function rotationMapState(rotation: RotationSuggestions): PlanningMapState {
  const colour = (pattern: unknown) => (pattern === 'emerging' ? PLANNING_COLOURS.emerging : PLANNING_COLOURS.persistent);
  const numbered = rotationSiteNumbers(rotation);
  const suggestions = rotation.cameras.flatMap((c) => c.suggestions.map((s) => ({ s, n: numbered.get(s.cell)! })));
  const cells = rotation.eligibleCells.features.map((f) => ({ ...f, properties: { ...f.properties, kind: 'cell', colour: colour(f.properties.pattern), key: `cell-${String(f.properties.cell)}` } }));
  const count = (p: string) => rotation.eligibleCells.features.filter((f) => f.properties.pattern === p).length;
  return {
    features: {
      type: 'FeatureCollection',
      features: [
        ...(cells as Feature[]),
        ...suggestions.map(({ s, n }) => circle(s.coverage, PLANNING_COLOURS.rotation, `rotation-${n}`)),
        ...suggestions.map(({ s, n }) => point([s.lon, s.lat], { icon: rankIcon(2, n), key: `rotation-${n}`, order: n, label: s.location ?? '' })),
      ],
    },
    legend: {
      title: `Re-deployable cameras: next sites, ${rotation.categories.map((c) => c.label).join(', ')}`,
      rows: [
        { kind: 'fill', colour: PLANNING_COLOURS.emerging, label: 'Emerging hot spot cell, not otherwise covered', count: count('emerging') },
        { kind: 'fill', colour: PLANNING_COLOURS.persistent, label: 'Persistent hot spot cell, not otherwise covered', count: count('persistent') },
        { kind: 'icon', icon: rankIcon(2, 1), label: 'Suggested site, numbered', count: suggestions.length },
        { kind: 'line', colour: PLANNING_COLOURS.rotation, dashed: true, label: `Coverage there (${formatInteger(rotation.radiusM)} m)` },
      ],
      note: `Cells of ${rotation.grid.cellSizeM} m over ${rotation.grid.periods} sub-periods; crimes counted ${periodLabel(rotation.recent.from, rotation.recent.to)}.`,
      source: sourceOf(rotation),
    },
  };
}

/** Site numbers across all cameras, in the server's ranking order (the order the sites were dealt out). */
export function rotationSiteNumbers(rotation: RotationSuggestions): Map<number, number> {
  const all = rotation.cameras.flatMap((c) => c.suggestions).sort((a, b) => b.crimes - a.crimes || a.cell - b.cell);
  return new Map(all.map((s, i) => [s.cell, i + 1]));
}
