import { bngToLonLat, cellCentre, coveredPoints, greedySites, lonLatToBng } from '@safer-places/geo';
import type { CandidateSites, Position, Principal, SitesRequest } from '@safer-places/schemas';
import type { CrimeSelectionRequest } from '../crime-selection';
import { CAMERA_TYPE_LABELS } from '@safer-places/schemas';
import { ValidationError } from '../errors';
import {
  commonLocation,
  coveragePolygon,
  effectiveRadius,
  hotCells,
  liveCameraViews,
  mainCrimeTypes,
  planningGrid,
  proposedCameraViews,
  proposedView,
  round6,
  share,
  type PlanningContext,
} from './common';
import { COVERAGE_NOTE } from './coverage';

export type CandidateSitesRequest = CrimeSelectionRequest &
  Pick<SitesRequest, 'cellSize' | 'correction' | 'proposed' | 'k' | 'cameraType' | 'coverageRadiusM' | 'candidates'>;

export const GREEDY_NOTE =
  'Greedy selection: each pick is the candidate site that newly covers the most crimes not covered by existing cameras or earlier picks; its marginal gain never exceeds the one before it. Greedy is guaranteed at least 63 % (1 − 1/e) of the best possible total for the same number of cameras, and is often optimal, but not always.';

/**
 * Where k new cameras would cover the most crimes of the chosen types and period that no live camera covers: greedy
 * maximum coverage over candidate sites (the user's feasible sites, or the hot-cell centroids), with each pick's
 * marginal gain and the coverage before and after it.
 */
export async function candidateSites(ctx: PlanningContext, principal: Principal, request: CandidateSitesRequest): Promise<CandidateSites> {
  const s = await ctx.selection.select({ principal, ...request }, 12);
  const radius = effectiveRadius(request.cameraType, request.coverageRadiusM);
  const proposed = proposedCameraViews(request.proposed);
  const existing = [...liveCameraViews(await ctx.selection.scopes.placedItems(principal, s.dataset, 'cameras')), ...proposed];
  const covered = coveredPoints(s.projected.xy, existing, { tree: ctx.selection.tree(s.points) });

  let candidateLonLat: Position[];
  let candidateCells: number[] | null = null;
  let candidates: Float64Array;
  let cellSizeM: number | null = null;
  let outsideScope = 0;
  if (request.candidates) {
    // Sites are suggested only inside the scope: feasible sites outside it are set aside and counted.
    candidateLonLat = request.candidates.filter((p) => s.contains(p[0], p[1]));
    outsideScope = request.candidates.length - candidateLonLat.length;
    if (candidateLonLat.length === 0) throw new ValidationError(`none of the ${request.candidates.length} candidate sites lies in ${s.scope.summary.label}: choose sites inside the scope, or another scope`);
    candidates = Float64Array.from(candidateLonLat.flatMap((p) => lonLatToBng(p[0], p[1])));
  } else {
    const { grid, mask } = await planningGrid(ctx, s, request.cellSize);
    cellSizeM = grid.cellSize;
    candidateCells = hotCells(s, grid, mask, request.correction).hot;
    if (candidateCells.length === 0) throw new ValidationError('no significant hot cells for the chosen crimes and period, so there are no default candidate sites: upload your own list of feasible sites');
    const xy = candidateCells.flatMap((c) => cellCentre(grid, c));
    candidates = Float64Array.from(xy);
    candidateLonLat = candidateCells.map((_, k) => bngToLonLat(xy[2 * k]!, xy[2 * k + 1]!));
  }
  const result = greedySites(s.projected.xy, { candidates, radius, k: request.k, indices: s.selected, covered });
  const total = result.total;
  const picks = result.picks.map((p) => {
    const [lon, lat] = candidateLonLat[p.candidate]!;
    return {
      rank: p.rank,
      candidate: p.candidate,
      cell: candidateCells ? candidateCells[p.candidate]! : null,
      lon: round6(lon),
      lat: round6(lat),
      radiusM: radius,
      gain: p.gain,
      coveredBefore: p.coveredBefore,
      coveredAfter: p.coveredAfter,
      shareBefore: share(p.coveredBefore, total),
      shareAfter: share(p.coveredAfter, total),
      location: commonLocation(s.projected.locations, p.members),
      ...s.place(lon, lat),
      mainTypes: mainCrimeTypes(s.points, p.members),
      coverage: coveragePolygon([round6(lon), round6(lat)], radius),
    };
  });
  const last = picks[picks.length - 1];
  return {
    ...s.header,
    camera: { type: request.cameraType, typeLabel: CAMERA_TYPE_LABELS[request.cameraType], radiusM: radius },
    candidates: { source: request.candidates ? ('uploaded' as const) : ('hot-cells' as const), count: candidates.length / 2, cellSizeM },
    existingCameras: existing.length,
    total,
    coveredBefore: result.coveredInitially,
    coveredAfter: last ? last.coveredAfter : result.coveredInitially,
    shareBefore: share(result.coveredInitially, total),
    shareAfter: share(last ? last.coveredAfter : result.coveredInitially, total),
    picks,
    proposed: proposed.map(proposedView),
    notes: [
      GREEDY_NOTE,
      request.candidates
        ? `Candidates: the ${candidates.length / 2} feasible sites you gave${outsideScope > 0 ? ` inside ${s.scope.summary.label} (${outsideScope} outside it set aside)` : ''}.`
        : `Candidates: the centres of the ${candidates.length / 2} significant Gi* hot cells (${cellSizeM} m). Upload a list of feasible sites (lamp columns, buildings with consent) to choose among those instead.`,
      `New cameras are counted as ${CAMERA_TYPE_LABELS[request.cameraType].toLowerCase()} with a ${radius} m radius, all round.`,
      ...(picks.length < request.k ? [`Only ${picks.length} of ${request.k} sites cover any crime not already covered.`] : []),
      COVERAGE_NOTE,
      ...s.notes,
    ],
  };
}
