import type { AreaGeometry, Position } from '@safer-places/schemas';
import { polygonsOf } from '../bids/vertex-key';
import { poleOfInaccessibility, ringCentroid, signedDistance } from './pole-of-inaccessibility';

const M_PER_DEG = (6_371_008.8 * Math.PI) / 180;

/**
 * Where to write a group's name (a district's, a ward's, an LSOA's): a point inside the group, near its middle, clear
 * of its edges.
 *
 * 1. Every polygon of every member is projected to a local plane (equirectangular about the layer's mean latitude:
 *    metres, exact enough to place a label) and the group's area-weighted centre C is found.
 * 2. If C lies in one of the group's polygons and at least half as deep inside it as that polygon's pole of
 *    inaccessibility, C is the label point: the visual middle of a compact group.
 * 3. Otherwise (C outside the group, as for a crescent, or hard against an edge) the label goes to the pole of
 *    inaccessibility of the polygon nearest C (the one C is in, or the least far outside it; on a tie the larger).
 *
 * Every answer lies inside the group. Deterministic; linear in the group's vertices plus one pole search.
 */
export interface LabelPoint {
  position: Position;
  /** The group's area in m² (the local plane's): ranks labels of one kind, largest first. */
  areaM2: number;
}

export function createLocalPlane(lat0: number) {
  const kx = Math.cos((lat0 * Math.PI) / 180) * M_PER_DEG;
  return {
    ring(ring: readonly Position[]): Float64Array {
      const out = new Float64Array(ring.length * 2);
      ring.forEach(([x, y], i) => {
        out[2 * i] = x * kx;
        out[2 * i + 1] = y * M_PER_DEG;
      });
      return out;
    },
    unproject(x: number, y: number): Position {
      return [x / kx, y / M_PER_DEG];
    },
  };
}
export type LocalPlane = ReturnType<typeof createLocalPlane>;

/** Mean latitude of a layer's first vertices: the local plane every label of the layer is placed in. */
export function meanLatitude(geometries: readonly AreaGeometry[]): number {
  let sum = 0;
  let n = 0;
  for (const g of geometries) {
    const first = polygonsOf(g)[0]?.[0]?.[0];
    if (first) {
      sum += first[1];
      n++;
    }
  }
  return n ? sum / n : 0;
}

function shoelace(r: Float64Array): number {
  let a = 0;
  for (let i = 0, j = r.length - 2; i < r.length; j = i, i += 2) a += r[j]! * r[i + 1]! - r[i]! * r[j + 1]!;
  return a / 2;
}

export function labelPoint(members: readonly AreaGeometry[], plane: LocalPlane): LabelPoint | null {
  const parts: { rings: Float64Array[]; area: number }[] = [];
  let total = 0, sx = 0, sy = 0;
  for (const g of members) {
    for (const poly of polygonsOf(g)) {
      if (!poly[0] || poly[0].length < 4) continue;
      const rings = poly.map((r) => plane.ring(r));
      const outerSigned = shoelace(rings[0]!);
      const area = Math.abs(outerSigned) - rings.slice(1).reduce((s, h) => s + Math.abs(shoelace(h)), 0);
      const [cx, cy] = ringCentroid(rings[0]!);
      parts.push({ rings, area });
      total += area;
      sx += cx * area;
      sy += cy * area;
    }
  }
  if (parts.length === 0) return null;
  if (total <= 0) {
    const r = parts[0]!.rings[0]!;
    return { position: plane.unproject(r[0]!, r[1]!), areaM2: 0 };
  }
  const cx = sx / total, cy = sy / total;
  let nearest = parts[0]!;
  let nearestD = -Infinity;
  for (const p of parts) {
    const d = signedDistance(cx, cy, p.rings);
    if (d > nearestD || (d === nearestD && p.area > nearest.area)) {
      nearest = p;
      nearestD = d;
    }
  }
  const size = Math.sqrt(nearest.area);
  const pole = poleOfInaccessibility(nearest.rings, Math.max(1, size / 200));
  const at = nearestD > 0 && nearestD >= pole.distance / 2 ? { x: cx, y: cy } : pole;
  return { position: plane.unproject(at.x, at.y), areaM2: total };
}
