import type { Geometry, Position } from '@safer-places/schemas';
import { MAX_CANDIDATE_SITES, pointSchema } from '@safer-places/schemas';
import { formatInteger } from '../../shared/format';
import { csvCells } from '../upload/upload';

/*
 * Candidate camera sites from a file the user chose (CSV or GeoJSON). Pure: tested as data.
 */

export type CandidateParse = { ok: true; sites: Position[]; skipped: string[] } | { ok: false; error: string };

function checkPosition(lon: number, lat: number): string | null {
  const r = pointSchema.safeParse({ type: 'Point', coordinates: [lon, lat] });
  return r.success ? null : (r.error.issues[0]?.message ?? 'not a UK position');
}

/** A site list's cells: commas, semicolons or tabs, trimmed. */
function splitCsv(line: string): string[] {
  return csvCells(line, ',;\t').map((c) => c.trim());
}

/**
 * Feasible camera sites from a file the user chose: GeoJSON points (a FeatureCollection, a Feature, a Point or
 * MultiPoint) or CSV with longitude and latitude columns (named lon/lng/longitude/x and lat/latitude/y, or the first
 * two columns when there is no header). Rows that are not UK positions are skipped and named.
 */
export function parseCandidateSites(text: string, fileName = ''): CandidateParse {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed) return { ok: false, error: 'The file is empty.' };
  const sites: Position[] = [];
  const skipped: string[] = [];
  const add = (lon: number, lat: number, where: string) => {
    const problem = checkPosition(lon, lat);
    if (problem) skipped.push(`${where}: ${problem}`);
    else sites.push([lon, lat]);
  };
  if (/\.(geo)?json$/i.test(fileName) || trimmed.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch {
      return { ok: false, error: 'The file is not valid JSON.' };
    }
    const geometries: { g: Geometry | { type: 'MultiPoint'; coordinates: Position[] }; where: string }[] = [];
    const d = doc as { type?: string; features?: { geometry?: unknown }[]; geometry?: unknown };
    if (d.type === 'FeatureCollection' && Array.isArray(d.features)) d.features.forEach((f, i) => geometries.push({ g: f.geometry as Geometry, where: `feature ${i + 1}` }));
    else if (d.type === 'Feature') geometries.push({ g: d.geometry as Geometry, where: 'the feature' });
    else geometries.push({ g: d as Geometry, where: 'the geometry' });
    for (const { g, where } of geometries) {
      if (g?.type === 'Point' && Array.isArray(g.coordinates)) add(Number(g.coordinates[0]), Number(g.coordinates[1]), where);
      else if (g?.type === 'MultiPoint' && Array.isArray(g.coordinates)) g.coordinates.forEach((c, k) => add(Number(c[0]), Number(c[1]), `${where}, point ${k + 1}`));
      else skipped.push(`${where}: not a point`);
    }
  } else {
    const lines = trimmed.split(/\r?\n/);
    const head = splitCsv(lines[0]!).map((h) => h.toLowerCase());
    const lonCol = head.findIndex((h) => ['lon', 'lng', 'long', 'longitude', 'x'].includes(h));
    const latCol = head.findIndex((h) => ['lat', 'latitude', 'y'].includes(h));
    const hasHeader = lonCol >= 0 && latCol >= 0;
    if (!hasHeader && head.some((h) => h !== '' && !Number.isFinite(Number(h)))) {
      return { ok: false, error: 'The CSV needs longitude and latitude columns (headed lon and lat, or longitude and latitude).' };
    }
    const [lc, ac] = hasHeader ? [lonCol, latCol] : [0, 1];
    lines.slice(hasHeader ? 1 : 0).forEach((line, i) => {
      if (!line.trim()) return;
      const cells = splitCsv(line);
      const lon = Number(cells[lc]), lat = Number(cells[ac]);
      const where = `line ${i + (hasHeader ? 2 : 1)}`;
      if (cells[lc] === '' || cells[ac] === '' || !Number.isFinite(lon) || !Number.isFinite(lat)) skipped.push(`${where}: no longitude and latitude`);
      else add(lon, lat, where);
    });
  }
  if (sites.length === 0) return { ok: false, error: skipped.length > 0 ? `No usable sites: ${skipped.slice(0, 3).join('; ')}.` : 'No sites found in the file.' };
  if (sites.length > MAX_CANDIDATE_SITES) return { ok: false, error: `The file lists ${formatInteger(sites.length)} sites; the limit is ${formatInteger(MAX_CANDIDATE_SITES)}.` };
  return { ok: true, sites, skipped };
}
