import {
  HOTSPOT_CATEGORIES,
  HOTSPOT_CLASSIFY_DEFAULTS,
  assignCells,
  bngToLonLat,
  cellCentre,
  cellsToGeoJSON,
  classifyHotspots,
  coveredPoints,
  distanceMetres,
  greedySites,
  monthPeriods,
} from '@safer-places/geo';
import type { CameraDeployment, Principal, RotationQuery, RotationSuggestions } from '@safer-places/schemas';
import type { CrimeSelectionRequest } from '../crime-selection';
import { addMonths, monthOrdinal } from '@safer-places/schemas';
import { ValidationError } from '../errors';
import { commonLocation, coveragePolygon, effectiveRadius, liveCameraViews, mainCrimeTypes, planningGrid, round6, type PlanningContext } from './common';

export type RotationRequest = CrimeSelectionRequest & Pick<RotationQuery, 'cellSize' | 'correction' | 'periods' | 'suggestions'>;

/** A deployment ending within this many days of today is due for a move. */
export const DEPLOYMENT_DUE_DAYS = 14;
/** A hot cell counts as covered by other cameras when they cover at least this share of its recent crimes. */
export const OTHERWISE_COVERED_SHARE = 0.5;
const EMERGING = HOTSPOT_CATEGORIES.indexOf('emerging hotspot');
const PERSISTENT = HOTSPOT_CATEGORIES.indexOf('persistent hotspot');

/**
 * Next sites for each re-deployable camera: cells classed as emerging or persistent hot spots over the period (Gi* in
 * each sub-period, as the change analysis does) that fixed, PTZ and ANPR cameras do not already cover, ranked by
 * greedy coverage of their crimes in the last 12 months, and dealt out to the cameras, the one due to move first
 * choosing first, from its own district where it can (a partnership moves its cameras within its area). Each camera's
 * deployment history comes with it.
 */
export async function rotationSuggestions(ctx: PlanningContext, principal: Principal, request: RotationRequest): Promise<RotationSuggestions> {
  const s = await ctx.selection.select({ principal, ...request }, 'all');
  const [cameras, deployments] = await Promise.all([ctx.selection.scopes.placedItems(principal, s.dataset, 'cameras'), ctx.assets.list(principal, 'camera-deployments')]);
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const soon = new Date(ctx.clock.now().getTime() + DEPLOYMENT_DUE_DAYS * 86_400_000).toISOString().slice(0, 10);
  const movable = cameras.filter((c) => c.type === 'redeployable' && c.status !== 'decommissioned');
  const historyOf = (id: string) => deployments.filter((d) => d.cameraId === id).sort((a, b) => b.startDate.localeCompare(a.startDate) || b.createdAt.localeCompare(a.createdAt));
  const currentOf = (history: CameraDeployment[]) => history.find((d) => d.startDate <= today) ?? null;

  const { grid, mask } = await planningGrid(ctx, s, request.cellSize);
  const first = monthOrdinal(s.from);
  const last = monthOrdinal(s.to);
  if (last - first + 1 < 2) throw new ValidationError('re-deployment suggestions need a period of at least 2 months');
  const cellOfPoint = assignCells(grid, s.projected.xy);
  const ordinal = s.points.months.map(monthOrdinal);
  const monthOfPoint = Int32Array.from(s.points.month, (m) => ordinal[m]!);
  const split = monthPeriods(monthOfPoint, first, last, request.periods ?? HOTSPOT_CLASSIFY_DEFAULTS.periods);
  let classes;
  try {
    classes = classifyHotspots(grid, cellOfPoint, split.periodOfPoint, split.periodCount, { mask, correction: request.correction, indices: s.selected });
  } catch (err) {
    if (err instanceof RangeError) throw new ValidationError(err.message.replace(/^classifyHotspots: /, ''));
    throw err;
  }

  // Crimes of the last 12 months in emerging or persistent cells; those other cameras cover count against the cell.
  const recentFrom = Math.max(first, last - 11);
  const others = liveCameraViews(cameras, (c) => c.type !== 'redeployable');
  const covered = coveredPoints(s.projected.xy, others, { tree: ctx.selection.tree(s.points) });
  const recent = new Map<number, { all: number; covered: number }>();
  for (const i of s.selected) {
    const c = cellOfPoint[i]!;
    if (c < 0 || monthOfPoint[i]! < recentFrom) continue;
    const k = classes.category[c]!;
    if (k !== EMERGING && k !== PERSISTENT) continue;
    let t = recent.get(c);
    if (!t) recent.set(c, (t = { all: 0, covered: 0 }));
    t.all++;
    t.covered += covered[i]!;
  }
  const eligible = [...recent.keys()].filter((c) => recent.get(c)!.covered < OTHERWISE_COVERED_SHARE * recent.get(c)!.all).sort((a, b) => a - b);
  const isEligible = new Uint8Array(classes.category.length);
  for (const c of eligible) isEligible[c] = 1;
  const considered = s.selected.filter((i) => cellOfPoint[i]! >= 0 && isEligible[cellOfPoint[i]!] && monthOfPoint[i]! >= recentFrom && !covered[i]);

  const radii = movable.map((c) => effectiveRadius(c.type, c.coverageRadiusM)).sort((a, b) => a - b);
  const radius = radii.length > 0 ? radii[Math.floor(radii.length / 2)]! : effectiveRadius('redeployable');
  const centres = eligible.map((c) => cellCentre(grid, c));
  const picks =
    movable.length > 0 && eligible.length > 0
      ? greedySites(s.projected.xy, { candidates: Float64Array.from(centres.flat()), radius, k: movable.length * request.suggestions, indices: considered }).picks
      : [];
  const districtAt = (lon: number, lat: number) => s.place(lon, lat).district;
  const sites = picks.map((p) => {
    const cell = eligible[p.candidate]!;
    const [lon, lat] = bngToLonLat(p.x, p.y);
    return {
      cell,
      lon: round6(lon),
      lat: round6(lat),
      ...s.place(lon, lat),
      crimes: p.gain,
      pattern: classes.category[cell] === EMERGING ? ('emerging' as const) : ('persistent' as const),
      location: commonLocation(s.projected.locations, p.members),
      mainTypes: mainCrimeTypes(s.points, p.members),
    };
  });

  // Deal the ranked sites out, round by round: the camera due to move first takes the best remaining site in its own
  // district (or, when its district has none left, the best remaining anywhere), then the next camera, and so on.
  // Rotation never leaves the scope: only the re-deployable cameras standing in it are dealt sites (all in it).
  const ordered = movable
    .filter((camera) => s.contains(camera.location.coordinates[0], camera.location.coordinates[1]))
    .map((camera) => {
      const history = historyOf(camera.id);
      return { camera, history, current: currentOf(history), district: districtAt(camera.location.coordinates[0], camera.location.coordinates[1]) };
    })
    .sort((a, b) => (a.current?.endDate ?? '').localeCompare(b.current?.endDate ?? '') || a.camera.name.localeCompare(b.camera.name, 'en-GB'));
  const dealt = ordered.map(() => [] as (typeof sites)[number][]);
  const taken = new Uint8Array(sites.length);
  for (let round = 0; round < request.suggestions; round++) {
    ordered.forEach((o, n) => {
      let pick = sites.findIndex((site, k) => !taken[k] && o.district !== null && site.district === o.district);
      if (pick < 0) pick = sites.findIndex((_, k) => !taken[k]);
      if (pick < 0) return;
      taken[pick] = 1;
      dealt[n]!.push(sites[pick]!);
    });
  }

  const eligibleCells = cellsToGeoJSON(grid, eligible, (c) => ({
    cell: c,
    pattern: classes.category[c] === EMERGING ? ('emerging' as const) : ('persistent' as const),
    crimes: recent.get(c)!.all,
  }));
  return {
    ...s.header,
    grid: { shape: grid.shape, cellSizeM: grid.cellSize, correction: request.correction, periods: classes.periodCount, recentPeriods: classes.recentPeriods },
    recent: { from: addMonths(s.to, -(last - recentFrom)), to: s.to },
    radiusM: radius,
    today,
    cameras: ordered.map(({ camera, history, current, district }, n) => ({
      id: camera.id,
      name: camera.name,
      district,
      status: camera.status,
      version: camera.version,
      lon: camera.location.coordinates[0],
      lat: camera.location.coordinates[1],
      radiusM: effectiveRadius(camera.type, camera.coverageRadiusM),
      current: current
        ? { id: current.id, siteName: current.siteName, startDate: current.startDate, endDate: current.endDate, due: current.endDate <= soon, overdue: current.endDate < today }
        : null,
      history: history.slice(0, 10).map((d) => ({ id: d.id, version: d.version, siteName: d.siteName, startDate: d.startDate, endDate: d.endDate, lon: d.location.coordinates[0], lat: d.location.coordinates[1], notes: d.notes ?? null })),
      suggestions: dealt[n]!.map((site, j) => ({
        choice: j + 1,
        ...site,
        sameDistrict: district !== null && site.district === district,
        distanceM: Math.round(distanceMetres(camera.location.coordinates, [site.lon, site.lat])),
        coverage: coveragePolygon([site.lon, site.lat], radius),
      })),
    })),
    eligibleCells,
    sites: sites.length,
    notes: [
      movable.length === 0
        ? 'Your organisation has no re-deployable cameras: add one (type "Re-deployable") to get suggestions.'
        : `Candidate sites: ${grid.cellSize} m cells classed as emerging or persistent hot spots over ${classes.periodCount} sub-periods (Gi* in each, p < 0.05 after correction) where fixed, PTZ and ANPR cameras cover under ${Math.round(OTHERWISE_COVERED_SHARE * 100)} % of the last 12 months' crimes.`,
      `Sites are ranked greedily by the last 12 months' crimes a ${radius} m camera there would newly cover, then dealt out: the camera whose deployment ends first chooses first, from its own district where there is a site left. Distances are straight lines.`,
      'A deployment usually lasts about three months; record each move so the history and the next due date stay right.',
      ...(movable.length > ordered.length
        ? [`${movable.length - ordered.length} re-deployable camera(s) stand outside ${s.scope.summary.label} and are not dealt sites here; choose their own area to plan them.`]
        : []),
      ...s.notes,
    ],
  };
}
