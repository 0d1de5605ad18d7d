import { bngToLonLat, cellCentre, cellsToGeoJSON, coveredPoints, topHotspots } from '@safer-places/geo';
import type { CoverageGaps, CoverageRequest, Principal } from '@safer-places/schemas';
import type { CrimeSelectionRequest } from '../crime-selection';
import {
  commonLocation,
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

/** The crimes, the grid and the "what if" cameras, counted on top of the organisation's live ones. */
export type CoverageGapRequest = CrimeSelectionRequest & Pick<CoverageRequest, 'cellSize' | 'correction' | 'top' | 'proposed'>;

/** Gap cells drawn on the map at most; the rest are counted. */
export const MAX_GAP_CELLS = 5000;
/** Gap cells listed in the answer, busiest first. */
export const GAP_LIST_LENGTH = 20;

export const COVERAGE_NOTE =
  "A crime is covered when it lies within a live camera's coverage radius (its own, or the default for its type: fixed 100 m, PTZ 150 m, re-deployable 75 m, ANPR 30 m) and, for a camera with a field of view, inside that sector. Planned and decommissioned cameras cover nothing. Coverage is a model: buildings, trees and lighting are not known.";

/**
 * Monitoring gaps: the significant Gi* hot cells and the top-N hot spots of the chosen crimes and period where no
 * camera's coverage reaches any of their crimes, with the crimes there. With proposed cameras ("what if"), every
 * figure is given before and after them.
 */
export async function coverageGaps(ctx: PlanningContext, principal: Principal, request: CoverageGapRequest): Promise<CoverageGaps> {
  const s = await ctx.selection.select({ principal, ...request }, 12);
  const { grid, mask } = await planningGrid(ctx, s, request.cellSize);
  const { cellOfPoint, counts, gi, hot } = hotCells(s, grid, mask, request.correction);
  const existing = liveCameraViews(await ctx.selection.scopes.placedItems(principal, s.dataset, 'cameras'));
  const proposed = proposedCameraViews(request.proposed);
  const tree = ctx.selection.tree(s.points);
  const coveredBefore = coveredPoints(s.projected.xy, existing, { tree });
  const coveredAfter = proposed.length > 0 ? coveredPoints(s.projected.xy, [...existing, ...proposed], { tree }) : coveredBefore;

  // One pass over the selected crimes: covered crimes overall and per hot cell, before and after.
  const isHot = new Uint8Array(counts.length);
  for (const c of hot) isHot[c] = 1;
  const cellBefore = new Map<number, number>();
  const cellAfter = new Map<number, number>();
  let before = 0, after = 0;
  for (const i of s.selected) {
    before += coveredBefore[i]!;
    after += coveredAfter[i]!;
    const c = cellOfPoint[i]!;
    if (c >= 0 && isHot[c]) {
      cellBefore.set(c, (cellBefore.get(c) ?? 0) + coveredBefore[i]!);
      cellAfter.set(c, (cellAfter.get(c) ?? 0) + coveredAfter[i]!);
    }
  }
  const gapsBefore = hot.filter((c) => !cellBefore.get(c));
  const gaps = hot.filter((c) => !cellAfter.get(c));
  const hotCrimes = hot.reduce((n, c) => n + counts[c]!, 0);
  const sum = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);

  // The crimes of each gap cell, for their location text and main crime types.
  const isGap = new Uint8Array(counts.length);
  for (const c of gaps) isGap[c] = 1;
  const membersOf = new Map<number, number[]>();
  for (const i of s.selected) {
    const c = cellOfPoint[i]!;
    if (c >= 0 && isGap[c]) {
      let list = membersOf.get(c);
      if (!list) membersOf.set(c, (list = []));
      list.push(i);
    }
  }
  const describe = (c: number) => {
    const members = membersOf.get(c) ?? [];
    const [lon, lat] = bngToLonLat(...cellCentre(grid, c));
    return {
      cell: c,
      crimes: counts[c]!,
      z: Math.round(gi.z[c]! * 100) / 100,
      class: gi.classes[c]!,
      lon: round6(lon),
      lat: round6(lat),
      location: commonLocation(s.projected.locations, members),
      ...s.place(lon, lat),
      mainTypes: mainCrimeTypes(s.points, members),
    };
  };
  const gapsByCrimes = [...gaps].sort((a, b) => counts[b]! - counts[a]! || a - b);
  const drawn = gapsByCrimes.slice(0, MAX_GAP_CELLS);
  const described = new Map(drawn.map((c) => [c, describe(c)]));
  const cells = cellsToGeoJSON(grid, drawn, (c) => {
    const d = described.get(c)!;
    return { cell: c, crimes: d.crimes, class: d.class, z: d.z, location: d.location ?? '', mainTypes: d.mainTypes.map((t) => `${t.label} (${t.count})`).join(', ') };
  });

  // Top-N hot spots and their coverage.
  const spots = topHotspots(s.projected.xy, { n: request.top, indices: s.selected, locations: s.projected.locations, lonLat: s.projected.lonLat }).map((spot) => {
    let b = 0, a = 0;
    for (const i of spot.members) {
      b += coveredBefore[i]!;
      a += coveredAfter[i]!;
    }
    return {
      rank: spot.rank,
      lon: spot.lon,
      lat: spot.lat,
      count: spot.count,
      radiusM: Math.round(spot.radius),
      location: spot.location?.text ?? null,
      ...s.place(spot.lon, spot.lat),
      mainTypes: mainCrimeTypes(s.points, spot.members),
      coveredBefore: b,
      covered: a,
      share: share(a, spot.count),
      gap: a === 0,
      snapPointWarning: spot.snapPointWarning,
    };
  });

  // Each proposed camera's own contribution: crimes it covers that nothing else does.
  const proposedOut = proposed.map((p, k) => {
    const others = [...existing, ...proposed.filter((_, j) => j !== k)];
    const without = coveredPoints(s.projected.xy, others, { tree });
    let own = 0, inView = 0;
    const alone = coveredPoints(s.projected.xy, [p], { tree });
    for (const i of s.selected) {
      if (alone[i]) {
        inView++;
        if (!without[i]) own++;
      }
    }
    return { ...proposedView(p), crimesInView: inView, newlyCovered: own };
  });

  const figures = (covered: number, hotCovered: number, gapCells: number[], spotGaps: number) => ({
    crimesCovered: covered,
    shareCovered: share(covered, s.selected.length),
    hotCells: hot.length,
    hotCellCrimes: hotCrimes,
    hotCellCrimesCovered: hotCovered,
    hotCellShareCovered: share(hotCovered, hotCrimes),
    gapCells: gapCells.length,
    gapCellCrimes: gapCells.reduce((n, c) => n + counts[c]!, 0),
    spots: spots.length,
    spotGaps,
  });
  return {
    ...s.header,
    grid: { shape: grid.shape, cellSizeM: grid.cellSize, correction: request.correction },
    cameras: { live: existing.length, proposed: proposedOut },
    before: figures(before, sum(cellBefore), gapsBefore, spots.filter((x) => x.coveredBefore === 0).length),
    after: proposed.length > 0 ? figures(after, sum(cellAfter), gaps, spots.filter((x) => x.gap).length) : null,
    gapCells: cells,
    gapList: gapsByCrimes.slice(0, GAP_LIST_LENGTH).map((c) => described.get(c) ?? describe(c)),
    truncated: gaps.length > drawn.length,
    spots,
    notes: [
      COVERAGE_NOTE,
      `Hot cells: Getis-Ord Gi* on ${grid.cellSize} m cells over ${s.scope.summary.label} (${request.correction === 'none' ? 'no correction' : request.correction === 'fdr' ? 'Benjamini–Hochberg FDR' : 'Holm'}, 90 % confidence or more). A gap is a hot cell or spot none of whose crimes a camera covers.`,
      ...s.notes,
    ],
  };
}
