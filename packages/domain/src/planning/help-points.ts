import { distanceMetres, distanceToArea, pointsInPolygon, topHotspots } from '@safer-places/geo';
import type { AreaGeometry, HelpPoint, HelpPointQuery, HelpPointSuggestions, NearestHelpPoint, Position, Principal } from '@safer-places/schemas';
import { AREA_THEME_LABELS, SAFER_STREETS_THEME_LABELS, VAWG_CATEGORIES } from '@safer-places/schemas';
import type { CrimeSelectionRequest } from '../crime-selection';
import { commonLocation, coveragePolygon, mainCrimeTypes, round6, type PlanningContext } from './common';

/** The crimes are always the VAWG-related categories, so a request names none. */
export type HelpPointRequest = Omit<CrimeSelectionRequest, 'categories'> & Pick<HelpPointQuery, 'top' | 'distanceM'>;

/** Drawn-area and Safer Streets themes that mean violence against women and girls / the night-time economy. */
const VAWG_AREA_THEME = 'serious-violence' as const;
const VAWG_SAFER_STREETS_THEME = 'vawg' as const;

function nearest(helpPoints: readonly HelpPoint[], distance: (h: HelpPoint) => number) {
  let best: NearestHelpPoint | null = null;
  for (const h of helpPoints) {
    const d = distance(h);
    if (!best || d < best.distanceM) best = { id: h.id, name: h.name, status: h.status, distanceM: Math.round(d) };
  }
  return best;
}

/**
 * Where a CCTV refuge help point is missing: the top VAWG-related hot spots (violence and sexual offences, public
 * order) and the organisation's VAWG-themed areas (drawn "serious violence, VAWG and domestic abuse" areas, Safer
 * Streets "VAWG in public spaces" areas) further than `distanceM` from every help point, live or planned.
 */
export async function helpPointSuggestions(ctx: PlanningContext, principal: Principal, request: HelpPointRequest): Promise<HelpPointSuggestions> {
  const s = await ctx.selection.select({ principal, ...request, categories: [...VAWG_CATEGORIES] }, 12);
  const [helpPoints, areas, saferStreets] = await Promise.all([
    ctx.selection.scopes.placedItems(principal, s.dataset, 'help-points'),
    ctx.selection.scopes.placedItems(principal, s.dataset, 'areas'),
    ctx.selection.scopes.placedItems(principal, s.dataset, 'safer-streets-areas'),
  ]);
  const spots = topHotspots(s.projected.xy, { n: request.top, indices: s.selected, locations: s.projected.locations, lonLat: s.projected.lonLat }).map((spot) => {
    const near = nearest(helpPoints, (h) => distanceMetres([spot.lon, spot.lat], h.location.coordinates));
    return {
      rank: spot.rank,
      lon: spot.lon,
      lat: spot.lat,
      count: spot.count,
      radiusM: Math.round(spot.radius),
      location: spot.location?.text ?? null,
      ...s.place(spot.lon, spot.lat),
      mainTypes: mainCrimeTypes(s.points, spot.members),
      nearestHelpPoint: near,
      suggest: near === null || near.distanceM > request.distanceM,
      snapPointWarning: spot.snapPointWarning,
    };
  });

  // VAWG-related crimes inside each themed area, and the published point most of them sit on: where a help point would go.
  const wanted = new Uint8Array(s.points.count);
  for (const i of s.selected) wanted[i] = 1;
  const themed: { id: string; kind: 'area' | 'safer-streets-area'; name: string; theme: string; geometry: AreaGeometry }[] = [
    ...areas.filter((a) => a.theme === VAWG_AREA_THEME).map((a) => ({ id: a.id, kind: 'area' as const, name: a.name, theme: AREA_THEME_LABELS[a.theme], geometry: a.geometry })),
    ...saferStreets
      .filter((a) => a.theme === VAWG_SAFER_STREETS_THEME)
      .map((a) => ({ id: a.id, kind: 'safer-streets-area' as const, name: a.name, theme: SAFER_STREETS_THEME_LABELS[a.theme], geometry: a.geometry })),
  ];
  const areaRows = themed.flatMap((a) => {
    const inside = Array.from(pointsInPolygon(s.points.index, a.geometry)).filter((i) => wanted[i]);
    // Suggestions never leave the scope: an area with none of the scope's crimes and no corner in it is not listed.
    const corner = a.geometry.type === 'Polygon' ? a.geometry.coordinates[0]![0]! : a.geometry.coordinates[0]![0]![0]!;
    if (inside.length === 0 && !s.contains(corner[0], corner[1])) return [];
    const tally = new Map<string, { n: number; at: Position }>();
    let busiest: { n: number; at: Position } | null = null;
    for (const i of inside) {
      const at: Position = [s.points.lon[i]!, s.points.lat[i]!];
      const key = `${at[0]},${at[1]}`;
      let t = tally.get(key);
      if (!t) tally.set(key, (t = { n: 0, at }));
      t.n++;
      if (!busiest || t.n > busiest.n) busiest = t;
    }
    const toArea = distanceToArea(a.geometry);
    const near = nearest(helpPoints, (h) => toArea(h.location.coordinates));
    return [{
      id: a.id,
      kind: a.kind,
      name: a.name,
      theme: a.theme,
      crimes: inside.length,
      busiestPoint: busiest
        ? {
            lon: round6(busiest.at[0]),
            lat: round6(busiest.at[1]),
            crimes: busiest.n,
            location: commonLocation(s.projected.locations, inside.filter((i) => s.points.lon[i] === busiest!.at[0] && s.points.lat[i] === busiest!.at[1])),
            ...s.place(busiest.at[0], busiest.at[1]),
          }
        : null,
      nearestHelpPoint: near,
      suggest: near === null || near.distanceM > request.distanceM,
    }];
  });
  return {
    ...s.header,
    distanceM: request.distanceM,
    helpPoints: {
      total: helpPoints.length,
      live: helpPoints.filter((h) => h.status === 'live').length,
      planned: helpPoints.filter((h) => h.status === 'planned').length,
      reach: helpPoints.map((h) => ({
        id: h.id,
        name: h.name,
        status: h.status,
        lon: h.location.coordinates[0],
        lat: h.location.coordinates[1],
        coverage: coveragePolygon(h.location.coordinates, request.distanceM),
      })),
    },
    spots,
    areas: areaRows,
    suggested: spots.filter((x) => x.suggest).length + areaRows.filter((x) => x.suggest).length,
    notes: [
      `VAWG-related crime here means police.uk "Violence and sexual offences" and "Public order": police.uk has no VAWG category, and these include offences against men and in private places. A local survey (e.g. "Walk in her shoes") says more about where women and girls feel unsafe.`,
      `A spot or area is suggested when every refuge help point, live or planned, is more than ${request.distanceM} m away (straight line; 0 m for a help point inside an area).`,
      'Areas: your drawn areas themed "Serious violence, VAWG and domestic abuse" and Safer Streets areas themed "VAWG in public spaces"; the suggested place is the published point inside with the most of these crimes.',
      ...s.notes,
    ],
  };
}
