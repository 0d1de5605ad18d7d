import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { POLICE_COLUMNS } from '@safer-places/importer';

/**
 * Tiny synthetic inputs for the police.uk CSV corpus, built in a temporary folder at test time: five square LSOAs in a
 * row (0.01° wide, west to east from lon -1.25 at lat 53.00–53.01, about 670 m apart), a 2011→2021 lookup in which the
 * retired 2011 LSOA E01009991 was split into E01000003 and E01000004, and police.uk rows over them.
 */
export { SQUARES, boundaryGeoJson, centre, policeRow } from '@safer-places/importer/test-fixtures';
export const RETIRED_2011 = 'E01009991';
export const HEADER: string[] = [...POLICE_COLUMNS];

/** RFC 4180 text: a cell with a comma, quote or line break is quoted, quotes doubled. */
export const csvText = (rows: readonly (readonly (string | number)[])[], eol = '\n') =>
  rows.map((r) => r.map((v) => (/[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(',')).join(eol) + eol;

export const LOOKUP_CSV = csvText([
  ['lsoa11cd', 'lsoa11nm', 'chgind', 'lsoa21cd', 'lsoa21nm', 'lad22cd', 'lad22nm'],
  [RETIRED_2011, 'Testshire 003A', 'S', 'E01000003', 'Testshire 003A', 'E07000999', 'Testshire'],
  [RETIRED_2011, 'Testshire 003A', 'S', 'E01000004', 'Testshire 004A', 'E07000999', 'Testshire'],
]);

export type PoliceColumn = (typeof POLICE_COLUMNS)[number];

/** The row with one column left out (for files whose header lacks it). */
export const without = (column: PoliceColumn, row: readonly (string | number)[]) => row.filter((_, i) => POLICE_COLUMNS[i] !== column);

export { tempDir } from '@safer-places/importer/test-fixtures';

export function writeIn(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
