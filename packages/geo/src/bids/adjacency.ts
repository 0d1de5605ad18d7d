import type { AreaGeometry } from '@safer-places/schemas';
import { createVertexKeyer, polygonsOf, undirectedEdgeKey, DEFAULT_VERTEX_PRECISION } from './vertex-key';

/**
 * Polygon adjacency by shared boundary ("rook" contiguity) for a clean coverage such as ONS LSOA boundaries, where two
 * neighbours publish their common boundary with the same vertices.
 *
 * Every ring edge is keyed by its two (quantised, see vertex-key) end vertices; an edge key met in two different
 * polygons makes them neighbours. One pass over the edges with a hash map: O(total vertices), no polygon-pair tests.
 * Polygons that meet only at a corner share no edge and are not neighbours. Boundaries whose vertices do not line up
 * (one side has a vertex in the middle of the other's edge) are not detected: see adjacencyBySegments for the slow,
 * tolerant equivalent used to check this one.
 */
export interface Adjacency {
  /** Number of polygons. */
  size: number;
  /** CSR layout: the neighbours of i are neighbours[offsets[i] .. offsets[i + 1]), ascending. */
  offsets: Int32Array;
  neighbours: Int32Array;
}

export function polygonAdjacency(geometries: readonly AreaGeometry[], precision = DEFAULT_VERTEX_PRECISION): Adjacency {
  const keyer = createVertexKeyer(geometries, precision);
  const owner = new Map<number, number>();
  const pairs = new Set<number>();
  const n = geometries.length;
  for (let i = 0; i < n; i++) {
    for (const rings of polygonsOf(geometries[i]!)) {
      for (const ring of rings) {
        let prev = -1;
        for (let k = 0; k < ring.length; k++) {
          const [x, y] = ring[k]!;
          const v = keyer.id(x, y);
          if (prev >= 0 && prev !== v) {
            const e = undirectedEdgeKey(prev, v);
            const o = owner.get(e);
            if (o === undefined) owner.set(e, i);
            else if (o !== i) pairs.add(o < i ? o * 67108864 + i : i * 67108864 + o);
          }
          prev = v;
        }
      }
    }
  }
  return fromPairs(n, pairs);
}

/** Builds the CSR layout from packed pairs (a * 2^26 + b). */
export function fromPairs(n: number, pairs: Iterable<number>): Adjacency {
  const degree = new Int32Array(n + 1);
  const list: number[] = [];
  for (const p of pairs) {
    const a = Math.floor(p / 67108864);
    const b = p - a * 67108864;
    degree[a]!++;
    degree[b]!++;
    list.push(a, b);
  }
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + degree[i]!;
  const fill = offsets.slice(0, n);
  const neighbours = new Int32Array(offsets[n]!);
  for (let k = 0; k < list.length; k += 2) {
    const a = list[k]!, b = list[k + 1]!;
    neighbours[fill[a]!++] = b;
    neighbours[fill[b]!++] = a;
  }
  for (let i = 0; i < n; i++) neighbours.subarray(offsets[i]!, offsets[i + 1]!).sort();
  return { size: n, offsets, neighbours };
}

export function neighboursOf(adjacency: Adjacency, i: number): Int32Array {
  return adjacency.neighbours.subarray(adjacency.offsets[i]!, adjacency.offsets[i + 1]!);
}

/**
 * Connected components of a selection (indices into the adjacency's polygons) using only edges between selected
 * polygons: each component is one contiguous area. Components are returned largest first (ties: lowest first index),
 * each in ascending index order.
 */
export function connectedComponents(adjacency: Adjacency, selected: readonly number[]): number[][] {
  const inSelection = new Uint8Array(adjacency.size);
  for (const i of selected) inSelection[i] = 1;
  const seen = new Uint8Array(adjacency.size);
  const groups: number[][] = [];
  const stack: number[] = [];
  for (const start of [...selected].sort((a, b) => a - b)) {
    if (seen[start]) continue;
    const group: number[] = [];
    seen[start] = 1;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop()!;
      group.push(i);
      for (let k = adjacency.offsets[i]!; k < adjacency.offsets[i + 1]!; k++) {
        const j = adjacency.neighbours[k]!;
        if (inSelection[j] && !seen[j]) {
          seen[j] = 1;
          stack.push(j);
        }
      }
    }
    groups.push(group.sort((a, b) => a - b));
  }
  return groups.sort((a, b) => b.length - a.length || a[0]! - b[0]!);
}

/** Polygons adjacent to any selected polygon but not selected themselves (the selection's first ring of neighbours). */
export function ringOfNeighbours(adjacency: Adjacency, selected: readonly number[]): number[] {
  const inSelection = new Uint8Array(adjacency.size);
  for (const i of selected) inSelection[i] = 1;
  const out = new Set<number>();
  for (const i of selected) {
    for (let k = adjacency.offsets[i]!; k < adjacency.offsets[i + 1]!; k++) {
      const j = adjacency.neighbours[k]!;
      if (!inSelection[j]) out.add(j);
    }
  }
  return [...out].sort((a, b) => a - b);
}
