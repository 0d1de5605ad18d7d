import * as z from 'zod';
import { datasetParam } from './fields';
import { bboxSchema, type BBox, type Position } from './geometry';
import { monthSchema } from './months';

/*
 * `GET /api/search`: the one search box. It finds LSOAs (code or name), wards, districts and towns of the dataset's
 * reference data, police.uk location texts ("On or near Supermarket") among the crimes in the map view the client
 * sends, and postcodes when an ONS postcode file was imported with the dataset.
 */

/** The shortest and longest search text (after trimming). */
export const SEARCH_MIN_CHARS = 2;
export const SEARCH_MAX_CHARS = 100;
/** The most results one answer holds, and the default. */
export const MAX_SEARCH_RESULTS = 50;
export const DEFAULT_SEARCH_RESULTS = 12;

export const SEARCH_RESULT_KINDS = ['lsoa', 'ward', 'district', 'place', 'location', 'postcode'] as const;
export type SearchResultKind = (typeof SEARCH_RESULT_KINDS)[number];

/** What each kind is called where a user reads it. */
export const SEARCH_KIND_LABELS: Record<SearchResultKind, string> = {
  lsoa: 'LSOA',
  ward: 'Ward',
  district: 'District',
  place: 'Town',
  location: 'police.uk location',
  postcode: 'Postcode',
};

export const searchQuerySchema = z.strictObject({
  q: z
    .string()
    .transform((s) => s.trim())
    .pipe(
      z
        .string()
        .min(SEARCH_MIN_CHARS, `q is the text to search for: at least ${SEARCH_MIN_CHARS} characters`)
        .max(SEARCH_MAX_CHARS, `q is at most ${SEARCH_MAX_CHARS} characters`),
    ),
  dataset: datasetParam,
  /** The map view (west,south,east,north): police.uk locations are searched among the crimes inside it only. */
  bbox: bboxSchema.optional(),
  /** The period whose crimes' locations are searched (default the dataset's last 12 months). */
  from: monthSchema.optional(),
  to: monthSchema.optional(),
  limit: z.coerce
    .number()
    .int('limit is a whole number')
    .min(1, 'limit is at least 1')
    .max(MAX_SEARCH_RESULTS, `limit is at most ${MAX_SEARCH_RESULTS}`)
    .default(DEFAULT_SEARCH_RESULTS),
});
export type SearchQuery = z.infer<typeof searchQuerySchema>;

/** The LSOA a result is (or lies in), with what its details panel shows before the figures arrive. */
export interface SearchLsoa {
  code: string;
  name: string;
  districtCode: string;
  districtName: string;
  wardName: string | null;
  population: number | null;
  imdDecile: number | null;
  deprivationSource: string | null;
}

export interface SearchResult {
  kind: SearchResultKind;
  /** Unique within an answer: the LSOA or district code, `<district code>:<ward name>`, a postcode, … */
  id: string;
  /** What the result is called, e.g. "Nottingham 001A", "Bulwell", "On or near Supermarket", "NG1 5DT". */
  label: string;
  /** Where it is, in words, e.g. "LSOA in Bulwell ward, Nottingham" or "12 crimes at this point · Bulwell ward, Nottingham". */
  detail: string;
  /** The box to show: the LSOA's, or the union of its LSOAs' boxes (ward, district, town); a point's own for a point. */
  bbox: BBox;
  /** Where to put a marker: the point itself (location, postcode), or the centre of the box (areas). */
  point: Position;
  /** The LSOA it is or lies in (LSOA, location, postcode), when known. */
  lsoaCode?: string;
  /** That LSOA's attributes, so its details can open at once. */
  lsoa?: SearchLsoa;
  /** Crimes at a police.uk location point in the view and period searched. */
  crimes?: number;
  /** A town's wards (kind "place"), so the map can outline them. */
  wards?: string[];
}

export interface SearchAnswer {
  dataset: { id: string; name: string; synthetic: boolean };
  q: string;
  results: SearchResult[];
  /** Whatever a user should know: no view sent, view too big for the location search, no postcodes imported, … */
  notes: string[];
  /** More matched than `limit`: type more to narrow. */
  truncated: boolean;
  /** The crimes' period the location search covered, when it ran. */
  period?: { from: string; to: string };
}
