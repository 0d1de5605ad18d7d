import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createLocalTokenService } from '@safer-places/api';
import { UNPLACED_LSOA, toCsv, type CrimeRecord } from '@safer-places/domain';
import { ImportInputError, formatReport, importCli, importFiles, type ImportReport, type RowCounts } from '@safer-places/importer';
import { createDocumentClient, dynamoPorts, ensureTable, type DynamoReferenceRepository } from '@safer-places/store';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '@safer-places/store/embedded';
import { recordFigure } from './figures';
import {
  HEADER,
  LOOKUP_CSV,
  RETIRED_2011,
  SQUARES,
  boundaryGeoJson,
  centre,
  csvText,
  policeRow,
  tempDir,
  without,
  writeIn,
  type PoliceColumn,
} from './support/police-csv-fixtures';

/**
 * A named corpus of bad (and merely awkward) police.uk street-crime CSVs. Each case is built in a temporary folder,
 * imported with the LSOA boundaries and the 2011→2021 lookup into a dataset of its own, and checked three ways:
 * the status (imported with these counts, or refused with ImportInputError and CLI exit 2), the exact message (row
 * issues, warnings, report lines, or the error), and exactly what the store holds afterwards (every accepted row
 * once, nothing rejected, nothing at all for a refused file). Imported files are then imported again, which must
 * change nothing.
 */

const TABLE = 'police-csv-corpus';
/** The import's clock: months after 2026-06 are in the future. */
const now = () => new Date('2026-06-15T12:00:00Z');
const LATEST = '2026-06';

// ---- Building rows ----------------------------------------------------------------------------------------------

/** A police.uk row at the centre of square i (0–4), published with that square's LSOA code. */
const rowAt = (i: number, o: Partial<Record<PoliceColumn, string | number>> = {}) =>
  policeRow({ Longitude: centre(i)[0], Latitude: centre(i)[1], 'LSOA code': SQUARES[i]!, 'LSOA name': `Testshire 00${i + 1}A`, ...o });

/** The record the store should hold for such a row. */
const crime = (o: Partial<CrimeRecord> & { id: string }): CrimeRecord => ({
  month: '2024-01',
  category: 'burglary',
  lon: centre(0)[0],
  lat: centre(0)[1],
  location: 'On or near High Street',
  lsoaCode: 'E01000001',
  publishedLsoaCode: 'E01000001',
  outcome: 'Under investigation',
  ...o,
});
const at = (i: number) => ({ lon: centre(i)[0], lat: centre(i)[1], lsoaCode: SQUARES[i]!, publishedLsoaCode: SQUARES[i]! });
const noLocation = { lon: null, lat: null, lsoaCode: UNPLACED_LSOA };

/** Windows-1252 bytes for text whose only non-ASCII characters are the ones listed (as Excel writes on a UK PC). */
const windows1252 = (text: string) =>
  Buffer.from(text.replace(/\u2013/g, '\x96').replace(/\u2019/g, '\x92').replace(/\u20ac/g, '\x80'), 'latin1');

const LON0 = String(centre(0)[0]);
const LAT = String(centre(0)[1]);
const HYPERLINK = '=HYPERLINK("http://evil.example","x")';
const PLUS = "+cmd|' /C calc'!A0";
const MINUS = "-2+3+cmd|' /C calc'!A0";
const AT = "@SUM(1+1)*cmd|' /C calc'!A0";

// ---- The corpus -------------------------------------------------------------------------------------------------

type Counts = RowCounts;
const COUNT_KEYS: (keyof Counts)[] = ['rowsRead', 'imported', 'duplicatesSkipped', 'sameIdDifferentRow', 'rejected', 'noLocation', 'outsideLsoas', 'publishedCodeDiffers'];

interface Imported {
  status: 'imported';
  /** Report counts; any not given must be 0. */
  counts: Partial<Counts>;
  retiredCodes?: Record<string, number>;
  /** Every row issue, as "line: reason". */
  issues: string[];
  /** Every report warning, given the crime file's path. */
  warnings?: (path: string) => string[];
  /** Lines the printed report must contain. */
  reportLines?: string[];
  /** Exactly the crimes stored afterwards (ids of ASB rows and of same-ID-different-row copies normalised). */
  stored: CrimeRecord[];
  /** Further checks on what was stored (e.g. how it leaves the product). */
  then?: (ctx: { datasetId: string; stored: CrimeRecord[] }) => Promise<void>;
}
interface Refused {
  status: 'refused';
  /** The line of the error that names the file and the problem. */
  reason: (path: string) => string;
}
interface Case {
  name: string;
  /** The crime file: its name and bytes. */
  file: { name?: string; content: string | Buffer };
  /** Import the folder holding the file with the boundaries (as `npm run import -- data/`) instead of naming it. */
  inFolder?: boolean;
  expected: Imported | Refused;
}

const cases: Case[] = [
  {
    name: 'UTF-8 byte-order mark on the header (Excel "CSV UTF-8", CRLF line endings)',
    file: { content: `\uFEFF${csvText([HEADER, rowAt(0, { 'Crime ID': 'c1' }), rowAt(1, { 'Crime ID': 'c2', 'Crime type': 'Shoplifting' })], '\r\n')}` },
    expected: {
      status: 'imported',
      counts: { rowsRead: 2, imported: 2 },
      issues: [],
      reportLines: ['rows read 2, imported 2, identical duplicates skipped 0, rejected 0'],
      stored: [crime({ id: 'c1' }), crime({ id: 'c2', category: 'shoplifting', ...at(1) })],
    },
  },
  {
    name: 'byte-order mark before a header whose names are quoted',
    file: { content: `\uFEFF${HEADER.map((h) => `"${h}"`).join(',')}\n${csvText([rowAt(2, { 'Crime ID': 'c3' })])}` },
    expected: {
      status: 'imported',
      counts: { rowsRead: 1, imported: 1 },
      issues: [],
      stored: [crime({ id: 'c3', ...at(2) })],
    },
  },
  {
    name: 'quoted fields containing commas and doubled quotes',
    file: {
      content: csvText([
        HEADER,
        rowAt(0, { 'Crime ID': 'q1', Location: 'On or near Parking Area, Market Street' }),
        rowAt(1, {
          'Crime ID': 'q2',
          Location: 'On or near "The Crown", Bridge Street',
          'LSOA name': 'Testshire, 002A',
          'Last outcome category': 'Investigation complete, no suspect identified',
          Context: 'Reported at 23:00, "two men"',
        }),
      ]),
    },
    expected: {
      status: 'imported',
      counts: { rowsRead: 2, imported: 2 },
      issues: [],
      stored: [
        crime({ id: 'q1', location: 'On or near Parking Area, Market Street' }),
        crime({ id: 'q2', ...at(1), location: 'On or near "The Crown", Bridge Street', outcome: 'Investigation complete, no suspect identified' }),
      ],
    },
  },
  {
    name: 'a required column missing (no "Crime type")',
    file: { content: csvText([without('Crime type', HEADER), without('Crime type', rowAt(0, { 'Crime ID': 'm1' }))]) },
    expected: {
      status: 'refused',
      reason: (path) => `${path}: it looks like police.uk street-level crime but has no "Crime type" column (its header: ${without('Crime type', HEADER).join(', ')})`,
    },
  },
  {
    name: 'required columns renamed (Lon, Lat), in a folder where unknown files are only skipped',
    file: { content: csvText([HEADER.map((h) => (h === 'Longitude' ? 'Lon' : h === 'Latitude' ? 'Lat' : h)), rowAt(0, { 'Crime ID': 'm2' })]) },
    inFolder: true,
    expected: {
      status: 'refused',
      reason: (path) =>
        `${path}: it looks like police.uk street-level crime but has no "Longitude", "Latitude" columns (its header: ${HEADER.map((h) => (h === 'Longitude' ? 'Lon' : h === 'Latitude' ? 'Lat' : h)).join(', ')})`,
    },
  },
  {
    name: 'blank Crime ID (anti-social behaviour): identical rows are separate incidents',
    file: {
      content: csvText([
        HEADER,
        rowAt(0, { 'Crime type': 'Anti-social behaviour', Location: 'On or near Park Road', 'Last outcome category': '' }),
        rowAt(0, { 'Crime type': 'Anti-social behaviour', Location: 'On or near Park Road', 'Last outcome category': '' }),
        rowAt(1, { 'Crime type': 'Anti-social behaviour', 'Last outcome category': '' }),
      ]),
    },
    expected: {
      status: 'imported',
      counts: { rowsRead: 3, imported: 3 },
      issues: [],
      reportLines: ['rows read 3, imported 3, identical duplicates skipped 0, rejected 0'],
      stored: [
        crime({ id: 'asb-#0', category: 'anti-social-behaviour', location: 'On or near Park Road', outcome: null }),
        crime({ id: 'asb-#1', category: 'anti-social-behaviour', location: 'On or near Park Road', outcome: null }),
        crime({ id: 'asb-#0', category: 'anti-social-behaviour', ...at(1), outcome: null }),
      ],
    },
  },
  {
    name: 'duplicate Crime IDs: an identical row counted once, the same ID on a different row kept',
    file: {
      content: csvText([
        HEADER,
        rowAt(0, { 'Crime ID': 'd1' }),
        rowAt(0, { 'Crime ID': 'd1' }),
        rowAt(0, { 'Crime ID': 'd1' }),
        rowAt(1, { 'Crime ID': 'd2' }),
        rowAt(1, { 'Crime ID': 'd2', Location: 'On or near Station Road' }),
      ]),
    },
    expected: {
      status: 'imported',
      counts: { rowsRead: 5, imported: 3, duplicatesSkipped: 2, sameIdDifferentRow: 1 },
      issues: [],
      reportLines: [
        'rows read 5, imported 3, identical duplicates skipped 2, rejected 0',
        'rows sharing a Crime ID with a different row (kept, police.uk publishes these): 1',
      ],
      stored: [crime({ id: 'd1' }), crime({ id: 'd2', ...at(1) }), crime({ id: 'd2:#', ...at(1), location: 'On or near Station Road' })],
    },
  },
  {
    name: 'blank coordinates (police.uk "No Location" rows), and one coordinate of two blank',
    file: {
      content: csvText([
        HEADER,
        policeRow({ 'Crime ID': 'n1', Longitude: '', Latitude: '', Location: 'No Location', 'LSOA code': '', 'LSOA name': '' }),
        policeRow({ 'Crime ID': 'n2', Longitude: '' }),
      ]),
    },
    expected: {
      status: 'imported',
      counts: { rowsRead: 2, imported: 2, noLocation: 2 },
      issues: [`3: coordinates "", "${LAT}" are not a longitude/latitude; stored without a location`],
      reportLines: ['of those imported: no location 2, outside every known LSOA 0 (both stored as unplaced)'],
      stored: [crime({ id: 'n1', ...noLocation, location: 'No Location', publishedLsoaCode: null }), crime({ id: 'n2', ...noLocation })],
    },
  },
  {
    name: 'retired 2011 LSOA codes in the LSOA code column',
    file: {
      content: csvText([
        HEADER,
        rowAt(2, { 'Crime ID': 'r1', 'LSOA code': RETIRED_2011 }),
        rowAt(3, { 'Crime ID': 'r2', 'LSOA code': RETIRED_2011 }),
        policeRow({ 'Crime ID': 'r3', Longitude: '', Latitude: '', Location: 'No Location', 'LSOA code': RETIRED_2011 }),
      ]),
    },
    expected: {
      status: 'imported',
      counts: { rowsRead: 3, imported: 3, noLocation: 1 },
      retiredCodes: { [RETIRED_2011]: 3 },
      issues: [],
      reportLines: [
        `retired 2011 LSOA codes seen: 1 codes, 3 rows (${RETIRED_2011} ×3)`,
        'published LSOA code differs from the LSOA the point falls in: 0',
      ],
      // Placed by their coordinates in the 2021 LSOAs the retired one was split into; the published code is kept.
      stored: [
        crime({ id: 'r1', ...at(2), publishedLsoaCode: RETIRED_2011 }),
        crime({ id: 'r2', ...at(3), publishedLsoaCode: RETIRED_2011 }),
        crime({ id: 'r3', ...noLocation, location: 'No Location', publishedLsoaCode: RETIRED_2011 }),
      ],
    },
  },
  {
    name: 'Windows-1252 text (Caf\\xe9, an en dash 0x96, a curly apostrophe 0x92): not valid UTF-8',
    file: {
      content: windows1252(
        csvText([
          HEADER,
          rowAt(0, { 'Crime ID': 'w1', Location: 'On or near Caf\u00e9 Parade' }),
          rowAt(1, { 'Crime ID': 'w2', Location: 'On or near Bus Station \u2013 Stand 4' }),
          rowAt(2, { 'Crime ID': 'w3', Location: 'On or near St Mary\u2019s Gate' }),
          rowAt(3, { 'Crime ID': 'w4' }),
        ]),
      ),
    },
    expected: {
      status: 'imported',
      counts: { rowsRead: 4, imported: 4 },
      issues: [],
      warnings: (path) => [`${path}: not valid UTF-8; 3 lines were read as Windows-1252 (first: line 2); save it as "CSV UTF-8" to be sure of accented text`],
      stored: [
        crime({ id: 'w1', location: 'On or near Caf\u00e9 Parade' }),
        crime({ id: 'w2', ...at(1), location: 'On or near Bus Station \u2013 Stand 4' }),
        crime({ id: 'w3', ...at(2), location: 'On or near St Mary\u2019s Gate' }),
        crime({ id: 'w4', ...at(3) }),
      ],
      then: async ({ stored }) => {
        // Not the replacement character, and not the Latin-1 control characters a naive decoder gives for 0x80–0x9F.
        for (const c of stored) expect(c.location).not.toMatch(/[\ufffd\u0080-\u009f]/);
      },
    },
  },
  {
    name: 'formula cells (= + - @): stored verbatim as text, escaped on the way out',
    file: {
      content: csvText([
        HEADER,
        ...['=1+1', 'f2', 'f3', 'f4'].map((id) => rowAt(0, { 'Crime ID': id, Location: HYPERLINK })),
        rowAt(1, { 'Crime ID': 'f5', Location: PLUS, 'Last outcome category': '@SUM(1+1)' }),
        ...['f6', 'f7'].map((id) => rowAt(1, { 'Crime ID': id, Location: PLUS })),
        ...['f8', 'f9'].map((id) => rowAt(2, { 'Crime ID': id, Location: MINUS })),
        rowAt(3, { 'Crime ID': 'f10', Location: AT, Context: '=1+1' }),
        rowAt(0, { 'Crime ID': 'f11', 'Crime type': HYPERLINK }),
        rowAt(0, { 'Crime ID': 'f12', Longitude: '=1+2' }),
      ]),
    },
    expected: {
      status: 'imported',
      counts: { rowsRead: 12, imported: 11, rejected: 1, noLocation: 1 },
      issues: [
        `12: Crime type "${HYPERLINK}" is not a police.uk category`,
        `13: coordinates "=1+2", "${LAT}" are not a longitude/latitude; stored without a location`,
      ],
      stored: [
        ...['=1+1', 'f2', 'f3', 'f4'].map((id) => crime({ id, location: HYPERLINK })),
        crime({ id: 'f5', ...at(1), location: PLUS, outcome: '@SUM(1+1)' }),
        ...['f6', 'f7'].map((id) => crime({ id, ...at(1), location: PLUS })),
        ...['f8', 'f9'].map((id) => crime({ id, ...at(2), location: MINUS })),
        crime({ id: 'f10', ...at(3), location: AT }),
        crime({ id: 'f12', ...noLocation }),
      ],
      then: async ({ datasetId, stored }) => {
        // The domain's CSV writer, on the stored text.
        const hyperlink = stored.find((c) => c.id === 'f2')!.location;
        expect(toCsv([[hyperlink]])).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")"\r\n`);
        expect(toCsv([[PLUS, MINUS, AT]])).toBe(`'+cmd|' /C calc'!A0,'-2+3+cmd|' /C calc'!A0,'@SUM(1+1)*cmd|' /C calc'!A0\r\n`);

        // The product's own export of the location text: GET /api/hotspots/top.csv.
        const res = await api(`/api/hotspots/top.csv?dataset=${datasetId}&categories=burglary&top=5`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
        const text = await res.text();
        expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
        const rows = parse(text, { relax_column_count: true }) as string[][];
        expect(rows[1]!.slice(0, 5)).toEqual(['Crime type', 'Rank', 'Crimes', 'Radius (m)', 'Location']);
        expect(rows.slice(2).map((r) => [r[0], r[1], r[2], r[4]])).toEqual([
          ['Burglary', '1', '4', `'${HYPERLINK}`],
          ['Burglary', '2', '3', `'${PLUS}`],
          ['Burglary', '3', '2', `'${MINUS}`],
          ['Burglary', '4', '1', `'${AT}`],
        ]);
        // Nothing in the file a spreadsheet would run: the only cells starting with - are numbers (longitudes).
        for (const cell of rows.flat()) if (/^[=+\-@\t\r]/.test(cell)) expect(Number.isFinite(Number(cell)), cell).toBe(true);
      },
    },
  },
  {
    name: 'ragged rows: too few cells, one cell too many, a trailing comma, an unquoted comma in Location',
    file: {
      content:
        csvText([HEADER, rowAt(0, { 'Crime ID': 'g1' })]) +
        'g2,2024-01,Testshire Police\n' +
        csvText([[...rowAt(0, { 'Crime ID': 'g3' }), 'extra']]) +
        `${rowAt(0, { 'Crime ID': 'g4' }).join(',')},\n` +
        `${rowAt(0, { 'Crime ID': 'g5', Location: 'PLACEHOLDER' }).join(',').replace('PLACEHOLDER', 'On or near Parking Area, Market Street')}\n`,
    },
    expected: {
      status: 'imported',
      counts: { rowsRead: 5, imported: 1, rejected: 4 },
      issues: ['3: row has 3 fields; the header has 12', '4: row has 13 fields; the header has 12', '5: row has 13 fields; the header has 12', '6: row has 13 fields; the header has 12'],
      reportLines: ['rows read 5, imported 1, identical duplicates skipped 0, rejected 4'],
      stored: [crime({ id: 'g1' })],
    },
  },
  {
    name: 'bad Month values (2024-13, 24/01, blank, 2024-1, Jan-24, a future month)',
    file: {
      content: csvText([
        HEADER,
        rowAt(0, { 'Crime ID': 'b1' }),
        ...['2024-13', '24/01', '', '2024-1', 'Jan-24', '2099-01'].map((Month, i) => rowAt(1, { 'Crime ID': `b${i + 2}`, Month })),
      ]),
    },
    expected: {
      status: 'imported',
      counts: { rowsRead: 7, imported: 1, rejected: 6 },
      issues: ['2024-13', '24/01', '', '2024-1', 'Jan-24', '2099-01'].map((m, i) => `${i + 3}: Month "${m}" is not a valid YYYY-MM month up to ${LATEST}`),
      stored: [crime({ id: 'b1' })],
      then: async ({ datasetId }) => {
        expect(await reference.getCrimeBlocks(datasetId, ['2024-13', '2099-01'])).toEqual([]);
      },
    },
  },
  {
    name: 'an unclosed quote on one line: that line rejected, the rest of the file still read',
    file: {
      content: csvText([HEADER, rowAt(0, { 'Crime ID': 'u1' })]) + `${rowAt(0, { 'Crime ID': 'u2', Location: '"On or near Mill Lane' }).join(',')}\n` + csvText([rowAt(1, { 'Crime ID': 'u3' })]),
    },
    expected: {
      status: 'imported',
      counts: { rowsRead: 3, imported: 2, rejected: 1 },
      issues: ['3: the line is not valid CSV (Quote Not Closed)'],
      stored: [crime({ id: 'u1' }), crime({ id: 'u3', ...at(1) })],
    },
  },
  {
    name: 'a header and no rows',
    file: { content: csvText([HEADER]) },
    expected: {
      status: 'imported',
      counts: {},
      issues: [],
      warnings: (path) => [`${path}: no rows after the header; nothing imported from it`],
      reportLines: ['months written (each replaces what was stored for that month): none'],
      stored: [],
    },
  },
  {
    name: 'an empty file (0 bytes)',
    file: { content: '' },
    expected: { status: 'refused', reason: (path) => `${path}: the file is empty` },
  },
  {
    name: 'non-numeric and out-of-range coordinates (abc, lon 500, lat 91, 1e999)',
    file: {
      content: csvText([
        HEADER,
        policeRow({ 'Crime ID': 'o1', Longitude: 'abc' }),
        policeRow({ 'Crime ID': 'o2', Longitude: 500 }),
        policeRow({ 'Crime ID': 'o3', Latitude: 91 }),
        policeRow({ 'Crime ID': 'o4', Longitude: '1e999' }),
      ]),
    },
    expected: {
      status: 'imported',
      counts: { rowsRead: 4, imported: 4, noLocation: 4 },
      issues: [
        `2: coordinates "abc", "${LAT}" are not a longitude/latitude; stored without a location`,
        `3: coordinates "500", "${LAT}" are not a longitude/latitude; stored without a location`,
        `4: coordinates "${LON0}", "91" are not a longitude/latitude; stored without a location`,
        `5: coordinates "1e999", "${LAT}" are not a longitude/latitude; stored without a location`,
      ],
      stored: ['o1', 'o2', 'o3', 'o4'].map((id) => crime({ id, ...noLocation })),
    },
  },
  {
    name: 'Longitude and Latitude swapped, and 0,0',
    file: {
      content: csvText([HEADER, rowAt(1, { 'Crime ID': 's1', Longitude: centre(1)[1], Latitude: centre(1)[0] }), policeRow({ 'Crime ID': 's2', Longitude: 0, Latitude: 0 })]),
    },
    expected: {
      status: 'imported',
      counts: { rowsRead: 2, imported: 2, outsideLsoas: 2 },
      issues: [
        `2: coordinates "${centre(1)[1]}", "${centre(1)[0]}" are outside the UK (Longitude and Latitude swapped?); kept as published, placed in no LSOA`,
        '3: coordinates "0", "0" are outside the UK; kept as published, placed in no LSOA',
      ],
      reportLines: ['of those imported: no location 0, outside every known LSOA 2 (both stored as unplaced)'],
      // Kept exactly as published (never "corrected"), in no LSOA.
      stored: [
        crime({ id: 's1', lon: centre(1)[1], lat: centre(1)[0], lsoaCode: UNPLACED_LSOA, publishedLsoaCode: SQUARES[1]! }),
        crime({ id: 's2', lon: 0, lat: 0, lsoaCode: UNPLACED_LSOA }),
      ],
    },
  },
  {
    name: 'the header line repeated mid-file (two files joined together)',
    file: { content: csvText([HEADER, rowAt(0, { 'Crime ID': 'j1' }), HEADER, rowAt(1, { 'Crime ID': 'j2' })]) },
    expected: {
      status: 'imported',
      counts: { rowsRead: 3, imported: 2, rejected: 1 },
      issues: ['3: the header line again (files joined together?); not a crime'],
      stored: [crime({ id: 'j1' }), crime({ id: 'j2', ...at(1) })],
    },
  },
  {
    name: 'columns in another order: read by name, not position',
    file: { content: csvText([[...HEADER].reverse(), rowAt(4, { 'Crime ID': 'x1', 'Crime type': 'Robbery' }).reverse()]) },
    expected: {
      status: 'imported',
      counts: { rowsRead: 1, imported: 1 },
      issues: [],
      stored: [crime({ id: 'x1', ...at(4), category: 'robbery' })],
    },
  },
];

// ---- Running a case ---------------------------------------------------------------------------------------------

let dynamo: EmbeddedDynamo;
let doc: ReturnType<typeof createDocumentClient>;
let reference: DynamoReferenceRepository;
let api: (path: string) => Promise<Response>;
let passed = 0;

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  doc = createDocumentClient({ endpoint: dynamo.endpoint });
  await ensureTable(doc, TABLE);
  const ports = dynamoPorts(doc, TABLE);
  reference = ports.reference;
  const tokens = createLocalTokenService(new TextEncoder().encode('police-csv-corpus-secret-0123456789'));
  const app = createApp({ ...ports, verifier: tokens.verifier, log: () => {} });
  const { token } = await tokens.issue({ userId: 'corpus-analyst', orgId: 'org-corpus', role: 'analyst' });
  api = async (path) => app.request(path, { headers: { Authorization: `Bearer ${token}` } });
});

afterAll(async () => {
  recordFigure('Bad input', 'police.uk CSV cases answered as expected', `${passed}/${cases.length}`);
  doc?.destroy();
  await dynamo?.close();
});

function sink() {
  let text = '';
  const stream = new Writable({ write: (chunk, _enc, done) => ((text += String(chunk)), done()) }) as unknown as NodeJS.WriteStream;
  return { stream, text: () => text };
}

/** Stored ids that depend on a row digest, written so a case can name them: asb-<digest>-n → asb-#n, id:<digest> → id:#. */
const normaliseId = (id: string) => id.replace(/^asb-[0-9a-f]{32}-(\d+)$/, 'asb-#$1').replace(/^(.+):[0-9a-f]{12}$/, '$1:#');
const record = (c: CrimeRecord): CrimeRecord => ({
  id: normaliseId(c.id),
  month: c.month,
  category: c.category,
  lon: c.lon,
  lat: c.lat,
  location: c.location,
  lsoaCode: c.lsoaCode,
  publishedLsoaCode: c.publishedLsoaCode,
  outcome: c.outcome,
});
const sorted = (crimes: CrimeRecord[]) => crimes.map((c) => JSON.stringify(record(c))).sort();

async function storedCrimes(datasetId: string) {
  const months = (await reference.getMonthlyCounts(datasetId, '0000-01', '9999-12')).map((m) => m.month);
  return (await reference.getCrimeBlocks(datasetId, months)).flatMap((b) => b.crimes);
}

async function expectNothingWritten(datasetId: string) {
  expect(await reference.getDataset(datasetId)).toBeNull();
  expect((await reference.listDatasets()).map((d) => d.id)).not.toContain(datasetId);
  expect(await reference.listLsoas(datasetId)).toEqual([]);
  expect(await reference.getMonthlyCounts(datasetId, '0000-01', '9999-12')).toEqual([]);
  expect(await reference.getCrimeBlocks(datasetId, ['2024-01'])).toEqual([]);
  expect(await reference.getDocument(datasetId, 'lsoa11-lookup')).toBeNull();
  expect(await reference.listDocuments(datasetId, 'import-report#')).toEqual([]);
}

async function expectImported(e: Imported, report: ImportReport, datasetId: string, crimePath: string) {
  // (1) Status and counts.
  const c = report.crimes!;
  expect(c).not.toBeNull();
  expect(Object.fromEntries(COUNT_KEYS.map((k) => [k, c[k]]))).toEqual(Object.fromEntries(COUNT_KEYS.map((k) => [k, e.counts[k] ?? 0])));
  expect(c.rowsRead).toBe(c.imported + c.duplicatesSkipped + c.rejected);
  expect(c.retiredCodes).toEqual(e.retiredCodes ?? {});
  // (2) The messages: every row issue with its line and reason, every warning, and the printed report.
  expect(c.issues.map((i) => `${i.line}: ${i.reason}`)).toEqual(e.issues);
  for (const i of c.issues) expect(i.file).toBe(basename(crimePath));
  expect(c.issueCount).toBe(e.issues.length);
  expect(report.warnings).toEqual(e.warnings?.(crimePath) ?? []);
  const printed = formatReport(report);
  for (const line of e.reportLines ?? []) expect(printed).toContain(line);
  // (3) What was written: exactly the expected crimes, each once, in the months they belong to, and the summary.
  const months = [...new Set(e.stored.map((x) => x.month))].sort();
  expect(c.monthsReplaced).toEqual(months);
  const counts = await reference.getMonthlyCounts(datasetId, '0000-01', '9999-12');
  expect(counts.map((m) => m.month)).toEqual(months);
  expect(counts.reduce((s, m) => s + [...m.counts.values()].flat().reduce((a, b) => a + b, 0), 0)).toBe(e.stored.length);
  const stored = await storedCrimes(datasetId);
  expect(sorted(stored)).toEqual(sorted(e.stored));
  expect(await reference.getDataset(datasetId)).toMatchObject({
    synthetic: false,
    lsoaCount: SQUARES.length,
    crimeCount: e.stored.length,
    firstMonth: months[0] ?? null,
    lastMonth: months.at(-1) ?? null,
  });
  expect((await reference.listDatasets()).map((d) => d.id)).toContain(datasetId);
  return stored;
}

describe('police.uk CSV bad-input corpus', () => {
  it.each(cases)('$name', async (k) => {
    const datasetId = `pcsv-${cases.indexOf(k) + 1}`;
    const dir = tempDir();
    const data = join(dir, 'data');
    mkdirSync(data);
    const boundaries = writeIn(data, 'lsoa21.geojson', JSON.stringify(boundaryGeoJson()));
    const lookup = writeIn(data, 'lsoa11-lsoa21-lookup.csv', LOOKUP_CSV);
    const crimePath = writeIn(k.inFolder ? data : dir, k.file.name ?? '2024-01-testshire-street.csv', k.file.content);
    const paths = k.inFolder ? [data] : [boundaries, lookup, crimePath];
    const options = { reference, datasetId, now };
    const e = k.expected;

    if (e.status === 'refused') {
      // (1) Refused with ImportInputError, and the CLI exits 2 (bad input, nothing written) printing the same message.
      const error = await importFiles(paths, options).then(
        () => null,
        (x: unknown) => x,
      );
      expect(error).toBeInstanceOf(ImportInputError);
      const message = (error as ImportInputError).message;
      // (2) The message names the file and the problem (the missing columns by name).
      expect(message.split('\n').slice(0, 3)).toEqual(['nothing was imported: this file is not recognised:', `  ${e.reason(crimePath)}`, 'Expected one of:']);
      const out = sink();
      const err = sink();
      expect(await importCli(['--endpoint', dynamo.endpoint, '--table', TABLE, '--dataset', datasetId, ...paths], out.stream, err.stream)).toBe(2);
      expect(out.text()).toBe('');
      expect(err.text().endsWith(`\n${message}\n`)).toBe(true);
      expect(err.text()).not.toMatch(/import failed/);
      // (3) Nothing at all was written: no LSOAs, no lookup, no months, no report, no dataset.
      await expectNothingWritten(datasetId);
    } else {
      const report = await importFiles(paths, options);
      const stored = await expectImported(e, report, datasetId, crimePath);
      await e.then?.({ datasetId, stored });
      // Importing the same file again answers the same and stores the same: nothing lost, nothing doubled.
      const again = await importFiles(paths, options);
      await expectImported(e, again, datasetId, crimePath);
    }
    passed++;
  });
});
