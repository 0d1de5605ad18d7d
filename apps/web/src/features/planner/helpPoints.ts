import type { HelpPointSuggestions } from './api';
import { formatInteger } from '../../shared/format';
import { PLANNING_COLOURS, PLANNING_ICONS } from './layers';
import { circle, periodOf, point, rankIcon, sourceOf, type PlanningMapState } from './mapFeatures';

/*
 * Help point suggestions on the map and in the legend, with the circle of the distance around every help point the
 * answer counted. Pure: tested as data.
 */

export function helpPointsMapState(h: HelpPointSuggestions): PlanningMapState {
  const suggestedAreas = h.areas.filter((a) => a.suggest && a.busiestPoint);
  return {
    features: {
      type: 'FeatureCollection',
      features: [
        ...h.helpPoints.reach.map((p, i) => circle(p.coverage, PLANNING_COLOURS.helpReach, `reach-${i}`)),
        ...h.spots.map((s) => point([s.lon, s.lat], { icon: rankIcon(s.suggest ? 0 : 1, s.rank), key: `help-spot-${s.rank}`, order: s.rank, label: s.location ?? '' })),
        ...suggestedAreas.map((a) => point([a.busiestPoint!.lon, a.busiestPoint!.lat], { icon: PLANNING_ICONS.helpSuggested, key: `help-area-${a.id}`, label: a.name })),
      ],
    },
    legend: {
      title: `Help points: VAWG-related hot spots, ${periodOf(h)}`,
      rows: [
        { kind: 'icon', icon: rankIcon(0, 1), label: `Hot spot over ${formatInteger(h.distanceM)} m from a help point`, count: h.spots.filter((s) => s.suggest).length },
        { kind: 'icon', icon: rankIcon(1, 1), label: `Hot spot within ${formatInteger(h.distanceM)} m`, count: h.spots.filter((s) => !s.suggest).length },
        { kind: 'icon', icon: PLANNING_ICONS.helpSuggested, label: 'Suggested in a VAWG-themed area', count: suggestedAreas.length },
        { kind: 'line', colour: PLANNING_COLOURS.helpReach, dashed: true, label: `${formatInteger(h.distanceM)} m around each help point` },
      ],
      note: 'Violence and sexual offences and public order: police.uk has no VAWG category.',
      source: sourceOf(h),
    },
  };
}
