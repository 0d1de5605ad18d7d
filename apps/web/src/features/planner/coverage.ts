import type { Feature } from '@safer-places/schemas';
import type { CandidateSites, CoverageGaps, ProposedCameraBody } from './api';
import { formatInteger } from '../../shared/format';
import { PLANNING_COLOURS } from './layers';
import { circle, periodOf, point, proposedFeatures, rankIcon, sourceOf, type PlanningMapState } from './mapFeatures';

/*
 * CCTV coverage gaps (with any "what if" cameras) and new camera sites on the map and in the legend, every circle and
 * view the answer's own `coverage` polygon (`proposed` is what the answer was asked with, in the answer's order).
 * Pure: tested as data.
 */

export function gapsMapState(gaps: CoverageGaps, proposed: readonly ProposedCameraBody[]): PlanningMapState {
  const cells = gaps.gapCells.features.map((f) => ({ ...f, properties: { ...f.properties, kind: 'cell', colour: PLANNING_COLOURS.gap, key: `cell-${String(f.properties.cell)}` } }));
  const spots = gaps.spots.map((s) => point([s.lon, s.lat], { icon: rankIcon(s.gap ? 0 : 1, s.rank), key: `spot-${s.rank}`, order: s.rank, label: s.location ?? '' }));
  const figures = gaps.after ?? gaps.before;
  return {
    features: { type: 'FeatureCollection', features: [...(cells as Feature[]), ...proposedFeatures(proposed, gaps.cameras.proposed.map((v) => v.coverage)), ...spots] },
    legend: {
      title: `CCTV coverage gaps: ${gaps.categories.map((c) => c.label).join(', ')}, ${periodOf(gaps)}`,
      rows: [
        { kind: 'fill', colour: PLANNING_COLOURS.gap, label: `Hot cell (${gaps.grid.cellSizeM} m) no camera covers`, count: figures.gapCells },
        { kind: 'icon', icon: rankIcon(0, 1), label: 'Top hot spot, not covered', count: figures.spotGaps },
        { kind: 'icon', icon: rankIcon(1, 1), label: 'Top hot spot, covered', count: figures.spots - figures.spotGaps },
        ...(proposed.length > 0 ? [{ kind: 'line' as const, colour: PLANNING_COLOURS.proposed, dashed: true, label: `Proposed camera's view ("what if")` }] : []),
      ],
      note: 'Turn on CCTV cameras and coverage circles in the layer list to see existing cameras.',
      source: sourceOf(gaps),
    },
  };
}

export function sitesMapState(sites: CandidateSites, proposed: readonly ProposedCameraBody[]): PlanningMapState {
  return {
    features: {
      type: 'FeatureCollection',
      features: [
        ...sites.picks.map((p) => circle(p.coverage, PLANNING_COLOURS.site, `site-${p.rank}`)),
        ...proposedFeatures(proposed, sites.proposed.map((v) => v.coverage)),
        ...sites.picks.map((p) => point([p.lon, p.lat], { icon: rankIcon(1, p.rank), key: `site-${p.rank}`, order: p.rank, label: p.location ?? '' })),
      ],
    },
    legend: {
      title: `New camera sites (${sites.camera.typeLabel}, ${formatInteger(sites.camera.radiusM)} m): ${sites.categories.map((c) => c.label).join(', ')}, ${periodOf(sites)}`,
      rows: [
        { kind: 'icon', icon: rankIcon(1, 1), label: 'Site, numbered in order of pick', count: sites.picks.length },
        { kind: 'line', colour: PLANNING_COLOURS.site, dashed: true, label: `Its ${formatInteger(sites.camera.radiusM)} m coverage` },
      ],
      note: 'Greedy selection: each pick covers the most crimes not yet covered.',
      source: sourceOf(sites),
    },
  };
}
