import type { BBox, Lsoa, PolygonGeometry, Position } from '@safer-places/schemas';
import type { SeededRandom } from '@safer-places/geo';
import { findSelfIntersection, geometryBBox, tessellate } from '@safer-places/geo';
import { DEMO_BBOX, DEMO_TOWNS, M_PER_DEG_LAT, VILLAGE_NAMES, WARD_NAMES, round6 } from './places';

export const SYNTHETIC_SUFFIX = ' (synthetic)';
const COS_LAT = Math.cos((54.25 * Math.PI) / 180);
const M_PER_DEG_LON = M_PER_DEG_LAT * COS_LAT;

/** Local metric plane (metres from the box's south-west corner): distances and spacing are simplest there. */
export const toMetres = ([lon, lat]: Position): [number, number] => [(lon - DEMO_BBOX[0]) * M_PER_DEG_LON, (lat - DEMO_BBOX[1]) * M_PER_DEG_LAT];
export const toLonLat = (x: number, y: number): Position => [DEMO_BBOX[0] + x / M_PER_DEG_LON, DEMO_BBOX[1] + y / M_PER_DEG_LAT];
export const BOX_W_M = (DEMO_BBOX[2] - DEMO_BBOX[0]) * M_PER_DEG_LON;
export const BOX_H_M = (DEMO_BBOX[3] - DEMO_BBOX[1]) * M_PER_DEG_LAT;

export function distanceM(a: Position, b: Position): number {
  const dx = (a[0] - b[0]) * M_PER_DEG_LON;
  const dy = (a[1] - b[1]) * M_PER_DEG_LAT;
  return Math.sqrt(dx * dx + dy * dy);
}

export interface DemoLsoa extends Lsoa {
  /** Seed of the cell: always inside it, used as its "centre". */
  seed: Position;
  /** Index into DEMO_TOWNS, or -1 for rural cells. */
  town: number;
}

interface Seed {
  pos: Position;
  town: number;
}

/** Seeds: dense Gaussian clusters for the towns (small urban cells), sparse uniform ones for the countryside. */
function placeSeeds(rng: SeededRandom, lsoaCount: number): Seed[] {
  const seeds: Seed[] = [];
  const metres: [number, number][] = [];
  const farEnough = (x: number, y: number, minM: number) => metres.every(([sx, sy]) => (sx - x) ** 2 + (sy - y) ** 2 >= minM * minM);
  const add = (x: number, y: number, town: number) => {
    const [lon, lat] = toLonLat(x, y);
    seeds.push({ pos: [round6(lon), round6(lat)], town });
    metres.push([x, y]);
  };

  const perTown = DEMO_TOWNS.map((t) => Math.round(t.lsoaShare * lsoaCount));
  const rural = Math.max(0, lsoaCount - perTown.reduce((a, b) => a + b, 0));
  DEMO_TOWNS.forEach((t, ti) => {
    const [cx, cy] = toMetres(t.centre);
    // Spacing shrinks with town size so cells stay roughly equal in population.
    let minM = t.sigmaM * 0.17;
    for (let placed = 0, tries = 0; placed < perTown[ti]!; tries++) {
      if (tries > 200) {
        minM *= 0.9; // too crowded for this spacing: relax rather than loop forever
        tries = 0;
      }
      const x = cx + rng.normal() * t.sigmaM;
      const y = cy + rng.normal() * t.sigmaM;
      if (x <= 0 || y <= 0 || x >= BOX_W_M || y >= BOX_H_M || !farEnough(x, y, minM)) continue;
      add(x, y, ti);
      placed++;
    }
  });
  const townMetres = DEMO_TOWNS.map((t) => [...toMetres(t.centre), t.sigmaM] as const);
  let minM = Math.sqrt((BOX_W_M * BOX_H_M) / Math.max(1, rural)) * 0.6;
  for (let placed = 0, tries = 0; placed < rural; tries++) {
    if (tries > 200) {
      minM *= 0.9;
      tries = 0;
    }
    const x = rng.next() * BOX_W_M;
    const y = rng.next() * BOX_H_M;
    if (townMetres.some(([tx, ty, s]) => Math.hypot(tx - x, ty - y) < 2.2 * s)) continue;
    if (!farEnough(x, y, minM) || x <= 0 || y <= 0) continue;
    add(x, y, -1);
    placed++;
  }
  return seeds;
}

/** Rounds to 6 d.p. (as published boundaries are) and drops vertices that rounding merged. */
function roundPolygon(g: PolygonGeometry): PolygonGeometry {
  return {
    type: 'Polygon',
    coordinates: g.coordinates.map((ring) => {
      const out: Position[] = [];
      for (const [x, y] of ring) {
        const p: Position = [round6(x), round6(y)];
        const last = out[out.length - 1];
        if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
      }
      return out;
    }),
  };
}

/** Deprivation pressure: highest in town centres and two estates, low in the countryside. */
function deprivationScore(p: Position, rng: SeededRandom): number {
  let score = 0;
  DEMO_TOWNS.forEach((t) => {
    const d = distanceM(p, t.centre) / (t.sigmaM * 0.9);
    score = Math.max(score, (0.6 + 0.4 * t.centreWeight) * Math.exp(-d * d));
  });
  // Peripheral estates (also crime hotspots in places.ts) are deprived too.
  for (const [town, e, n] of [['Northvale', 1800, 1400], ['Kelsworth', -1300, -1100]] as const) {
    const c = DEMO_TOWNS.find((t) => t.name === town)!.centre;
    const estate: Position = [c[0] + e / M_PER_DEG_LON, c[1] + n / M_PER_DEG_LAT];
    const d = distanceM(p, estate) / 900;
    score = Math.max(score, 0.95 * Math.exp(-d * d));
  }
  return score + rng.normal() * 0.12;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function buildLsoas(rng: SeededRandom, lsoaCount: number): DemoLsoa[] {
  const seeds = placeSeeds(rng, lsoaCount);
  const cells = tessellate(
    seeds.map((s) => s.pos),
    [...DEMO_BBOX] as BBox,
  ).map(roundPolygon);

  const draft = seeds.map((s, i) => {
    const geometry = cells[i]!;
    // District = nearest town, distance scaled by town size so big towns own more countryside.
    let district = 0;
    let best = Infinity;
    DEMO_TOWNS.forEach((t, ti) => {
      const d = distanceM(s.pos, t.centre) / Math.sqrt(t.lsoaShare);
      if (d < best) {
        best = d;
        district = ti;
      }
    });
    const big = rng.next() < 0.04; // the odd new-build estate with far more residents
    const population = big
      ? rng.int(2300, 3200)
      : Math.round(Math.min(3200, Math.max(1000, 1520 * Math.exp(0.16 * rng.normal()) + (s.town < 0 ? 80 : 0))));
    return { seed: s.pos, town: s.town, district, geometry, population, dep: deprivationScore(s.pos, rng) };
  });

  // IMD deciles by rank of the deprivation score (decile 1 = most deprived tenth).
  const byDep = draft.map((_, i) => i).sort((a, b) => draft[b]!.dep - draft[a]!.dep || a - b);
  const decile = new Array<number>(draft.length);
  byDep.forEach((idx, rank) => (decile[idx] = 1 + Math.floor((rank * 10) / draft.length)));

  // Names follow ONS style, "<district> <MSOA 3 digits><letter>": cells ordered north to south in 3 km bands, then west
  // to east, grouped ~5 to an MSOA; wards group 4–8 consecutive cells.
  const lsoas: DemoLsoa[] = [];
  let code = 1;
  DEMO_TOWNS.forEach((t, ti) => {
    const members = draft
      .map((d, i) => ({ d, i }))
      .filter(({ d }) => d.district === ti)
      .sort((a, b) => {
        const band = (p: Position) => Math.floor((DEMO_BBOX[3] - p[1]) / 0.027);
        return band(a.d.seed) - band(b.d.seed) || a.d.seed[0] - b.d.seed[0] || a.i - b.i;
      });
    let ward = '';
    let wardLeft = 0;
    let wardNo = 0;
    members.forEach(({ d, i }, k) => {
      if (wardLeft === 0) {
        wardLeft = rng.int(4, 8);
        ward =
          d.town < 0
            ? `${VILLAGE_NAMES[(ti * 5 + wardNo) % VILLAGE_NAMES.length]!} & ${VILLAGE_NAMES[(ti * 5 + wardNo + 7) % VILLAGE_NAMES.length]!}`
            : `${t.name} ${WARD_NAMES[(ti * 7 + wardNo) % WARD_NAMES.length]!}`;
        wardNo++;
      }
      wardLeft--;
      const msoa = Math.floor(k / 5) + 1;
      const letter = String.fromCharCode(65 + (k % 5));
      const geometry = d.geometry;
      if (findSelfIntersection(geometry) || geometry.coordinates[0]!.length < 4) {
        throw new Error(`demo data: cell ${i} is not a valid polygon after rounding`);
      }
      lsoas.push({
        code: `DEMO${pad(code++, 5)}`,
        name: `${t.name} ${pad(msoa, 3)}${letter}${SYNTHETIC_SUFFIX}`,
        districtCode: `DEMOLAD${pad(ti + 1, 2)}`,
        districtName: `${t.name}${SYNTHETIC_SUFFIX}`,
        wardName: ward,
        // Each fictional district is its own partnership, as Mansfield or Ashfield are.
        cspCode: `DEMOCSP${pad(ti + 1, 2)}`,
        cspName: `${t.name} CSP${SYNTHETIC_SUFFIX}`,
        population: d.population,
        imdDecile: decile[i]!,
        deprivationSource: 'Synthetic (generated)',
        geometry,
        bbox: geometryBBox(geometry),
        seed: d.seed,
        town: d.town,
      });
    });
  });
  return lsoas;
}
