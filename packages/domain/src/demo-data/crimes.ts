import type { CrimeCategory } from '@safer-places/schemas';
import { CRIME_CATEGORY_SLUGS } from '@safer-places/schemas';
import type { PolygonLocator, SeededRandom } from '@safer-places/geo';
import type { CrimeBlock } from '../crime';
import type { DemoLsoa } from './geography';
import { toMetres } from './geography';
import type { HotspotKind } from './places';
import { CATEGORY_SHARES, DEMO_HOTSPOTS, DEPRIVATION_GRADIENT, HOTSPOT_SHARES, OUTCOMES, PROBLEM_SITE_MIX, SEASONALITY } from './places';
import type { SnapPoint, createSnapper } from './snap-points';

/** Crimes per LSOA per month before seasonality: ~3,900 a month for 300 LSOAs (Nottinghamshire: ~15.7). */
const CRIMES_PER_LSOA_MONTH = 13;
/** Monthly crimes at the emerging site at full strength, and at the former site at its start. */
const EMERGING_PEAK = 70;
const FORMER_START = 45;
/** The emerging site appears this many months before the end of the range. */
export const EMERGING_MONTHS = 8;
const FORMER_MONTHS = 9;

type Snapper = ReturnType<typeof createSnapper>;
const HOTSPOT_KINDS = ['centre', 'nte', 'retail', 'station', 'estate'] as const;

/** Cumulative weights for O(log n) weighted picks. */
class WeightedPicker<T> {
  private readonly cum: Float64Array;
  constructor(
    private readonly items: readonly T[],
    weights: readonly number[],
  ) {
    this.cum = new Float64Array(weights.length);
    let s = 0;
    weights.forEach((w, i) => (this.cum[i] = s += w));
  }
  get total(): number {
    return this.cum.length ? this.cum[this.cum.length - 1]! : 0;
  }
  pick(rng: SeededRandom): T {
    const target = rng.next() * this.total;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}

const HEX_DIGITS = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));
const hexBuffer = new Uint16Array(64);

/** `words` × 8 random hex digits, built as one flat string: per-word toString(16) and `+=` chains made GC dominate at ~100 k ids. */
function randomHex(rng: SeededRandom, words: number): string {
  for (let k = 0; k < words; k++) {
    const w = Math.floor(rng.next() * 4294967296);
    for (let d = 0; d < 8; d++) hexBuffer[k * 8 + d] = HEX_DIGITS[(w >>> (28 - 4 * d)) & 15]!;
  }
  return String.fromCharCode.apply(null, hexBuffer.subarray(0, words * 8) as unknown as number[]);
}

export interface CrimeGenerationInput {
  rng: SeededRandom;
  lsoas: DemoLsoa[];
  locator: PolygonLocator;
  snapper: Snapper;
  months: string[];
}

export function generateCrimes({ rng, lsoas, locator, snapper, months }: CrimeGenerationInput): CrimeBlock[] {
  const n = months.length;
  const shareTotal = Object.values(CATEGORY_SHARES).reduce((a, b) => a + b, 0);
  const base = CRIMES_PER_LSOA_MONTH * lsoas.length;

  const residential = Object.fromEntries(
    CRIME_CATEGORY_SLUGS.map((c) => {
      const [a, b] = DEPRIVATION_GRADIENT[c];
      return [c, new WeightedPicker(lsoas, lsoas.map((l) => l.population! * (a + b * (10 - l.imdDecile!))))];
    }),
  ) as Record<CrimeCategory, WeightedPicker<DemoLsoa>>;

  const spots = DEMO_HOTSPOTS.map((h) => ({ ...h, m: toMetres(h.centre) }));
  const spotsOfKind = (kind: HotspotKind) => {
    const list = spots.filter((s) => s.kind === kind);
    return new WeightedPicker(list, list.map((s) => s.weight));
  };
  const byKind = {
    centre: spotsOfKind('centre'),
    nte: spotsOfKind('nte'),
    retail: spotsOfKind('retail'),
    station: spotsOfKind('station'),
    estate: spotsOfKind('estate'),
  };
  const emerging = spots.find((s) => s.kind === 'emerging')!;
  const former = spots.find((s) => s.kind === 'former')!;

  const outcomePickers = Object.fromEntries(
    Object.entries(OUTCOMES).map(([c, list]) => [c, new WeightedPicker(list.map(([o]) => o), list.map(([, w]) => w))]),
  ) as Record<string, WeightedPicker<string>>;
  const problemMix = new WeightedPicker(PROBLEM_SITE_MIX.map(([c]) => c), PROBLEM_SITE_MIX.map(([, w]) => w));

  // Drawn positions go to (px, py), metres in the box plane: ~100 k draws would otherwise allocate ~100 k arrays.
  let px = 0;
  let py = 0;

  /** A residential location: rural crime gathers in the cell's village, town crime spreads over the whole cell. */
  const residentialPoint = (c: CrimeCategory) => {
    const lsoa = residential[c].pick(rng);
    const [sx, sy] = toMetres(lsoa.seed);
    if (lsoa.town < 0 && rng.next() < 0.75) {
      px = sx + rng.normal() * 350;
      py = sy + rng.normal() * 350;
      return;
    }
    const [minX, minY, maxX, maxY] = lsoa.bbox;
    for (let t = 0; t < 50; t++) {
      const lon = minX + rng.next() * (maxX - minX);
      const lat = minY + rng.next() * (maxY - minY);
      if (locator.locate(lon, lat) === lsoa.code) {
        [px, py] = toMetres([lon, lat]);
        return;
      }
    }
    px = sx;
    py = sy;
  };

  const spotPoint = (s: { m: [number, number]; sigmaM: number }) => {
    px = s.m[0] + rng.normal() * s.sigmaM;
    py = s.m[1] + rng.normal() * s.sigmaM;
  };

  const drawPoint = (c: CrimeCategory) => {
    let u = rng.next();
    const shares = HOTSPOT_SHARES[c];
    for (const kind of HOTSPOT_KINDS) {
      const share = shares[kind] ?? 0;
      if (u < share) return spotPoint(byKind[kind].pick(rng));
      u -= share;
    }
    residentialPoint(c);
  };

  // Blocks by month, then by LSOA index (no string keys in the hot loop).
  const lsoaIndex = new Map(lsoas.map((l, i) => [l.code, i]));
  const blocks: (CrimeBlock | undefined)[][] = months.map(() => new Array<CrimeBlock | undefined>(lsoas.length));
  /** Adds one crime; `site` is a problem site to draw around, or null to draw by the category's usual pattern. */
  const add = (monthIndex: number, category: CrimeCategory, site: (typeof spots)[number] | null) => {
    let snapped: SnapPoint | null = null;
    // A draw can land outside the box, where no snap point exists; police.uk would not publish it, so re-draw.
    for (let t = 0; t < 20 && !snapped?.lsoaCode; t++) {
      if (site) spotPoint(site);
      else drawPoint(category);
      snapped = snapper.snap(px, py);
    }
    if (!snapped?.lsoaCode) throw new Error('demo data: could not place a crime in any LSOA');
    const month = months[monthIndex]!;
    const isAsb = category === 'anti-social-behaviour';
    // police.uk leaves ASB without an ID; the store needs a key, so ASB gets a marked one.
    const id = isAsb ? `asb-${randomHex(rng, 4)}` : randomHex(rng, 8);
    let outcome: string | null = null;
    if (!isAsb) {
      // Recent crimes are often still open, as on police.uk.
      const age = n - 1 - monthIndex;
      outcome = age < 3 && rng.next() < [0.5, 0.3, 0.15][age]! ? 'Under investigation' : outcomePickers[category]!.pick(rng);
    }
    const li = lsoaIndex.get(snapped.lsoaCode)!;
    const row = blocks[monthIndex]!;
    const block = (row[li] ??= { month, lsoaCode: snapped.lsoaCode, crimes: [] });
    block.crimes.push({
      id,
      month,
      category,
      lon: snapped.lon,
      lat: snapped.lat,
      location: snapped.location,
      lsoaCode: snapped.lsoaCode,
      publishedLsoaCode: snapped.lsoaCode,
      outcome,
    });
  };

  const poisson = (mean: number) => Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));

  months.forEach((month, m) => {
    const calendarMonth = Number(month.slice(5, 7));
    const season = Math.cos((2 * Math.PI * (calendarMonth - 7)) / 12);
    const monthFactor = 1 + 0.03 * rng.normal();
    for (const c of CRIME_CATEGORY_SLUGS) {
      const mean = ((base * CATEGORY_SHARES[c]) / shareTotal) * (1 + SEASONALITY[c] * season) * monthFactor;
      const count = poisson(mean);
      for (let k = 0; k < count; k++) add(m, c, null);
    }
    const sinceEmerging = m - (n - EMERGING_MONTHS);
    if (sinceEmerging >= 0) {
      const count = poisson(EMERGING_PEAK * Math.min(1, (sinceEmerging + 1) / (EMERGING_MONTHS - 2)));
      for (let k = 0; k < count; k++) add(m, problemMix.pick(rng), emerging);
    }
    if (m < FORMER_MONTHS) {
      const count = poisson(FORMER_START * (1 - m / FORMER_MONTHS));
      for (let k = 0; k < count; k++) add(m, problemMix.pick(rng), former);
    }
  });

  // Month order, then LSOA code order (codes are numbered in array order).
  return blocks.flatMap((row) => row.filter((b): b is CrimeBlock => b !== undefined));
}
