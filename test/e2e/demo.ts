import * as turf from '@turf/turf';
import type { Page } from 'playwright-core';
import { generateDemoDataset } from '@safer-places/domain';

/**
 * The synthetic demo data regenerated in the test process (deterministic: the server seeded the very same), so the
 * browser's figures can be checked against an independent, brute-force count.
 */

export type Ring = [number, number][];

/** Months as YYYY-MM, n months after (or before, n < 0) `month`. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

export const demo = generateDemoDataset();
export const LAST = demo.summary.lastMonth!;
/** The first of the last 12 months: the default period everywhere. */
export const FROM = addMonths(LAST, -11);

/** Crimes with a map position in the last 12 months, optionally only inside `ring` and of one category (Turf, one by one). */
export function independentCount(opts: { ring?: Ring; category?: string } = {}): number {
  const polygon = opts.ring ? turf.polygon([opts.ring]) : null;
  let n = 0;
  for (const block of demo.crimeBlocks) {
    if (block.month < FROM || block.month > LAST) continue;
    for (const c of block.crimes) {
      if (c.lon === null || c.lat === null) continue;
      if (opts.category && c.category !== opts.category) continue;
      if (polygon && !turf.booleanPointInPolygon(turf.point([c.lon, c.lat]), polygon)) continue;
      n++;
    }
  }
  return n;
}

/** The one polygon on the page's drawing layer, rounded to 6 d.p. as the app sends it. */
export async function drawnRing(p: Page): Promise<Ring> {
  const rings = await p.evaluate(() =>
    window.__saferPlacesDraw!.getSnapshot().filter((f) => f.geometry.type === 'Polygon').map((f) => f.geometry.coordinates[0]!),
  );
  if (rings.length !== 1) throw new Error(`expected one drawn polygon, found ${rings.length}`);
  return rings[0]!.map(([x, y]) => [Math.round(x! * 1e6) / 1e6, Math.round(y! * 1e6) / 1e6] as [number, number]);
}
