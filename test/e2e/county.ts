import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFiles, openStore } from '@safer-places/importer';
import { SHARED_DATA } from '../integration/shared-data';

/** The last three months of the real Nottinghamshire data: enough for every workflow, quick to import. */
export const COUNTY_MONTHS = ['2024-10', '2024-11', '2024-12'] as const;

/**
 * A fresh data folder with the real county imported as `npm run import` would (LSOA 2021 boundaries, lookups, Census
 * population, police.uk months and, unless left out, IoD 2025), for a browser test's own server.
 */
export async function importCounty(name: string, options: { deprivation?: boolean } = {}): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), `safer-places-e2e-${name}-`));
  const store = await openStore({ dataDir });
  try {
    await importFiles(
      [
        join(SHARED_DATA, 'lsoa21-boundaries'),
        ...(options.deprivation === false ? [] : [join(SHARED_DATA, 'iod2025-nottinghamshire.csv')]),
        join(SHARED_DATA, 'population/lsoa21-census2021-usual-residents-nottinghamshire.csv'),
        join(SHARED_DATA, 'lookups'),
        ...COUNTY_MONTHS.map((m) => join(SHARED_DATA, 'police-uk', `${m}-nottinghamshire-street.csv`)),
      ],
      { reference: store.reference, datasetId: 'open-data', datasetName: 'Nottinghamshire open data' },
    );
  } finally {
    await store.close();
  }
  return dataDir;
}
