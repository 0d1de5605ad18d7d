import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { UNPLACED_LSOA, type CrimeRecord } from '@safer-places/domain';
import type { PolygonLocator } from '@safer-places/geo';
import { categoryFromLabel } from '@safer-places/schemas';
import { readCsvRows } from './csv';
import { emptyAccounting, type MonthAccounting } from './accounting';
import type { DetectedFile } from './detect';
import type { Lsoa11Lookup } from './reference-import';

/** What happened to rows; every row read lands in exactly one of imported / duplicates / rejected. */
export interface RowCounts {
  rowsRead: number;
  imported: number;
  duplicatesSkipped: number;
  /** Rows whose Crime ID an earlier, different row already had (police.uk does publish these); kept under their own key. */
  sameIdDifferentRow: number;
  rejected: number;
  /** Of the imported rows: */
  noLocation: number;
  /** Rows with coordinates that fall in no LSOA of the study area (stored as unplaced). */
  outsideLsoas: number;
  publishedCodeDiffers: number;
}

export interface MonthFileStats extends RowCounts {
  file: string;
  month: string;
  retiredCodes: number;
}

export interface RowIssue {
  file: string;
  line: number;
  reason: string;
}

const MAX_ISSUES_KEPT = 200;

const rowDigest = (values: string[]) => createHash('sha1').update(values.join('\u001f')).digest('hex').slice(0, 32);

/** Whether a row repeats a stored crime exactly, as far as the stored fields go. */
function sameRow(c: CrimeRecord, category: string, lon: number | null, lat: number | null, location: string, published: string | null, outcome: string) {
  return c.category === category && c.lon === lon && c.lat === lat && c.location === location && c.publishedLsoaCode === published && (c.outcome ?? '') === outcome;
}
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
/**
 * Around every place police.uk publishes (England, Wales, Northern Ireland, with a wide margin). A point outside it
 * is not a police.uk snap point: most often Longitude and Latitude were swapped somewhere on the way.
 */
const UK = { west: -11, east: 3, south: 49, north: 61 };
export const inUk = (lon: number, lat: number) => lon >= UK.west && lon <= UK.east && lat >= UK.south && lat <= UK.north;

/**
 * Reads police.uk street CSVs into one set of crimes per month, de-duplicated: by Crime ID, or for rows without one
 * (anti-social behaviour) by a key made from the row's content and how many identical rows came before it in the
 * file, so importing the same file again yields the same keys.
 *
 * Reading and placing are two steps: every file is read first (so the study area can be chosen from the crimes, e.g.
 * the force they "Fall within"), then {@link place} puts each crime in an LSOA of the study area, or leaves it unplaced.
 */
export class CrimeCollector {
  readonly months = new Map<string, Map<string, CrimeRecord>>();
  readonly stats = new Map<string, MonthFileStats>();
  readonly issues: RowIssue[] = [];
  issueCount = 0;
  /** File-level notes for the report (a file read as Windows-1252, a file with no rows). */
  readonly warnings: string[] = [];
  readonly retiredSeen = new Map<string, number>();
  readonly publishedOutside = new Map<string, number>();
  /** "Falls within" (the force) of the rows kept, with how many rows name it. */
  readonly fallsWithin = new Map<string, number>();
  rowsRead = 0;
  /** Every crime kept, in the order read, and the file-and-month figures each counts in. */
  private readonly kept: CrimeRecord[] = [];
  private readonly keptStats: MonthFileStats[] = [];

  constructor(private readonly latestMonth: string) {}

  /**
   * Where every row of each month read went, once placed. Rows that belong to no month kept (a bad or future month, an
   * unreadable line) count in the month their file holds most crimes of; a file with no usable row counts nowhere.
   */
  monthAccounting(): Map<string, MonthAccounting> {
    const mainMonth = new Map<string, { month: string; imported: number }>();
    for (const s of this.stats.values()) {
      if (!this.months.has(s.month)) continue;
      const best = mainMonth.get(s.file);
      if (!best || s.imported > best.imported || (s.imported === best.imported && s.month < best.month)) mainMonth.set(s.file, { month: s.month, imported: s.imported });
    }
    const out = new Map<string, MonthAccounting>();
    for (const s of this.stats.values()) {
      const month = this.months.has(s.month) ? s.month : mainMonth.get(s.file)?.month;
      if (!month) continue;
      let a = out.get(month);
      if (!a) out.set(month, (a = { month, ...emptyAccounting(), files: [] }));
      if (!a.files.includes(s.file)) a.files.push(s.file);
      a.rowsRead += s.rowsRead;
      a.stored += s.imported;
      a.duplicatesSkipped += s.duplicatesSkipped;
      a.rejected += s.rejected;
      a.noLocation += s.noLocation;
      a.outsideStudyArea += s.outsideLsoas;
    }
    for (const a of out.values()) {
      a.placed = a.stored - a.noLocation - a.outsideStudyArea;
      a.files.sort();
    }
    return out;
  }

  /** The crimes read, in the order read (placed or not yet). */
  crimes(): readonly CrimeRecord[] {
    return this.kept;
  }

  /**
   * Places every crime read in the LSOA of the locator its point falls in (the study area's LSOAs), or leaves it
   * unplaced (UNPLACED_LSOA) when it has no location or falls in none. May be called again; each call starts afresh.
   */
  place(locator: PolygonLocator, lsoaCodes: Set<string>, lookup: Lsoa11Lookup | null): void {
    for (const s of this.stats.values()) {
      s.outsideLsoas = 0;
      s.publishedCodeDiffers = 0;
      s.retiredCodes = 0;
    }
    this.retiredSeen.clear();
    this.publishedOutside.clear();
    // One batch join (the locator groups the points by cell, so its lookup stays in cache); NaN marks no location.
    const xy = new Float64Array(this.kept.length * 2).fill(Number.NaN);
    this.kept.forEach((c, i) => {
      if (c.lon !== null && c.lat !== null) {
        xy[2 * i] = c.lon;
        xy[2 * i + 1] = c.lat;
      }
    });
    const at = locator.locateMany(xy);
    for (let i = 0; i < this.kept.length; i++) {
      const crime = this.kept[i]!;
      const stats = this.keptStats[i]!;
      const { lon } = crime;
      const published = crime.publishedLsoaCode;
      const placed = at[i]! >= 0 ? locator.codes[at[i]!]! : null;
      crime.lsoaCode = placed ?? UNPLACED_LSOA;
      const retired = published !== null && !lsoaCodes.has(published) && lookup?.retired[published] !== undefined;
      if (lon !== null && !placed) stats.outsideLsoas++;
      // A retired 2011 code always differs from a 2021 LSOA; it is counted as retired instead.
      else if (placed && published && published !== placed && !retired) stats.publishedCodeDiffers++;
      if (retired) {
        stats.retiredCodes++;
        this.retiredSeen.set(published, (this.retiredSeen.get(published) ?? 0) + 1);
      } else if (published && !lsoaCodes.has(published)) {
        this.publishedOutside.set(published, (this.publishedOutside.get(published) ?? 0) + 1);
      }
    }
  }

  private stat(file: string, month: string): MonthFileStats {
    const key = `${file}|${month}`;
    let s = this.stats.get(key);
    if (!s) {
      s = { file, month, rowsRead: 0, imported: 0, duplicatesSkipped: 0, sameIdDifferentRow: 0, rejected: 0, noLocation: 0, outsideLsoas: 0, publishedCodeDiffers: 0, retiredCodes: 0 };
      this.stats.set(key, s);
    }
    return s;
  }

  private issue(file: string, line: number, reason: string) {
    this.issueCount++;
    if (this.issues.length < MAX_ISSUES_KEPT) this.issues.push({ file, line, reason });
  }

  async readFile(f: DetectedFile, onRows?: (rows: number) => void): Promise<void> {
    const file = basename(f.path);
    const c = f.columns!;
    const occurrences = new Map<string, number>();
    let width = -1;
    let header = '';
    let rows = 0;
    let windows1252 = 0;
    let firstWindows1252 = 0;
    for await (const { line, values, error, windows1252: notUtf8 } of readCsvRows(f.path)) {
      if (notUtf8 && windows1252++ === 0) firstWindows1252 = line;
      if (width < 0) {
        width = values.length;
        header = values.map((x) => x.trim()).join(',');
        continue;
      }
      rows++;
      if (error) {
        this.rowsRead++;
        this.stat(file, '(unreadable line)').rowsRead++;
        this.stat(file, '(unreadable line)').rejected++;
        this.issue(file, line, error);
        continue;
      }
      this.rowsRead++;
      if (onRows && this.rowsRead % 10_000 === 0) onRows(this.rowsRead);
      const v = (field: string) => (values[c[field]!] ?? '').trim();
      const month = v('Month');
      const stats = this.stat(file, MONTH.test(month) ? month : '(bad month)');
      stats.rowsRead++;
      if (values.length !== width) {
        stats.rejected++;
        this.issue(file, line, `row has ${values.length} fields; the header has ${width}`);
        continue;
      }
      if (!MONTH.test(month) || month > this.latestMonth) {
        stats.rejected++;
        if (values.map((x) => x.trim()).join(',') === header) this.issue(file, line, 'the header line again (files joined together?); not a crime');
        else this.issue(file, line, `Month "${month}" is not a valid YYYY-MM month up to ${this.latestMonth}`);
        continue;
      }
      const type = v('Crime type');
      const category = categoryFromLabel(type);
      if (!category) {
        stats.rejected++;
        this.issue(file, line, `Crime type "${type}" is not a police.uk category`);
        continue;
      }

      const lonText = v('Longitude');
      const latText = v('Latitude');
      let lon: number | null = null;
      let lat: number | null = null;
      if (lonText !== '' || latText !== '') {
        const x = Number(lonText);
        const y = Number(latText);
        if (lonText !== '' && latText !== '' && Number.isFinite(x) && Number.isFinite(y) && Math.abs(x) <= 180 && Math.abs(y) <= 90) {
          // Kept as published either way; a point outside the UK falls in no LSOA and is stored as unplaced.
          lon = x;
          lat = y;
          if (!inUk(x, y)) {
            this.issue(file, line, `coordinates "${lonText}", "${latText}" are outside the UK${inUk(y, x) ? ' (Longitude and Latitude swapped?)' : ''}; kept as published, placed in no LSOA`);
          }
        } else {
          this.issue(file, line, `coordinates "${lonText}", "${latText}" are not a longitude/latitude; stored without a location`);
        }
      }

      const published = v('LSOA code') || null;
      const location = v('Location');
      let id = v('Crime ID');
      let crimes = this.months.get(month);
      if (!crimes) this.months.set(month, (crimes = new Map()));
      if (!id) {
        // No ID (anti-social behaviour): identical rows are separate incidents, told apart by their order in the file.
        const digest = rowDigest(values);
        const n = occurrences.get(digest) ?? 0;
        occurrences.set(digest, n + 1);
        id = `asb-${digest}-${n}`;
      } else {
        const earlier = crimes.get(id);
        if (earlier && !sameRow(earlier, category, lon, lat, location, published, v('Last outcome category'))) {
          id = `${id}:${rowDigest(values).slice(0, 12)}`;
          stats.sameIdDifferentRow++;
        }
      }
      if (crimes.has(id)) {
        stats.duplicatesSkipped++;
        continue;
      }

      if (lon === null) stats.noLocation++;
      const crime: CrimeRecord = {
        id,
        month,
        category,
        lon,
        lat,
        location,
        lsoaCode: UNPLACED_LSOA,
        publishedLsoaCode: published,
        outcome: v('Last outcome category') || null,
      };
      crimes.set(id, crime);
      this.kept.push(crime);
      this.keptStats.push(stats);
      const force = v('Falls within');
      if (force) this.fallsWithin.set(force, (this.fallsWithin.get(force) ?? 0) + 1);
      stats.imported++;
    }
    if (windows1252 > 0) {
      this.warnings.push(`${f.path}: not valid UTF-8; ${windows1252 === 1 ? '1 line was' : `${windows1252} lines were`} read as Windows-1252 (first: line ${firstWindows1252}); save it as "CSV UTF-8" to be sure of accented text`);
    }
    if (rows === 0) this.warnings.push(`${f.path}: no rows after the header; nothing imported from it`);
    onRows?.(this.rowsRead);
  }
}
