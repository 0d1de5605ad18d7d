/**
 * Plain planar geometry on WGS84 longitude/latitude for the generator: enough to put snap points well inside one
 * LSOA and no other. Written here on purpose (not the product's locator), so the generated data checks the importer
 * rather than agreeing with it by construction.
 */
export type Ring = number[][];
/** A polygon as its rings (outer first, holes after); a MultiPolygon is several of these. */
export type Polygons = Ring[][];
export type Box = [west: number, south: number, east: number, north: number];

export function polygonsOf(geometry: { type: string; coordinates: unknown }): Polygons {
  if (geometry.type === 'Polygon') return [geometry.coordinates as Ring[]];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates as Ring[][];
  throw new Error(`unexpected geometry type ${geometry.type}`);
}

export function boxOf(polygons: Polygons): Box {
  const b: Box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of polygons)
    for (const [x, y] of p[0]!) {
      if (x! < b[0]) b[0] = x!;
      if (y! < b[1]) b[1] = y!;
      if (x! > b[2]) b[2] = x!;
      if (y! > b[3]) b[3] = y!;
    }
  return b;
}

/**
 * Even-odd ray casting over every ring of every polygon (holes subtract). Kept apart from the product's `pointInArea`
 * on purpose: the generator's counts are the independent answer the scale test checks the product against.
 */
export function contains(polygons: Polygons, x: number, y: number): boolean {
  for (const polygon of polygons) {
    let inside = false;
    for (const ring of polygon) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i]!;
        const [xj, yj] = ring[j]!;
        if (yi! > y !== yj! > y && x < ((xj! - xi!) * (y - yi!)) / (yj! - yi!) + xi!) inside = !inside;
      }
    }
    if (inside) return true;
  }
  return false;
}

/** Distance in metres (locally flat earth) from a point to the nearest edge of any ring. */
export function edgeDistanceM(polygons: Polygons, x: number, y: number): number {
  const kx = 111_320 * Math.cos((y * Math.PI) / 180);
  const ky = 110_540;
  let best = Infinity;
  for (const polygon of polygons)
    for (const ring of polygon)
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const ax = (ring[j]![0]! - x) * kx;
        const ay = (ring[j]![1]! - y) * ky;
        const bx = (ring[i]![0]! - x) * kx;
        const by = (ring[i]![1]! - y) * ky;
        const dx = bx - ax;
        const dy = by - ay;
        const len = dx * dx + dy * dy;
        const t = len === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len));
        const px = ax + t * dx;
        const py = ay + t * dy;
        const d = Math.sqrt(px * px + py * py);
        if (d < best) best = d;
      }
  return best;
}

/** A uniform grid over boxes: the indexes whose box may hold a point. */
export class BoxGrid {
  private readonly cells = new Map<number, number[]>();
  constructor(
    boxes: readonly Box[],
    private readonly cell = 0.05,
  ) {
    boxes.forEach((b, i) => {
      for (let gx = Math.floor(b[0] / cell); gx <= Math.floor(b[2] / cell); gx++)
        for (let gy = Math.floor(b[1] / cell); gy <= Math.floor(b[3] / cell); gy++) {
          const k = this.key(gx, gy);
          const list = this.cells.get(k);
          if (list) list.push(i);
          else this.cells.set(k, [i]);
        }
    });
  }
  private key(gx: number, gy: number) {
    return (gx + 10_000) * 20_000 + (gy + 10_000);
  }
  candidates(x: number, y: number): readonly number[] {
    return this.cells.get(this.key(Math.floor(x / this.cell), Math.floor(y / this.cell))) ?? [];
  }
}
