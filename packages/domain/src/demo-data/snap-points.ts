import type { Position } from '@safer-places/schemas';
import type { PolygonLocator } from '@safer-places/geo';
import { BOX_H_M, BOX_W_M, distanceM, toLonLat } from './geography';
import { CENTRE_STREET_NAMES, DEMO_HOTSPOTS, DEMO_TOWNS, STREET_NAMES, round6 } from './places';

/** Grid spacing of candidate snap points; police.uk's points are ~100–200 m apart in towns. */
const SPACING_M = 120;
/** Jitter of each point within its grid cell, as a fraction of the spacing. */
const JITTER = 0.35;
/** In the countryside only about one grid point in RURAL_THINNING exists (≈360 m apart), as addresses are sparse there. */
const RURAL_THINNING = 9;
/** Rings searched before giving up (a crime drawn there is re-drawn); (8/9)^(8+16+…+96) makes a miss ~1e-20. */
const MAX_RINGS = 12;

export interface SnapPoint {
  lon: number;
  lat: number;
  lsoaCode: string | null;
  location: string;
}

/** 32-bit integer hash: per-point properties are pure functions of (i, j, seed), so they need no storage. */
export function hash3(i: number, j: number, k: number): number {
  let h = Math.imul(i | 0, 0x27d4eb2d) ^ Math.imul(j | 0, 0x165667b1) ^ Math.imul(k | 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca77);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae3d);
  return (h ^ (h >>> 16)) >>> 0;
}
const unit = (h: number) => h / 4294967296;

/**
 * A fixed, seed-dependent set of anonymisation points (a jittered ~120 m lattice, thinned in the countryside) and the
 * nearest-point snap police.uk applies. Each point has one LSOA and one "On or near …" text, so every crime snapped
 * to it shares both.
 */
export function createSnapper(seed: number, locator: PolygonLocator) {
  const ni = Math.floor(BOX_W_M / SPACING_M);
  const nj = Math.floor(BOX_H_M / SPACING_M);
  const townsM = DEMO_TOWNS.map((t) => ({ centre: t.centre, r: t.sigmaM * 2.2 }));
  const cache = new Map<number, SnapPoint | null>();

  // 0 = not yet known, 1 = rural, 2 = urban; computed lazily, as most of the grid is never visited.
  const urbanGrid = new Uint8Array((ni + 1) * (nj + 1));
  const urban = (i: number, j: number): boolean => {
    const k = i * (nj + 1) + j;
    if (urbanGrid[k] === 0) {
      const p = toLonLat(i * SPACING_M, j * SPACING_M);
      urbanGrid[k] = townsM.some((t) => distanceM(p, t.centre) < t.r) ? 2 : 1;
    }
    return urbanGrid[k] === 2;
  };
  // Rural points are a random subset, not every third one, so they do not form a visible lattice.
  const exists = (i: number, j: number): boolean =>
    i >= 0 && j >= 0 && i <= ni && j <= nj && (urban(i, j) || hash3(i, j, seed ^ 0x3c6ef372) % RURAL_THINNING === 0);

  /** Position in metres, kept 1 m inside the box so every point is inside some LSOA. */
  const posX = (i: number, j: number) =>
    Math.min(BOX_W_M - 1, Math.max(1, (i + (unit(hash3(i, j, seed)) * 2 - 1) * JITTER) * SPACING_M));
  const posY = (i: number, j: number) =>
    Math.min(BOX_H_M - 1, Math.max(1, (j + (unit(hash3(i, j, seed ^ 0x5bd1e995)) * 2 - 1) * JITTER) * SPACING_M));

  const describe = (i: number, j: number, pos: Position): string => {
    const h = hash3(i, j, seed ^ 0x68e31da4);
    // Named places police.uk uses, tied to the hotspots that explain them.
    for (const spot of DEMO_HOTSPOTS) {
      const d = distanceM(pos, spot.centre);
      if (d > Math.max(160, spot.sigmaM)) continue;
      const u = unit(h);
      if (spot.kind === 'nte' && u < 0.35) return 'On or near Nightclub';
      if (spot.kind === 'retail') return u < 0.45 ? 'On or near Supermarket' : u < 0.8 ? 'On or near Shopping Area' : 'On or near Parking Area';
      if (spot.kind === 'station' && d < 100) return 'On or near Bus/Coach Station';
      if ((spot.kind === 'emerging' || spot.kind === 'former') && d < 120 && u < 0.5) {
        return spot.kind === 'emerging' ? 'On or near Sports/Recreation Area' : 'On or near Bus/Coach Station';
      }
      if (spot.kind === 'centre' && d < 220 && u < 0.12) return 'On or near Shopping Area';
    }
    const u = unit(hash3(i, j, seed ^ 0x1b873593));
    if (u < 0.03) return 'On or near Supermarket';
    if (u < 0.055) return 'On or near Parking Area';
    if (u < 0.07) return 'On or near Petrol Station';
    if (u < 0.08) return 'On or near Sports/Recreation Area';
    if (u < 0.087) return 'On or near Park/Open Space';
    const nearCentre = DEMO_TOWNS.some((t) => distanceM(pos, t.centre) < 450);
    // Neighbouring points share a street (2×2 blocks along a row), as addresses on one road do.
    const street = nearCentre
      ? CENTRE_STREET_NAMES[hash3(i >> 1, j >> 1, seed ^ 0x2c1b3c6d) % CENTRE_STREET_NAMES.length]!
      : STREET_NAMES[hash3(i >> 2, j >> 1, seed ^ 0x297a2d39) % STREET_NAMES.length]!;
    return `On or near ${street}`;
  };

  const point = (i: number, j: number): SnapPoint | null => {
    const key = i * 100_000 + j;
    let p = cache.get(key);
    if (p !== undefined) return p;
    const [lonRaw, latRaw] = toLonLat(posX(i, j), posY(i, j));
    const lon = round6(lonRaw);
    const lat = round6(latRaw);
    const lsoaCode = locator.locate(lon, lat);
    p = { lon, lat, lsoaCode, location: describe(i, j, [lon, lat]) };
    cache.set(key, p);
    return p;
  };

  // Search state lives outside snap() so the hot loop allocates nothing.
  let best = Infinity;
  let bi = 0;
  let bj = 0;
  let qx = 0;
  let qy = 0;
  const consider = (i: number, j: number) => {
    if (!exists(i, j)) return;
    const dx = posX(i, j) - qx;
    const dy = posY(i, j) - qy;
    const d = dx * dx + dy * dy;
    if (d < best) {
      best = d;
      bi = i;
      bj = j;
    }
  };

  /** Nearest existing point to (xM, yM) in the box's metric plane: search rings of cells until none can be closer. */
  const snap = (xM: number, yM: number): SnapPoint | null => {
    const ci = Math.round(xM / SPACING_M);
    const cj = Math.round(yM / SPACING_M);
    best = Infinity;
    qx = xM;
    qy = yM;
    consider(ci, cj);
    for (let r = 1; r <= MAX_RINGS; r++) {
      // Walk only the perimeter of the ring at Chebyshev distance r.
      for (let k = -r; k <= r; k++) {
        consider(ci + k, cj - r);
        consider(ci + k, cj + r);
      }
      for (let k = -r + 1; k <= r - 1; k++) {
        consider(ci - r, cj + k);
        consider(ci + r, cj + k);
      }
      // Points in ring r+1 are at least (r + 0.5 − JITTER) spacings away.
      const bound = (r + 0.5 - JITTER) * SPACING_M;
      if (best < bound * bound) break;
    }
    return best === Infinity ? null : point(bi, bj);
  };

  return { snap, pointCount: () => cache.size };
}
