/**
 * Visit order for a hot-spot patrol: a start point (police station, depot) and the spots to visit, in planar metres
 * (British National Grid). Distances are straight lines ("as the crow flies"), so a real route on streets is longer.
 *
 * Method: nearest-neighbour tours, then 2-opt until no exchange of two legs shortens the route. The nearest-neighbour
 * tour from the start is always one of the starting tours, so the result is never longer than it; the other starting
 * tours go first to each spot in turn and continue by nearest neighbour (a cheap multi-start that escapes most of
 * 2-opt's local optima). 2-opt is a heuristic: it does not promise the shortest possible order, but on the small tours
 * a patrol has (≤ 25 spots) it is usually optimal or within a few per cent.
 */
export interface RouteOptions {
  /** Back to the start at the end (a patrol from the station and back). Default true. */
  roundTrip?: boolean;
  /** Starting tours for 2-opt: 'single' (nearest neighbour from the start only) or 'multi' (also via each spot first). Default 'multi'. */
  starts?: 'single' | 'multi';
}

export interface RouteOrder {
  /** Visit order as indices into the stops (0-based, excluding the start). */
  order: number[];
  /** Straight-line length in metres, including the leg back to the start on a round trip. */
  length: number;
  /** Length of the plain nearest-neighbour tour from the start, for comparison. */
  nearestNeighbourLength: number;
  /** Legs in order: start → first stop, …, (last stop → start on a round trip). */
  legs: number[];
  roundTrip: boolean;
}

/**
 * Orders `stops` (interleaved x/y, metres) for a patrol leaving `start`. Non-finite coordinates are rejected: a stop
 * that cannot be placed cannot be visited.
 */
export function orderRoute(start: readonly [number, number], stops: Float64Array, options: RouteOptions = {}): RouteOrder {
  const roundTrip = options.roundTrip ?? true;
  const n = stops.length >> 1;
  if (stops.length % 2 !== 0) throw new RangeError('orderRoute: stops must be interleaved x/y pairs');
  if (!Number.isFinite(start[0]) || !Number.isFinite(start[1])) throw new RangeError('orderRoute: the start has no finite coordinates');
  for (let i = 0; i < stops.length; i++) if (!Number.isFinite(stops[i]!)) throw new RangeError(`orderRoute: stop ${i >> 1} has no finite coordinates`);

  // Node 0 is the start, node k + 1 is stop k. A full distance matrix: n is small (a patrol's spots).
  const m = n + 1;
  const xs = new Float64Array(m);
  const ys = new Float64Array(m);
  xs[0] = start[0];
  ys[0] = start[1];
  for (let k = 0; k < n; k++) {
    xs[k + 1] = stops[2 * k]!;
    ys[k + 1] = stops[2 * k + 1]!;
  }
  const d = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) d[a * m + b] = d[b * m + a] = Math.hypot(xs[a]! - xs[b]!, ys[a]! - ys[b]!);
  const dist = (a: number, b: number) => d[a * m + b]!;

  const nn = nearestNeighbour(m, dist, -1);
  const nnLength = tourLength(nn, dist, roundTrip);
  let best = twoOpt(nn, dist, roundTrip);
  let bestLength = tourLength(best, dist, roundTrip);
  if ((options.starts ?? 'multi') === 'multi') {
    for (let first = 1; first < m; first++) {
      const tour = twoOpt(nearestNeighbour(m, dist, first), dist, roundTrip);
      const length = tourLength(tour, dist, roundTrip);
      // Strictly shorter (beyond rounding) only, so ties keep the nearest-neighbour start's order.
      if (length < bestLength - 1e-9) {
        best = tour;
        bestLength = length;
      }
    }
  }
  const legs: number[] = [];
  for (let i = 1; i < best.length; i++) legs.push(dist(best[i - 1]!, best[i]!));
  if (roundTrip && best.length > 1) legs.push(dist(best[best.length - 1]!, 0));
  return { order: best.slice(1).map((node) => node - 1), length: bestLength, nearestNeighbourLength: nnLength, legs, roundTrip };
}

/** Tour from node 0, optionally forced to `first` next, then always to the nearest unvisited node (ties: lowest index). */
function nearestNeighbour(m: number, dist: (a: number, b: number) => number, first: number): number[] {
  const visited = new Uint8Array(m);
  const tour = [0];
  visited[0] = 1;
  if (first > 0) {
    tour.push(first);
    visited[first] = 1;
  }
  while (tour.length < m) {
    const here = tour[tour.length - 1]!;
    let next = -1;
    for (let b = 1; b < m; b++) if (!visited[b] && (next < 0 || dist(here, b) < dist(here, next))) next = b;
    tour.push(next);
    visited[next] = 1;
  }
  return tour;
}

/** Length of a tour that starts at its first node; a round trip adds the leg back. */
export function tourLength(tour: readonly number[], dist: (a: number, b: number) => number, roundTrip: boolean): number {
  let s = 0;
  for (let i = 1; i < tour.length; i++) s += dist(tour[i - 1]!, tour[i]!);
  if (roundTrip && tour.length > 1) s += dist(tour[tour.length - 1]!, tour[0]!);
  return s;
}

/**
 * 2-opt with the start fixed in first place: reverse tour[i..j] whenever that shortens the tour (first improvement),
 * until no reversal does. On an open route the last stop has no leg after it, so reversing a tail costs one leg only.
 */
function twoOpt(initial: readonly number[], dist: (a: number, b: number) => number, roundTrip: boolean): number[] {
  const tour = [...initial];
  const last = tour.length - 1;
  const EPS = 1e-9;
  let improved = true;
  while (improved) {
    improved = false;
    for (let i = 1; i < last; i++) {
      for (let j = i + 1; j <= last; j++) {
        const a = tour[i - 1]!, b = tour[i]!, c = tour[j]!;
        const after = j < last ? tour[j + 1]! : roundTrip ? tour[0]! : -1;
        const before = dist(a, b) + (after >= 0 ? dist(c, after) : 0);
        const then = dist(a, c) + (after >= 0 ? dist(b, after) : 0);
        if (then < before - EPS) {
          for (let p = i, q = j; p < q; p++, q--) [tour[p], tour[q]] = [tour[q]!, tour[p]!];
          improved = true;
        }
      }
    }
  }
  return tour;
}
