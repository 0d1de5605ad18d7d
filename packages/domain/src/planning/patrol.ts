import { lonLatToBng, orderRoute, topHotspots } from '@safer-places/geo';
import type { BBox, PatrolPlan, PatrolPlanQuery, PatrolStop } from '@safer-places/schemas';
import type { CrimeSelectionRequest } from '../crime-selection';
import { ValidationError } from '../errors';
import { spotLsoa } from '../hotspots';
import { commonLocation, mainCrimeTypes, round1, round6, type PlanningContext } from './common';

export type PatrolPlanRequest = CrimeSelectionRequest & Pick<PatrolPlanQuery, 'top' | 'start' | 'bbox' | 'minutes' | 'perDay' | 'speedKmh' | 'roundTrip'>;

export const ROUTE_METHOD =
  'Visit order: nearest-neighbour tours (from the start, and via each spot first), improved by 2-opt (swapping two legs whenever that shortens the route) until nothing shortens it; the shortest is kept. A heuristic: usually the shortest order, not guaranteed.';
export const STRAIGHT_LINE_NOTE = 'Distances are straight lines between spots ("as the crow flies") in metres; the walk or drive on streets is longer.';

/**
 * A hot-spot patrol: the top-N patrol hot spots (≤ 150 m radius, ≥ 500 m apart) of the chosen crimes and period,
 * in a short visiting order from the start, with the straight-line distance and the time the dosage takes.
 */
export async function patrolPlan(ctx: PlanningContext, request: PatrolPlanRequest): Promise<PatrolPlan> {
  const s = await ctx.selection.select(request, 12);
  const box = request.bbox;
  const selected = box
    ? s.selected.filter((i) => s.points.lon[i]! >= box[0] && s.points.lon[i]! <= box[2] && s.points.lat[i]! >= box[1] && s.points.lat[i]! <= box[3])
    : s.selected;
  const spots = topHotspots(s.projected.xy, { n: request.top, indices: selected, locations: s.projected.locations, lonLat: s.projected.lonLat });
  if (spots.length === 0) throw new ValidationError('no crimes of the chosen types in the chosen period, so there are no hot spots to patrol');
  const lsoas = await ctx.selection.reference.lsoas(s.dataset);
  const start = lonLatToBng(request.start[0], request.start[1]);
  const route = orderRoute(start, Float64Array.from(spots.flatMap((p) => [p.x, p.y])), { roundTrip: request.roundTrip });

  let cumulative = 0;
  const stops: PatrolStop[] = route.order.map((k, v) => {
    const spot = spots[k]!;
    cumulative += route.legs[v]!;
    return {
      visit: v + 1,
      rank: spot.rank,
      lon: spot.lon,
      lat: spot.lat,
      count: spot.count,
      radiusM: Math.round(spot.radius),
      location: spot.location?.text ?? commonLocation(s.projected.locations, spot.members),
      ...s.place(spot.lon, spot.lat),
      ...spotLsoa(s.points, s.projected.lonLat, spot, lsoas),
      mainTypes: mainCrimeTypes(s.points, spot.members),
      legM: Math.round(route.legs[v]!),
      cumulativeM: Math.round(cumulative),
      busiestPointShare: Math.round(spot.topCoordinate.share * 1000) / 1000,
      snapPointWarning: spot.snapPointWarning,
    };
  });
  const returnLegM = request.roundTrip ? Math.round(route.legs[route.legs.length - 1] ?? 0) : null;
  const totalM = Math.round(route.length);
  const onSpots = stops.length * request.minutes;
  const travel = Math.round((route.length / 1000 / request.speedKmh) * 60);
  const perPatrol = onSpots + travel;
  const notes = [
    ROUTE_METHOD,
    STRAIGHT_LINE_NOTE,
    ...(box ? ['Only crimes inside the chosen area (the map view when it was chosen) count.'] : []),
    'Hot spots: the published crime location whose 150 m circle holds the most crimes, at least 500 m from any higher-ranked spot. Locations are police.uk anonymised map points, never exact addresses.',
    ...(stops.some((x) => x.snapPointWarning) ? ['Where most of a spot\'s crimes sit on one published point, that may be one address (a shop, a station) rather than a street problem.'] : []),
    ...s.notes,
  ];
  return {
    ...s.header,
    crimes: selected.length,
    area: box ? { bbox: box.map(round6) as BBox } : null,
    start: { lon: round6(request.start[0]), lat: round6(request.start[1]) },
    roundTrip: request.roundTrip,
    stops,
    distance: {
      totalM,
      returnLegM,
      nearestNeighbourM: Math.round(route.nearestNeighbourLength),
      savedM: Math.round(route.nearestNeighbourLength - route.length),
      method: 'nearest neighbour + 2-opt',
      straightLine: true,
    },
    dosage: {
      minutesPerVisit: request.minutes,
      patrolsPerDay: request.perDay,
      speedKmh: request.speedKmh,
      minutesOnSpotsPerPatrol: onSpots,
      travelMinutesPerPatrol: travel,
      minutesPerPatrol: perPatrol,
      hoursPerDay: round1((perPatrol * request.perDay) / 60),
      hoursPerWeek: round1((perPatrol * request.perDay * 7) / 60),
      minutesPerSpotPerDay: request.minutes * request.perDay,
    },
    notes,
  };
}
