import { normalisePostcode, type PostcodeEntry, type PostcodeRepository } from '@safer-places/domain';
import { createPolygonLocator } from '@safer-places/geo';
import type { Lsoa } from '@safer-places/schemas';
import { readCsvRows } from './csv';
import type { DetectedFile } from './detect';
import { ImportInputError } from './errors';

/*
 * The ONS postcode directory (ONSPD) or National Statistics Postcode Lookup (NSPL), an optional input: live postcodes
 * with their point and LSOA 2021, kept for the dataset's study area so the search finds a postcode. Recognised by its
 * header (file-kinds.ts: pcds or pcd, lat, long; doterm and lsoa21 read when present).
 */

export const POSTCODE_FILE_KIND = 'onspd-postcodes';

/** A replacement keeping fewer than this share of the stored postcodes is refused without --force-replace. */
export const POSTCODE_MIN_SHARE_OF_STORED = 0.5;

export interface PostcodeFileStats {
  path: string;
  rowsRead: number;
  /** Live postcodes in the study area, kept. */
  kept: number;
  /** Postcodes with a termination date (doterm): no longer in use, never kept. */
  terminated: number;
  /** No grid reference (ONSPD writes lat 99.999999 for these). */
  noLocation: number;
  /** Live, located, but outside the dataset's LSOAs. */
  outsideStudyArea: number;
  /** Not a postcode, or coordinates that are not numbers. */
  rejected: number;
  /** A postcode already read (a later row of it wins). */
  duplicates: number;
}

export interface PostcodeImportReport {
  files: PostcodeFileStats[];
  /** Postcodes kept: each live postcode once. */
  kept: number;
  districts: number;
  /** How each kept postcode's LSOA was known: the file's lsoa21 column, or the point's LSOA. */
  lsoaFromFile: number;
  lsoaFromPoint: number;
  /** Postcodes stored for the dataset before this import (replaced whole). */
  storedBefore: number;
  /** The first rows that could not be read, for the report. */
  issues: { file: string; line: number; reason: string }[];
}

/**
 * Reads the postcode files (streaming: a whole-country ONSPD is 2.7 million rows) and keeps the live postcodes in the
 * dataset's LSOAs: by the file's lsoa21 where it has one, else by the point. Every row is counted by what happened to
 * it. Nothing is written here.
 */
export async function readPostcodeFiles(files: readonly DetectedFile[], lsoas: readonly Lsoa[]): Promise<{ entries: PostcodeEntry[]; report: Omit<PostcodeImportReport, 'storedBefore'> }> {
  const codes = new Set(lsoas.map((l) => l.code));
  const locator = createPolygonLocator(lsoas.map((l) => ({ code: l.code, geometry: l.geometry })));
  const box = lsoas.reduce<[number, number, number, number]>((b, l) => [Math.min(b[0], l.bbox[0]), Math.min(b[1], l.bbox[1]), Math.max(b[2], l.bbox[2]), Math.max(b[3], l.bbox[3])], [Infinity, Infinity, -Infinity, -Infinity]);
  const byPostcode = new Map<string, PostcodeEntry & { fromFile: boolean }>();
  const issues: PostcodeImportReport['issues'] = [];
  const stats: PostcodeFileStats[] = [];
  for (const file of files) {
    const st: PostcodeFileStats = { path: file.path, rowsRead: 0, kept: 0, terminated: 0, noLocation: 0, outsideStudyArea: 0, rejected: 0, duplicates: 0 };
    const col = file.columns ?? {};
    const reject = (line: number, reason: string) => {
      st.rejected++;
      if (issues.length < 50) issues.push({ file: file.path, line, reason });
    };
    let header = true;
    for await (const row of readCsvRows(file.path)) {
      if (header) {
        header = false;
        continue;
      }
      st.rowsRead++;
      if (row.error) {
        reject(row.line, row.error);
        continue;
      }
      const get = (field: string) => {
        const i = col[field];
        return i === undefined ? '' : (row.values[i] ?? '').trim();
      };
      const postcode = normalisePostcode(get('postcode'));
      if (!postcode) {
        reject(row.line, `"${get('postcode').slice(0, 12)}" is not a postcode`);
        continue;
      }
      if (get('doterm') !== '') {
        st.terminated++;
        continue;
      }
      const lat = Number(get('lat'));
      const lon = Number(get('long'));
      if (get('lat') === '' || get('long') === '' || !Number.isFinite(lat) || !Number.isFinite(lon)) {
        if (get('lat') === '' && get('long') === '') st.noLocation++;
        else reject(row.line, `${postcode}: lat "${get('lat').slice(0, 12)}", long "${get('long').slice(0, 12)}" are not numbers`);
        continue;
      }
      if (lat > 90 || lat < -90 || lon > 180 || lon < -180) {
        st.noLocation++;
        continue;
      }
      const fileLsoa = get('lsoa21').toUpperCase();
      let lsoaCode: string | null = null;
      let fromFile = false;
      if (fileLsoa !== '') {
        if (!codes.has(fileLsoa)) {
          st.outsideStudyArea++;
          continue;
        }
        lsoaCode = fileLsoa;
        fromFile = true;
      } else {
        if (lon < box[0] || lon > box[2] || lat < box[1] || lat > box[3]) {
          st.outsideStudyArea++;
          continue;
        }
        lsoaCode = locator.locate(lon, lat);
        if (!lsoaCode) {
          st.outsideStudyArea++;
          continue;
        }
      }
      if (byPostcode.has(postcode)) st.duplicates++;
      else st.kept++;
      byPostcode.set(postcode, { postcode, lon: Math.round(lon * 1e6) / 1e6, lat: Math.round(lat * 1e6) / 1e6, lsoaCode, fromFile });
    }
    stats.push(st);
  }
  const entries: PostcodeEntry[] = [];
  let lsoaFromFile = 0;
  for (const { fromFile, ...e } of byPostcode.values()) {
    if (fromFile) lsoaFromFile++;
    entries.push(e);
  }
  const districts = new Set(entries.map((e) => e.postcode.split(' ')[0]));
  return { entries, report: { files: stats, kept: entries.length, districts: districts.size, lsoaFromFile, lsoaFromPoint: entries.length - lsoaFromFile, issues } };
}

/**
 * Checks a postcode read against what the dataset holds before anything is written: postcodes need the dataset's
 * LSOAs; a file keeping none of its postcodes, or far fewer than are stored (a file of another area, a cut-off
 * download), replaces nothing unless forced. Returns the postcodes stored before.
 */
export async function checkPostcodes(
  repo: PostcodeRepository,
  datasetId: string,
  read: Awaited<ReturnType<typeof readPostcodeFiles>>,
  lsoaCount: number,
  forceReplace: boolean,
): Promise<number> {
  if (lsoaCount === 0) throw new ImportInputError('postcodes are kept for the dataset\'s LSOAs: import LSOA 2021 boundaries first, or in the same command; nothing was imported');
  const rows = read.report.files.reduce((n, f) => n + f.rowsRead, 0);
  if (read.entries.length === 0) {
    throw new ImportInputError(`none of the ${rows.toLocaleString('en-GB')} postcode rows is a live postcode in the dataset's ${lsoaCount.toLocaleString('en-GB')} LSOAs (a file of another area?); nothing was imported`);
  }
  const storedBefore = (await repo.postcodeDistricts(datasetId)).reduce((n, d) => n + d.count, 0);
  if (!forceReplace && storedBefore > 0 && read.entries.length < storedBefore * POSTCODE_MIN_SHARE_OF_STORED) {
    throw new ImportInputError(
      `the postcode file keeps ${read.entries.length.toLocaleString('en-GB')} postcodes where ${storedBefore.toLocaleString('en-GB')} are stored (under ${POSTCODE_MIN_SHARE_OF_STORED * 100} %): a file of another area or a cut-off download? Nothing was imported; run again with --force-replace to replace them`,
    );
  }
  return storedBefore;
}
