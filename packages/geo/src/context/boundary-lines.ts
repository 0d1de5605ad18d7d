import type { AreaGeometry, Position } from '@safer-places/schemas';
import { nodeVertices } from '../bids/node-vertices';
import { createVertexKeyer, DEFAULT_VERTEX_PRECISION, polygonsOf, undirectedEdgeKey } from '../bids/vertex-key';

/**
 * Boundary lines between groups of a polygon coverage (LSOAs grouped into wards and districts), without a polygon
 * union: every ring is split into edges between quantised vertices (vertex-key, 1e-6° by default, so the two sides of
 * a shared boundary meet even when their coordinates were rounded differently), each undirected edge is hashed to the
 * polygons that use it, and then
 *
 * - an edge used by one polygon is on the coverage's outline (level `outline`);
 * - an edge shared by two polygons belongs to the first level (most general first, e.g. district then ward) whose
 *   group keys differ on its two sides, so a district boundary is never drawn again as a ward boundary; an edge with
 *   the same keys at every level is inside a group and dropped.
 *
 * The edges of each level are then chained into lines through vertices where exactly two of its edges meet. Linear in
 * the number of vertices (England's 33,755 LSOAs: see context.bench.ts), with optional noding first (`snapM`: vertices
 * within that many metres of another ring's edge are inserted into it) for boundaries generalised separately.
 *
 * A null key is "no group at this level" (an LSOA without a ward): two null sides are the same group, so data with no
 * wards at all has no ward lines; a null side next to a keyed one is a boundary (the edge of the warded part).
 */
export interface BoundaryMember {
  geometry: AreaGeometry;
  /** The member's group at each level, most general first (e.g. [district code, district code + ward name]). */
  keys: readonly (string | null)[];
}

export interface BoundaryLineOptions {
  /** Vertex quantum in degrees (default 1e-6°, about 0.1 m). */
  precision?: number;
  /** Insert vertices lying within this many metres of another ring's edge first (default 0: off; 1 is safe for ONS data). */
  snapM?: number;
}

export interface BoundaryLines {
  /** Lines of each level (index as in `keys`). */
  levels: Position[][][];
  /** The coverage's outer edges (and the edges of its holes). */
  outline: Position[][];
}

const OUTLINE = -1;

export function boundaryLines(members: readonly BoundaryMember[], options: BoundaryLineOptions = {}): BoundaryLines {
  const levelCount = members.reduce((n, m) => Math.max(n, m.keys.length), 0);
  const geometries = (options.snapM ?? 0) > 0 ? nodeVertices(members.map((m) => m.geometry), options.snapM) : members.map((m) => m.geometry);
  const keyer = createVertexKeyer(geometries, options.precision ?? DEFAULT_VERTEX_PRECISION);

  // Edge key → [vertex a, vertex b, first owner, second owner (−1: none yet), uses].
  const owners = new Map<number, number>();
  const ends: number[] = [];
  const firstOwner: number[] = [];
  const secondOwner: number[] = [];
  geometries.forEach((g, owner) => {
    for (const rings of polygonsOf(g)) {
      for (const ring of rings) {
        let prev = -1;
        for (let k = 0; k < ring.length; k++) {
          const v = keyer.id(ring[k]![0], ring[k]![1]);
          if (prev >= 0 && v !== prev) {
            const key = undirectedEdgeKey(prev, v);
            const e = owners.get(key);
            if (e === undefined) {
              owners.set(key, firstOwner.length);
              ends.push(prev, v);
              firstOwner.push(owner);
              secondOwner.push(-1);
            } else if (firstOwner[e] !== owner && secondOwner[e] === -1) {
              secondOwner[e] = owner;
            }
          }
          prev = v;
        }
      }
    }
  });

  // The level of each edge: OUTLINE, a level index, or levelCount (interior: dropped).
  const edgeCount = firstOwner.length;
  const level = new Int32Array(edgeCount);
  for (let e = 0; e < edgeCount; e++) {
    const b = secondOwner[e]!;
    if (b < 0) {
      level[e] = OUTLINE;
      continue;
    }
    const ka = members[firstOwner[e]!]!.keys;
    const kb = members[b]!.keys;
    let l = 0;
    while (l < levelCount && (ka[l] ?? null) === (kb[l] ?? null)) l++;
    level[e] = l;
  }

  const linesOf = (wanted: number) => chain(ends, level, wanted, keyer.coords);
  return { levels: Array.from({ length: levelCount }, (_, l) => linesOf(l)), outline: linesOf(OUTLINE) };
}

/**
 * Chains the edges of one level into lines: a line runs on through every vertex where exactly two of the level's edges
 * meet and stops at ends and junctions; what is left after that are closed loops (an island district, the outline).
 */
function chain(ends: readonly number[], level: Int32Array, wanted: number, coords: readonly Position[]): Position[][] {
  const incident = new Map<number, number[]>();
  const edges: number[] = [];
  for (let e = 0; e < level.length; e++) {
    if (level[e] !== wanted) continue;
    edges.push(e);
    for (const v of [ends[2 * e]!, ends[2 * e + 1]!]) {
      const list = incident.get(v);
      if (list) list.push(e);
      else incident.set(v, [e]);
    }
  }
  const used = new Uint8Array(level.length);
  const lines: Position[][] = [];
  const other = (e: number, v: number) => (ends[2 * e] === v ? ends[2 * e + 1]! : ends[2 * e]!);
  const walk = (start: number, first: number) => {
    const line: Position[] = [coords[start]!];
    let v = start;
    let e = first;
    for (;;) {
      used[e] = 1;
      v = other(e, v);
      line.push(coords[v]!);
      const next = incident.get(v)!;
      if (next.length !== 2 || v === start) break;
      const n = next[0] === e ? next[1]! : next[0]!;
      if (used[n]) break;
      e = n;
    }
    lines.push(line);
  };
  // Open lines first, from every end or junction; then the closed loops that remain, each from its lowest edge.
  for (const [v, list] of incident) {
    if (list.length === 2) continue;
    for (const e of list) if (!used[e]) walk(v, e);
  }
  for (const e of edges) if (!used[e]) walk(ends[2 * e]!, e);
  return lines;
}
