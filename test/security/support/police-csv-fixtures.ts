import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { POLICE_COLUMNS } from '@safer-places/importer';

/**
 * Tiny synthetic inputs for the police.uk CSV corpus, built in a temporary folder at test time: five square LSOAs in a
 * row (0.01° wide, west to east from lon -1.25 at lat 53.00–53.01, about 670 m apart), a 2011→2021 lookup in which the
 * retired 2011 LSOA E01009991 was split into E01000003 and E01000004, and police.uk rows over them.
 */
export const SQUARES = ['E01000001', 'E01000002', 'E01000003', 'E01000004', 'E01000005'] as const;
export const RETIRED_2011 = 'E01009991';
export const centre = (i: number): [number, number] => [-1.25 + 0.01 * i + 0.005, 53.005];
export const HEADER: string[] = [...POLICE_COLUMNS];

export function boundaryGeoJson() {
  return {
    type: 'FeatureCollection',
    features: SQUARES.map((code, i) => {
      const x = -1.25 + 0.01 * i;
      return {
        type: 'Feature',
        properties: { LSOA21CD: code, LSOA21NM: `Testshire 00${i + 1}A`, LAD24CD: 'E07000999', LAD24NM: 'Testshire' },
        geometry: { type: 'Polygon', coordinates: [[[x, 53], [x + 0.01, 53], [x + 0.01, 53.01], [x, 53.01], [x, 53]]] },
      };
    }),
  };
}

/** RFC 4180 text: a cell with a comma, quote or line break is quoted, quotes doubled. */
export const csvText = (rows: readonly (readonly (string | number)[])[], eol = '\n') =>
  rows.map((r) => r.map((v) => (/[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(',')).join(eol) + eol;

export const LOOKUP_CSV = csvText([
  ['lsoa11cd', 'lsoa11nm', 'chgind', 'lsoa21cd', 'lsoa21nm', 'lad22cd', 'lad22nm'],
  [RETIRED_2011, 'Testshire 003A', 'S', 'E01000003', 'Testshire 003A', 'E07000999', 'Testshire'],
  [RETIRED_2011, 'Testshire 003A', 'S', 'E01000004', 'Testshire 004A', 'E07000999', 'Testshire'],
]);

export type PoliceColumn = (typeof POLICE_COLUMNS)[number];

/** A police.uk row: a burglary at the centre of E01000001 in January 2024, with the given cells changed. */
export function policeRow(o: Partial<Record<PoliceColumn, string | number>> = {}): (string | number)[] {
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

/** The row with one column left out (for files whose header lacks it). */
export const without = (column: PoliceColumn, row: readonly (string | number)[]) => row.filter((_, i) => POLICE_COLUMNS[i] !== column);

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sp-police-csv-'));
}

export function writeIn(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
