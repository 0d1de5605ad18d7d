import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as turf from '@turf/turf';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { createPolygonLocator } from '@safer-places/geo';
import type { AreaGeometry } from '@safer-places/schemas';
import { batchWrite, DynamoReferenceRepository, createDocumentClient, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo } from '@safer-places/store/embedded';
import { readCsvRows } from '../src/csv';
import { importFiles } from '../src/index';

/**
 * Benchmarks on the real Nottinghamshire data (../shared/data; under CI=true a missing folder is an error).
 * Each prints its figure and its ratio to a baseline measured in the same run.
 */
const DATA = process.env.SHARED_DATA_DIR ?? join(import.meta.dirname, '../../../../shared/data');
const POLICE = join(DATA, 'police-uk');
let available = true;
try {
  readdirSync(POLICE);
} catch {
  available = false;
  if (process.env.CI === 'true') throw new Error(`shared data missing at ${DATA}`);
  console.warn(`benchmarks on real data need ${DATA}; not run`);
}

const lonLat: number[] = [];
const polygons: { code: string; geometry: AreaGeometry }[] = [];

beforeAll(async () => {
  if (!available) return;
  for (const f of readdirSync(join(DATA, 'lsoa21-boundaries'))) {
    const fc = JSON.parse(readFileSync(join(DATA, 'lsoa21-boundaries', f), 'utf8')) as { features: { properties: { LSOA21CD: string }; geometry: AreaGeometry }[] };
    polygons.push(...fc.features.map((x) => ({ code: x.properties.LSOA21CD, geometry: x.geometry })));
  }
  for (const f of readdirSync(POLICE)) {
    let header = true;
    for await (const { values } of readCsvRows(join(POLICE, f))) {
      if (header) {
        header = false;
        continue;
      }
      if (values[4] && values[5]) lonLat.push(Number(values[4]), Number(values[5]));
    }
  }
}, 120_000);

const timings = new Map<string, { ms: number; runs: number }>();
function timed(name: string, fn: () => unknown) {
  return async () => {
    const t = performance.now();
    await fn();
    const entry = timings.get(name) ?? { ms: 0, runs: 0 };
    entry.ms += performance.now() - t;
    entry.runs++;
    timings.set(name, entry);
  };
}
const perSecond = (name: string, units: number) => {
  const t = timings.get(name);
  return t ? units / (t.ms / t.runs / 1000) : NaN;
};

describe.runIf(available)('spatial join: 256 k located police.uk rows → 684 LSOA21', () => {
  bench(
    'flatbush prefilter + ray casting (createPolygonLocator)',
    timed('locator', () => {
      const locator = createPolygonLocator(polygons);
      let placed = 0;
      for (let i = 0; i < lonLat.length; i += 2) if (locator.locate(lonLat[i]!, lonLat[i + 1]!)) placed++;
      if (placed < 250_000) throw new Error(`placed only ${placed}`);
    }),
    { time: 2000, warmupIterations: 2 },
  );
  bench(
    'baseline: naive Turf booleanPointInPolygon over every polygon',
    timed('naive', () => {
      const features = polygons.map((p) => turf.feature(p.geometry));
      let placed = 0;
      for (let i = 0; i < lonLat.length; i += 2) {
        const pt = [lonLat[i]!, lonLat[i + 1]!];
        if (features.some((f) => turf.booleanPointInPolygon(pt, f))) placed++;
      }
      if (placed < 250_000) throw new Error(`placed only ${placed}`);
    }),
    { time: 0, iterations: 1, warmupIterations: 0 },
  );
});

const ALL_ROWS = 258_417;
const SAMPLE_MONTHS = ['2024-11', '2024-12'];

describe.runIf(available)('whole import of 24 months into the embedded store', () => {
  bench(
    'npm run import (packed month chunks)',
    timed('import', async () => {
      const dynamo = await startEmbeddedDynamo();
      const doc = createDocumentClient({ endpoint: dynamo.endpoint });
      await ensureTable(doc, 'bench');
      const report = await importFiles([join(DATA, 'lsoa21-boundaries'), join(DATA, 'iod2025-nottinghamshire.csv'), join(DATA, 'population'), join(DATA, 'lookups'), POLICE], {
        reference: new DynamoReferenceRepository(doc, 'bench'),
        datasetId: 'bench',
      });
      if (report.crimes!.rowsRead !== ALL_ROWS) throw new Error(`read ${report.crimes!.rowsRead} rows`);
      doc.destroy();
      await dynamo.close();
    }),
    { time: 0, iterations: 3, warmupIterations: 1 },
  );
});

describe.runIf(available)('the whole shared folder as downloaded (England-wide LSOA, IoD and IMD files beside the county ones)', () => {
  bench(
    'npm run import -- <folder> (study area chosen and clipped to 684 of 33,755 LSOAs)',
    timed('import-england', async () => {
      const dynamo = await startEmbeddedDynamo();
      const doc = createDocumentClient({ endpoint: dynamo.endpoint });
      await ensureTable(doc, 'bench');
      const report = await importFiles([DATA], { reference: new DynamoReferenceRepository(doc, 'bench'), datasetId: 'bench-england' });
      if (report.crimes!.rowsRead !== ALL_ROWS) throw new Error(`read ${report.crimes!.rowsRead} rows`);
      if (report.studyArea.area.lsoaCount !== 684) throw new Error(`kept ${report.studyArea.area.lsoaCount} LSOAs, not 684`);
      doc.destroy();
      await dynamo.close();
    }),
    { time: 0, iterations: 2, warmupIterations: 0 },
  );
});

let sampleRows = 0;
describe.runIf(available)('baseline layout: one DynamoDB item per crime (2 months, same store)', () => {
  bench(
    'BatchWrite one item per crime',
    timed('per-crime', async () => {
      const dynamo = await startEmbeddedDynamo();
      const doc = createDocumentClient({ endpoint: dynamo.endpoint });
      await ensureTable(doc, 'bench');
      const items: Record<string, unknown>[] = [];
      for (const month of SAMPLE_MONTHS) {
        let header = true;
        for await (const { values } of readCsvRows(join(POLICE, `${month}-nottinghamshire-street.csv`))) {
          if (header) {
            header = false;
            continue;
          }
          items.push({ pk: `DS#bench#CRIME#${month}`, sk: `${values[7]}#${items.length}`, id: values[0], lon: Number(values[4]), lat: Number(values[5]), type: values[9], location: values[6] });
        }
      }
      await batchWrite(doc, 'bench', items.map((Item) => ({ PutRequest: { Item } })));
      sampleRows = items.length;
      doc.destroy();
      await dynamo.close();
    }),
    { time: 0, iterations: 1, warmupIterations: 0 },
  );
});

afterAll(() => {
  if (!available) return;
  const points = lonLat.length / 2;
  const locator = perSecond('locator', points);
  const naive = perSecond('naive', points);
  const importRate = perSecond('import', ALL_ROWS);
  const perCrime = perSecond('per-crime', sampleRows);
  console.log(
    [
      '',
      `spatial join: ${(locator / 1e6).toFixed(2)} M points/s (target ≥ 1 M/s); naive Turf ${(naive / 1e3).toFixed(1)} k points/s; ratio ${(locator / naive).toFixed(0)}× (target ≥ 25×)`,
      `whole import: ${Math.round(importRate).toLocaleString('en-GB')} rows/s end to end (target ≥ 20,000); one item per crime: ${Math.round(perCrime).toLocaleString('en-GB')} rows/s; ratio ${(importRate / perCrime).toFixed(1)}×`,
      `whole shared folder with the England files: ${Math.round(perSecond('import-england', ALL_ROWS)).toLocaleString('en-GB')} rows/s; ratio to the county-only import ${(perSecond('import-england', ALL_ROWS) / importRate).toFixed(2)} (1.00 = no cost for the national files)`,
      '',
    ].join('\n'),
  );
});
