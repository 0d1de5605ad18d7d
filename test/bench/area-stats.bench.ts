import { join } from 'node:path';
import type { FeatureCollection, Point } from 'geojson';
import * as turf from '@turf/turf';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { createApp, createLocalTokenService } from '@safer-places/api';
import { AreaAnalysisService, AssetService, CrimePointsCache, ReferenceService, partitionOf, pointsInside, type CrimePoints } from '@safer-places/domain';
import { monthRange } from '@safer-places/schemas';
import { seededRandom } from '@safer-places/geo';
import { importFiles } from '@safer-places/importer';
import type { AreaGeometry, Principal } from '@safer-places/schemas';
import { DynamoAssetRepository, DynamoReferenceRepository, createDocumentClient, dynamoPorts, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '@safer-places/store/embedded';
import { SHARED_DATA, mustHaveSharedData, sharedDataAvailable } from '../integration/shared-data';

/**
 * Statistics inside a drawn ~1 km² area (a 564 m circle on Nottingham's Old Market Square) over 750 k crimes: the
 * 258 k real police.uk rows plus synthetic points scattered around them (seeded). (The whole set is read once for the
 * Turf baseline, so it stays under MAX_CRIMES_PER_ANALYSIS, 800,000.) Compute and API latency, against
 * naive turf.pointsWithinPolygon on the same points in the same run.
 */
if (!sharedDataAvailable && mustHaveSharedData) throw new Error(`shared data missing at ${SHARED_DATA}`);
const TARGET = 750_000;
const area = turf.circle([-1.1494, 52.9533], 0.564, { units: 'kilometers', steps: 64 }).geometry as AreaGeometry;
const principal: Principal = { userId: 'bench', orgId: 'bench-org', role: 'analyst' };

let dynamo: EmbeddedDynamo;
let doc: ReturnType<typeof createDocumentClient>;
let points: CrimePoints;
let turfPoints: FeatureCollection<Point>;
let analysis: AreaAnalysisService;
let app: ReturnType<typeof createApp>;
let token: string;
const apiMs: number[] = [];
const computeMs: number[] = [];
let inside = 0;

beforeAll(async () => {
  if (!sharedDataAvailable) return;
  dynamo = await startEmbeddedDynamo();
  doc = createDocumentClient({ endpoint: dynamo.endpoint });
  await ensureTable(doc, 'bench');
  const reference = new DynamoReferenceRepository(doc, 'bench');
  const report = await importFiles([join(SHARED_DATA, 'lsoa21-boundaries'), join(SHARED_DATA, 'population'), join(SHARED_DATA, 'police-uk')], { reference, datasetId: 'bench' });
  const summary = (await reference.getDataset('bench'))!;
  const months = monthRange(summary.firstMonth!, summary.lastMonth!);
  const extraPerMonth = Math.ceil((TARGET - report.crimes!.imported) / months.length);
  const districtOf = new Map((await reference.listLsoas('bench')).map((l) => [l.code, l.districtCode]));
  const partition = (code: string) => partitionOf(code, (c) => districtOf.get(c));
  const rng = seededRandom(2026);
  for (const month of months) {
    const blocks = (await reference.getCrimeBlocks('bench', [month])).map((b) => ({ ...b, crimes: [...b.crimes] }));
    const byCode = new Map(blocks.map((b) => [b.lsoaCode, b]));
    const located = blocks.flatMap((b) => b.crimes).filter((c) => c.lon !== null);
    for (let k = 0; k < extraPerMonth; k++) {
      const base = located[Math.floor(rng.next() * located.length)]!;
      // ~150 m of scatter: 0.00135° of latitude, a little more in longitude at 53° N. Kept in the LSOA (and so the
      // partition) of the crime it scatters around, so an area's read of its districts finds it.
      byCode.get(base.lsoaCode)!.crimes.push({ ...base, id: `synthetic-${month}-${k}`, lon: Number((base.lon! + rng.normal() * 0.00225).toFixed(6)), lat: Number((base.lat! + rng.normal() * 0.00135).toFixed(6)) });
    }
    await reference.replaceCrimeMonth('bench', month, blocks, partition);
  }
  await reference.putDataset({ ...summary, version: `${summary.version}+synthetic` });
  const assets = new DynamoAssetRepository(doc, 'bench');
  const referenceService = new ReferenceService(reference);
  const cache = new CrimePointsCache(reference, { reference: referenceService });
  analysis = new AreaAnalysisService(referenceService, cache, new AssetService({ assets, clock: { now: () => new Date() }, ids: { newId: () => crypto.randomUUID() } }));
  points = await cache.get((await reference.getDataset('bench'))!);
  // The baseline gets its points as GeoJSON up front, so only the test itself is timed.
  turfPoints = turf.featureCollection(Array.from({ length: points.count }, (_, i) => turf.point([points.lon[i]!, points.lat[i]!])));
  const tokens = createLocalTokenService(new TextEncoder().encode('bench-secret-bench-secret-bench-secret'));
  app = createApp({ ...dynamoPorts(doc, 'bench'), verifier: tokens.verifier, log: () => {} });
  token = (await tokens.issue(principal)).token;
  await analysis.analyse(principal, area, { datasetId: 'bench', categories: [] }); // warm the app's caches too
  await app.request('/api/areas/analyse', { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ geometry: area, dataset: 'bench' }) });
}, 600_000);

afterAll(async () => {
  if (!sharedDataAvailable) return;
  const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
  console.log(
    `\narea statistics over ${points.count.toLocaleString('en-GB')} crimes, ${inside.toLocaleString('en-GB')} inside the 1 km² area:` +
      `\n  full panel, new area (cold): median ${p(coldMs, 0.5).toFixed(1)} ms, p95 ${p(coldMs, 0.95).toFixed(1)} ms` +
      `\n  full panel, same area (warm): median ${p(computeMs, 0.5).toFixed(1)} ms, p95 ${p(computeMs, 0.95).toFixed(1)} ms` +
      `\n  POST /api/areas/analyse: median ${p(apiMs, 0.5).toFixed(1)} ms, p95 ${p(apiMs, 0.95).toFixed(1)} ms over ${apiMs.length} requests (target p95 ≤ 50 ms)\n`,
  );
  doc.destroy();
  await dynamo.close();
});

describe.runIf(sharedDataAvailable)('points inside a drawn 1 km² area, 1 M crimes', () => {
  bench('bbox scan + ray casting (pointsInside)', () => {
    inside = pointsInside(points, area).length;
  }, { time: 2000 });
  bench('baseline: turf.pointsWithinPolygon', () => {
    turf.pointsWithinPolygon(turfPoints, turf.feature(area));
  }, { time: 0, iterations: 3, warmupTime: 0, warmupIterations: 0 });
});

let shift = 0;
const coldMs: number[] = [];
describe.runIf(sharedDataAvailable)('the whole area panel', () => {
  bench('AreaAnalysisService.analyse, a newly drawn area each time (cold)', async () => {
    // A fresh geometry each call, so nothing about the area is cached.
    shift += 1e-5;
    const moved = turf.circle([-1.1494 + shift, 52.9533], 0.564, { units: 'kilometers', steps: 64 }).geometry as AreaGeometry;
    const t = performance.now();
    await analysis.analyse(principal, moved, { datasetId: 'bench', categories: [] });
    coldMs.push(performance.now() - t);
  }, { time: 3000 });
  bench('AreaAnalysisService.analyse, same area, other categories (warm)', async () => {
    const t = performance.now();
    await analysis.analyse(principal, area, { datasetId: 'bench', categories: [] });
    computeMs.push(performance.now() - t);
  }, { time: 3000 });
  bench('POST /api/areas/analyse (API, embedded DynamoDB)', async () => {
    const t = performance.now();
    const res = await app.request('/api/areas/analyse', { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ geometry: area, dataset: 'bench' }) });
    if (res.status !== 200) throw new Error(`status ${res.status}`);
    await res.json();
    apiMs.push(performance.now() - t);
  }, { time: 3000 });
});
