import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CRIME_CATEGORIES, type AreaGeometry, type Feature } from '@safer-places/schemas';
import { POLICE_COLUMNS } from '../file-kinds';
import type { PoliceCrime } from './police-api';

/** The police.uk street-level CSV header, exactly as in the monthly archive files (the importer's own list). */
export const STREET_CSV_HEADER = POLICE_COLUMNS;

/** Header of the ONS LSOA21 → ward 2024 → LAD 2024 lookup CSV the importer recognises. */
export const LOOKUP_CSV_HEADER = ['lsoa21cd', 'lsoa21nm', 'wd24cd', 'wd24nm', 'lad24cd', 'lad24nm'] as const;

export const LOOKUP_FILE = 'lsoa21-to-ward24-lad24.csv';
export const BOUNDARIES_FILE = 'lsoa21-boundaries.geojson';

/** police.uk archive file name: `2024-01-nottinghamshire-street.csv`. */
export function streetCsvName(month: string, forceId: string): string {
  return `${month}-${forceId}-street.csv`;
}

const LABELS = new Map<string, string>(CRIME_CATEGORIES.map((c) => [c.slug, c.label]));

/** The CSV "Crime type" label of a police.uk API category slug; undefined for a slug police.uk CSVs never use. */
export function categoryLabelForSlug(slug: string): string | undefined {
  return LABELS.get(slug);
}

/** RFC 4180 field, quoted only when needed (as police.uk does: `"On or near The Drive, Park Lane"`). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}

export interface StreetRowResult {
  row: string[] | null;
  /** Set when the crime was skipped. */
  skipped?: 'unknown-category' | 'no-location';
}

/**
 * One police.uk API crime as a street CSV row. `LSOA code`/`LSOA name` are left blank (the API has neither; the
 * importer places crimes by point-in-polygon). Coordinates are copied as published, never reformatted.
 */
export function crimeToStreetRow(crime: PoliceCrime, forceName: string, month: string): StreetRowResult {
  const label = categoryLabelForSlug(crime.category);
  if (!label) return { row: null, skipped: 'unknown-category' };
  const loc = crime.location;
  if (!loc || loc.longitude === undefined || loc.latitude === undefined) return { row: null, skipped: 'no-location' };
  return {
    row: [
      crime.persistent_id ?? '',
      crime.month || month,
      forceName,
      forceName,
      String(loc.longitude),
      String(loc.latitude),
      loc.street?.name ?? '',
      '',
      '',
      label,
      crime.outcome_status?.category ?? '',
      crime.context ?? '',
    ],
  };
}

export function streetCsv(rows: readonly string[][]): string {
  return [csvLine(STREET_CSV_HEADER), ...rows.map(csvLine)].join('\n') + '\n';
}

export interface LookupRow {
  lsoa21cd: string;
  lsoa21nm: string;
  wd24cd: string;
  wd24nm: string;
  lad24cd: string;
  lad24nm: string;
}

export function lookupCsv(rows: readonly LookupRow[]): string {
  return [csvLine(LOOKUP_CSV_HEADER), ...rows.map((r) => csvLine(LOOKUP_CSV_HEADER.map((k) => r[k])))].join('\n') + '\n';
}

export interface BoundaryProperties {
  LSOA21CD: string;
  LSOA21NM: string;
  WD24CD: string;
  WD24NM: string;
  LAD24CD: string;
  LAD24NM: string;
}

export function boundariesGeoJson(features: Feature<AreaGeometry, BoundaryProperties>[]): string {
  // One feature per line: readable in a diff, and far smaller than pretty-printing every coordinate.
  return `{"type":"FeatureCollection","features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}

/** Writes through a temporary file and a rename, so an interrupted download never leaves a half-written file. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.partial`;
  await writeFile(tmp, content, 'utf8');
  await rename(tmp, path);
}
