import type { BBox, Position } from '@safer-places/schemas';
import type { DosageReport } from './api';
import { monthLabelLong } from '../../shared/format';
import { PLANNING_COLOURS } from './layers';
import { circle, point, rankIcon, sourceOf, type PlanningMapState } from './mapFeatures';

/*
 * The dosage log's patrolled spots on the map and in the legend. Pure: tested as data.
 */

export function dosageMapState(report: DosageReport): PlanningMapState {
  return {
    features: {
      type: 'FeatureCollection',
      features: report.spots.flatMap((s, i) => [
        circle(s.coverage, PLANNING_COLOURS.route, `dosage-${i}`),
        point([s.lon, s.lat], { icon: rankIcon(0, i + 1), key: `dosage-${i + 1}`, order: i + 1, label: s.spotName }),
      ]),
    },
    legend: report.spots.length
      ? {
          title: `Patrolled spots, ${monthLabelLong(report.month)}`,
          rows: [
            { kind: 'icon', icon: rankIcon(0, 1), label: 'Patrolled spot, numbered as in the report', count: report.spots.length },
            { kind: 'line', colour: PLANNING_COLOURS.route, dashed: true, label: 'Its radius, where crimes are counted' },
          ],
          source: sourceOf(report),
        }
      : null,
  };
}

/** The box around some points, with a margin (degrees of longitude; a little less of latitude). */
export function pointsBounds(points: readonly Position[], marginDeg = 0.006): BBox | null {
  if (points.length === 0) return null;
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  return [Math.min(...lons) - marginDeg, Math.min(...lats) - marginDeg * 0.6, Math.max(...lons) + marginDeg, Math.max(...lats) + marginDeg * 0.6];
}
