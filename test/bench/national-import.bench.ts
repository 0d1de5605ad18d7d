import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { importFiles } from '@safer-places/importer';
import { SHARED_DATA, mustHaveSharedData, sharedDataAvailable } from '../integration/shared-data';
import { BENCH, generateForBench, importNational, nationalInputs, openStore, type Store } from '../support/national/bench-setup';
import type { NationalResult } from '../support/national/generate';

/**
 * The national import: a SYNTHETIC police.uk data set over all 33,755 England LSOAs (test/support/national; one month
 * of ~6 M crimes a year by default, NATIONAL_BENCH_MONTHS=12 for the year) imported with the real importer into the
 * embedded store, in rows per second against the real county import (24 months of Nottinghamshire, ~258 k rows)
 * measured in the same run; and one synthetic force imported on its own, as the per-force split does it.
 */
if (!sharedDataAvailable && mustHaveSharedData) throw new Error(`shared data missing at ${SHARED_DATA}`);

let result: NationalResult;
let store: Store;
let generateSeconds = 0;
let runs = 0;
const figures = new Map<string, { rows: number; seconds: number; note: string }>();

beforeAll(async () => {
  if (!sharedDataAvailable) return;
  const t0 = performance.now();
  result = await generateForBench(SHARED_DATA);
  generateSeconds = (performance.now() - t0) / 1000;
  store = await openStore('national-import-bench');
}, 600_000);

afterAll(async () => {
  if (!sharedDataAvailable) return;
  const county = figures.get('county');
  const line = (key: string, label: string) => {
    const f = figures.get(key);
    if (!f) return `  ${label}: not run`;
    const rate = f.rows / f.seconds;
    const ratio = county ? ` = ${(rate / (county.rows / county.seconds)).toFixed(2)}× the county's` : '';
    return `  ${label}: ${f.rows.toLocaleString('en-GB')} rows in ${f.seconds.toFixed(1)} s, ${Math.round(rate).toLocaleString('en-GB')} rows/s${ratio}${f.note ? ` (${f.note})` : ''}`;
  };
  console.log(
    [
      `\nnational import (SYNTHETIC, seed ${result.seed}, ${result.months.length} month(s), fraction ${BENCH.fraction}; generated ${result.rows.toLocaleString('en-GB')} rows in ${generateSeconds.toFixed(1)} s, ${Math.round(result.rows / generateSeconds).toLocaleString('en-GB')} rows/s):`,
      line('county', 'baseline: county import, 24 months of real Nottinghamshire data'),
      line('national', 'national import, all 296 districts'),
      line('force', 'one synthetic force, study area from the force lookup'),
    ].join('\n'),
  );
  store.doc.destroy();
  await store.dynamo.close();
  rmSync(result.out, { recursive: true, force: true });
});

describe.runIf(sharedDataAvailable)('import rows per second: national (synthetic) against county (real)', () => {
  bench(
    'baseline: county import (real Nottinghamshire, 24 months)',
    async () => {
      const t0 = performance.now();
      const report = await importFiles(
        [join(SHARED_DATA, 'lsoa21-boundaries'), join(SHARED_DATA, 'iod2025-nottinghamshire.csv'), join(SHARED_DATA, 'lookups'), join(SHARED_DATA, 'police-uk')],
        { reference: store.reference, datasetId: `county-${++runs}` },
      );
      figures.set('county', { rows: report.crimes!.rowsRead, seconds: (performance.now() - t0) / 1000, note: `${report.reference!.lsoas} LSOAs` });
    },
    { time: 0, iterations: 1, warmupTime: 0, warmupIterations: 0 },
  );
  bench(
    'national import: 33,755 LSOAs, 296 districts, all synthetic forces',
    async () => {
      const { report, seconds } = await importNational(store, SHARED_DATA, result, `national-${++runs}`);
      figures.set('national', { rows: report.crimes!.rowsRead, seconds, note: `${report.reference!.lsoas.toLocaleString('en-GB')} LSOAs, ${(report.crimes!.placedShareOfLocated * 100).toFixed(2)} % of located rows placed` });
    },
    { time: 0, iterations: 1, warmupTime: 0, warmupIterations: 0 },
  );
  bench(
    'one synthetic force (the largest), as a per-force import',
    async () => {
      const largest = [...result.forces].sort((a, b) => b.lsoas - a.lsoas)[0]!;
      const t0 = performance.now();
      const report = await importFiles(nationalInputs(SHARED_DATA, result, [largest.id]), { reference: store.reference, datasetId: `force-${++runs}` });
      figures.set('force', {
        rows: report.crimes!.rowsRead,
        seconds: (performance.now() - t0) / 1000,
        note: `${largest.name}: study area ${report.studyArea.area.label}, ${report.reference!.lsoas.toLocaleString('en-GB')} LSOAs`,
      });
    },
    { time: 0, iterations: 1, warmupTime: 0, warmupIterations: 0 },
  );
});
