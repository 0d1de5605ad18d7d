import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoReferenceRepository, createDocumentClient, ensureTable } from '@safer-places/store';
import { startEmbeddedDynamo } from '@safer-places/store/embedded';
import { POLICE_COLUMNS } from '../src/file-kinds';

/** Five square LSOAs in a row (shared with the security suite's police.uk corpus), 0.01° wide, west to east from lon -1.25, lat 53.0 to 53.01. */
export const SQUARES = ['E01000001', 'E01000002', 'E01000003', 'E01000004', 'E01000005'];
export const centre = (i: number): [number, number] => [-1.25 + 0.01 * i + 0.005, 53.005];

export function boundaryGeoJson(codes = SQUARES) {
  return {
    type: 'FeatureCollection',
    features: codes.map((code, i) => {
      const x = -1.25 + 0.01 * i;
      return {
        type: 'Feature',
        properties: { LSOA21CD: code, LSOA21NM: `Testshire 00${i + 1}A`, LAD24CD: 'E07000999', LAD24NM: 'Testshire' },
        geometry: { type: 'Polygon', coordinates: [[[x, 53], [x + 0.01, 53], [x + 0.01, 53.01], [x, 53.01], [x, 53]]] },
      };
    }),
  };
}

export const csv = (rows: (string | number)[][]) =>
  rows.map((r) => r.map((v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(',')).join('\n') + '\n';

export function policeRow(o: Partial<Record<(typeof POLICE_COLUMNS)[number], string | number>> = {}): (string | number)[] {
  const base: Record<string, string | number> = {
    'Crime ID': '',
    Month: '2024-01',
    'Reported by': 'Testshire Police',
    'Falls within': 'Testshire Police',
    Longitude: centre(0)[0],
    Latitude: centre(0)[1],
    Location: 'On or near High Street',
    'LSOA code': 'E01000001',
    'LSOA name': 'Testshire 001A',
    'Crime type': 'Burglary',
    'Last outcome category': 'Under investigation',
    Context: '',
    ...o,
  };
  return POLICE_COLUMNS.map((c) => base[c]!);
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sp-import-'));
}

export function write(dir: string, name: string, content: string | object): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

export async function memoryStore() {
  const dynamo = await startEmbeddedDynamo();
  const doc = createDocumentClient({ endpoint: dynamo.endpoint });
  await ensureTable(doc, 'import-test');
  return { reference: new DynamoReferenceRepository(doc, 'import-test'), close: async () => (doc.destroy(), dynamo.close()) };
}
