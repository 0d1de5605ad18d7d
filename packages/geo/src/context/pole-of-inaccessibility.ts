/**
 * The pole of inaccessibility of a polygon: the inside point farthest from its edges, where a label sits clear of the
 * boundary even in a crescent or a U-shaped polygon (whose centroid can lie outside it). Planar coordinates (metres of
 * a local projection); rings as flat [x0, y0, x1, y1, …] arrays, the first the outer ring, the rest holes.
 *
 * Search: the bounding box is cut into square cells; each cell's centre has a signed distance d to the boundary
 * (positive inside), and no point of the cell can be farther than d + half its diagonal. Cells are visited best bound
 * first (a binary heap) and split in four while their bound beats the best centre found by more than `precision`;
 * the answer is within `precision` of the true pole.
 */
export interface Pole {
  x: number;
  y: number;
  /** Distance from the pole to the nearest edge (0 for a degenerate polygon). */
  distance: number;
}

interface Cell {
  x: number;
  y: number;
  half: number;
  d: number;
  max: number;
}

export function poleOfInaccessibility(rings: readonly ArrayLike<number>[], precision = 1): Pole {
  const outer = rings[0];
  if (!outer || outer.length < 6) return { x: outer?.[0] ?? 0, y: outer?.[1] ?? 0, distance: 0 };
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < outer.length; i += 2) {
    minX = Math.min(minX, outer[i]!);
    maxX = Math.max(maxX, outer[i]!);
    minY = Math.min(minY, outer[i + 1]!);
    maxY = Math.max(maxY, outer[i + 1]!);
  }
  const size = Math.min(maxX - minX, maxY - minY);
  if (size <= 0) return { x: minX, y: minY, distance: 0 };

  const cell = (x: number, y: number, half: number): Cell => {
    const d = signedDistance(x, y, rings);
    return { x, y, half, d, max: d + half * Math.SQRT2 };
  };
  const heap = new CellHeap();
  for (let x = minX; x < maxX; x += size) {
    for (let y = minY; y < maxY; y += size) heap.push(cell(x + size / 2, y + size / 2, size / 2));
  }
  // Start from the area centroid (often the answer for compact shapes) or the box centre, whichever is deeper.
  let best = cell(...ringCentroid(outer), 0);
  const centre = cell(minX + (maxX - minX) / 2, minY + (maxY - minY) / 2, 0);
  if (centre.d > best.d) best = centre;

  for (let c = heap.pop(); c; c = heap.pop()) {
    if (c.d > best.d) best = c;
    if (c.max - best.d <= precision) continue;
    const h = c.half / 2;
    heap.push(cell(c.x - h, c.y - h, h));
    heap.push(cell(c.x + h, c.y - h, h));
    heap.push(cell(c.x - h, c.y + h, h));
    heap.push(cell(c.x + h, c.y + h, h));
  }
  return { x: best.x, y: best.y, distance: Math.max(0, best.d) };
}

/** Distance from (x, y) to the nearest ring edge, negative outside the polygon (even-odd rule over all rings). */
export function signedDistance(x: number, y: number, rings: readonly ArrayLike<number>[]): number {
  let inside = false;
  let min2 = Infinity;
  for (const r of rings) {
    const n = r.length;
    for (let i = 0, j = n - 2; i < n; j = i, i += 2) {
      const ax = r[i]!, ay = r[i + 1]!, bx = r[j]!, by = r[j + 1]!;
      if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
      min2 = Math.min(min2, segmentDistance2(x, y, ax, ay, bx, by));
    }
  }
  const d = Math.sqrt(min2);
  return inside ? d : -d;
}

function segmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  let x = ax, y = ay;
  const dx = bx - ax, dy = by - ay;
  if (dx !== 0 || dy !== 0) {
    const t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy);
    if (t > 1) {
      x = bx;
      y = by;
    } else if (t > 0) {
      x += dx * t;
      y += dy * t;
    }
  }
  return (px - x) ** 2 + (py - y) ** 2;
}

/** Area centroid of a flat ring (its first vertex for a ring of no area). */
export function ringCentroid(r: ArrayLike<number>): [number, number] {
  let a = 0, cx = 0, cy = 0;
  const n = r.length;
  for (let i = 0, j = n - 2; i < n; j = i, i += 2) {
    const f = r[j]! * r[i + 1]! - r[i]! * r[j + 1]!;
    cx += (r[j]! + r[i]!) * f;
    cy += (r[j + 1]! + r[i + 1]!) * f;
    a += f;
  }
  return a === 0 ? [r[0]!, r[1]!] : [cx / (3 * a), cy / (3 * a)];
}

/** A max-heap of cells by their bound. */
class CellHeap {
  private readonly items: Cell[] = [];

  push(c: Cell) {
    const a = this.items;
    a.push(c);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]!.max >= c.max) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = c;
  }

  pop(): Cell | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || !last) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const r = l + 1;
      const m = r < a.length && a[r]!.max > a[l]!.max ? r : l;
      if (a[m]!.max <= last.max) break;
      a[i] = a[m]!;
      i = m;
    }
    a[i] = last;
    return top;
  }
}
