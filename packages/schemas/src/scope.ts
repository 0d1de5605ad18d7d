import * as z from 'zod';
import { ITEM_ID, notes } from './fields';
import type { BBox } from './geometry';
import { visibleText } from './text';

/**
 * The place an analysis runs on. Every analysis route takes the same `scope` (a query parameter, or a body field on
 * POST routes), written as one string so it fits a URL:
 *
 * | scope                                   | means                                                         |
 * |-----------------------------------------|---------------------------------------------------------------|
 * | `study-area` (default)                  | the dataset's study area (every LSOA it holds)                |
 * | `district:E07000174[,E07000170…]`       | one or more districts (LAD codes)                             |
 * | `csp:E22000366`                         | a Community Safety Partnership (ONS CSP code)                 |
 * | `partnership:<id>`                      | one of the organisation's saved partnership areas             |
 * | `area:<id>`                             | one of the organisation's saved drawn areas                   |
 * | `view:<west>,<south>,<east>,<north>`    | the map view (WGS84 box)                                      |
 *
 * LSOA-level figures (choropleth, strategic table, bid eligibility) use the scope's LSOAs; point-level analyses (hot
 * spots, planning) use the crimes inside it: the crimes placed in its LSOAs, or for a drawn area or map view the
 * crimes inside the shape.
 */
export type Scope =
  | { kind: 'study-area' }
  | { kind: 'districts'; codes: string[] }
  | { kind: 'csp'; code: string }
  | { kind: 'partnership'; id: string }
  | { kind: 'area'; id: string }
  | { kind: 'view'; bbox: BBox };

export const SCOPE_KINDS = ['study-area', 'districts', 'csp', 'partnership', 'area', 'view'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

/**
 * The most grid cells one analysis may build (cells of the box around its scope). The county at 100 m is about 600,000;
 * a larger request answers 400 naming the cell size that would fit.
 */
export const MAX_GRID_CELLS_PER_ANALYSIS = 1_000_000;

/** The most districts one scope may name. */
export const MAX_SCOPE_DISTRICTS = 50;
/** ONS GSS codes (E07000174), and the synthetic demo set's own codes (DEMOLAD01). */
const AREA_CODE = /^(?:[EWSNK]\d{8}|DEMO[A-Z]{0,3}\d{2,5})$/;

/** The canonical text of a scope: the inverse of {@link parseScope}. */
export function scopeKey(scope: Scope): string {
  switch (scope.kind) {
    case 'study-area':
      return 'study-area';
    case 'districts':
      return `district:${scope.codes.join(',')}`;
    case 'csp':
      return `csp:${scope.code}`;
    case 'partnership':
      return `partnership:${scope.id}`;
    case 'area':
      return `area:${scope.id}`;
    case 'view':
      return `view:${scope.bbox.map((n) => Math.round(n * 1e5) / 1e5).join(',')}`;
  }
}

/** Reads a scope string; the message of a failure names what is wrong and how a scope is written. */
export function parseScope(text: string): { ok: true; scope: Scope } | { ok: false; message: string } {
  const t = text.trim();
  if (t === 'study-area') return { ok: true, scope: { kind: 'study-area' } };
  if (t === '') return { ok: false, message: 'scope is empty: leave it out for the study area, or give e.g. district:E07000174' };
  const colon = t.indexOf(':');
  const kind = colon < 0 ? t : t.slice(0, colon);
  const rest = colon < 0 ? '' : t.slice(colon + 1);
  const help = 'a scope is study-area, district:<LAD code>[,<LAD code>…], csp:<CSP code>, partnership:<id>, area:<id> or view:<west>,<south>,<east>,<north>';
  switch (kind) {
    case 'district':
    case 'districts': {
      const codes = [...new Set(rest.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean))];
      if (codes.length === 0) return { ok: false, message: `scope "${t.slice(0, 80)}" names no district; ${help}` };
      if (codes.length > MAX_SCOPE_DISTRICTS) return { ok: false, message: `scope names ${codes.length} districts; at most ${MAX_SCOPE_DISTRICTS}` };
      const bad = codes.find((c) => !AREA_CODE.test(c));
      if (bad) return { ok: false, message: `scope: "${bad.slice(0, 20)}" is not a district code (e.g. E07000174)` };
      return { ok: true, scope: { kind: 'districts', codes: codes.sort() } };
    }
    case 'csp': {
      const code = rest.trim().toUpperCase();
      if (!AREA_CODE.test(code)) return { ok: false, message: `scope: "${rest.slice(0, 20)}" is not a CSP code (e.g. E22000366)` };
      return { ok: true, scope: { kind: 'csp', code } };
    }
    case 'partnership':
    case 'area': {
      const id = rest.trim();
      if (!ITEM_ID.test(id)) return { ok: false, message: `scope: "${rest.slice(0, 64)}" is not a ${kind === 'area' ? 'drawn area' : 'partnership area'} id` };
      return { ok: true, scope: kind === 'area' ? { kind: 'area', id } : { kind: 'partnership', id } };
    }
    case 'view': {
      const n = rest.split(',').map((s) => Number(s.trim()));
      const [w, s, e, north] = n as [number, number, number, number];
      if (n.length !== 4 || !n.every(Number.isFinite)) return { ok: false, message: 'scope: a map view is view:<west>,<south>,<east>,<north> in degrees' };
      if (w < -180 || e > 180 || s < -90 || north > 90 || w >= e || s >= north) {
        return { ok: false, message: 'scope: the map view must have west < east and south < north, within ±180° and ±90°' };
      }
      return { ok: true, scope: { kind: 'view', bbox: [w, s, e, north] } };
    }
    default:
      return { ok: false, message: `unknown scope "${t.slice(0, 40)}"; ${help}` };
  }
}

/** `scope=` on a query string or in a body: parsed into a {@link Scope}, a 400 naming the problem otherwise. */
export const scopeSchema = z
  .string()
  .max(400, 'scope is at most 400 characters')
  .transform((text, ctx) => {
    const r = parseScope(text);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.message });
      return z.NEVER;
    }
    return r.scope;
  });

/** What an analysis answer says about the scope it ran on. */
export interface ScopeSummary {
  key: string;
  kind: ScopeKind;
  /** e.g. "Mansfield", "Bassetlaw, Newark & Sherwood CSP", "Drawn area: Market Square", "Map view". */
  label: string;
  /** LSOAs in scope (for a drawn area or map view: those with at least half their area inside it). */
  lsoaCount: number;
  bbox: BBox;
}

/** One choice in the scope picker. */
export interface ScopeOption {
  key: string;
  kind: ScopeKind;
  label: string;
  lsoaCount: number;
  /** Districts, CSPs: the parent's name, to group the list (e.g. the CSP of a district). */
  group?: string;
}

/** `GET /api/scopes`: everything the scope picker offers for a dataset, and the organisation's home scope. */
export interface ScopeOptions {
  dataset: { id: string; name: string; synthetic: boolean };
  studyArea: ScopeOption;
  districts: ScopeOption[];
  csps: ScopeOption[];
  partnerships: ScopeOption[];
  areas: ScopeOption[];
  /** The organisation's home scope (set by an administrator), resolved on this dataset; the study area when unset. */
  home: ScopeSummary;
  /** The stored home scope text, null when none was set. */
  homeKey: string | null;
}

/** `PUT /api/home-scope`: an administrator sets where the organisation's users land. */
export const homeScopeInputSchema = z.strictObject({ scope: z.string().min(1, 'scope is required').max(400) });

/** A named, saved grouping of districts or LSOAs, e.g. "Bassetlaw, Newark & Sherwood CSP" or an OPCC programme's areas. */
export const partnershipAreaInputSchema = z
  .strictObject({
    name: visibleText('name', 120),
    districts: z
      .array(z.string().trim().toUpperCase().regex(AREA_CODE, 'districts are LAD codes, e.g. E07000174'))
      .max(MAX_SCOPE_DISTRICTS, `at most ${MAX_SCOPE_DISTRICTS} districts`)
      .default([]),
    lsoaCodes: z
      .array(z.string().trim().toUpperCase().regex(AREA_CODE, 'lsoaCodes are LSOA 2021 codes, e.g. E01028345'))
      .max(5000, 'at most 5,000 LSOAs')
      .default([]),
    notes,
  })
  .refine((v) => v.districts.length + v.lsoaCodes.length > 0, { message: 'a partnership area needs at least one district or LSOA', path: ['districts'] });
export type PartnershipAreaInput = z.infer<typeof partnershipAreaInputSchema>;

/** Where a location is, in the words analysts use: its ward and district (from the LSOA it falls in). */
export interface Place {
  ward: string | null;
  district: string | null;
}
