import type { AreaGeometry, Position } from '@safer-places/schemas';
import { HttpError, parseJson, type HttpClient } from './http';
import type { LookupRow } from './files';

export const DEFAULT_ONS_API = 'https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services';
export const ONS_LOOKUP_SERVICE = 'LSOA21_WD24_LAD24_EW_LU';
export const ONS_BOUNDARY_SERVICE = 'Lower_layer_Super_Output_Areas_December_2021_Boundaries_EW_BSC_V4';

export interface OnsApiOptions {
  lookupService?: string;
  boundaryService?: string;
  /** Records per page; ArcGIS Online caps this (2,000 for these services) and flags more with exceededTransferLimit. */
  pageSize?: number;
  /** LSOA codes per boundary query (keeps the `where` clause and each answer small). */
  batchSize?: number;
  /** Safety stop for a server that always claims more pages. */
  maxPages?: number;
}

interface ArcGisError {
  error?: { code?: number; message?: string; details?: string[] };
}
interface ArcGisJsonPage extends ArcGisError {
  features?: { attributes?: Record<string, unknown> }[];
  exceededTransferLimit?: boolean;
}
interface ArcGisGeoJsonPage extends ArcGisError {
  type?: string;
  features?: { geometry?: { type: string; coordinates: unknown } | null; properties?: Record<string, unknown> | null }[];
  exceededTransferLimit?: boolean;
  properties?: { exceededTransferLimit?: boolean } | null;
}

export interface LsoaBoundary {
  code: string;
  name: string;
  geometry: AreaGeometry;
}

/** ONS Open Geography Portal (ArcGIS REST feature services): the LSOA→ward→LAD lookup and LSOA 2021 boundaries. */
export class OnsApi {
  readonly baseUrl: string;
  private readonly lookupService: string;
  private readonly boundaryService: string;
  private readonly pageSize: number;
  private readonly batchSize: number;
  private readonly maxPages: number;

  constructor(
    baseUrl: string,
    private readonly http: HttpClient,
    options: OnsApiOptions = {},
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.lookupService = options.lookupService ?? ONS_LOOKUP_SERVICE;
    this.boundaryService = options.boundaryService ?? ONS_BOUNDARY_SERVICE;
    this.pageSize = options.pageSize ?? 2000;
    this.batchSize = Math.min(100, options.batchSize ?? 100);
    this.maxPages = options.maxPages ?? 1000;
  }

  /** Every LSOA 2021 of the districts, with ward and district names (best-fit lookup), sorted by LSOA code. */
  async lookupLsoas(ladCodes: readonly string[]): Promise<LookupRow[]> {
    const rows: LookupRow[] = [];
    const pages = this.pages<ArcGisJsonPage>(
      this.lookupService,
      {
        where: `LAD24CD IN (${sqlList(ladCodes)})`,
        outFields: 'LSOA21CD,LSOA21NM,WD24CD,WD24NM,LAD24CD,LAD24NM',
        returnGeometry: 'false',
        orderByFields: 'LSOA21CD',
        f: 'json',
      },
      `ONS LSOA→ward→district lookup for ${ladCodes.join(',')}`,
    );
    for await (const page of pages) {
      for (const f of page.features ?? []) {
        const a = f.attributes ?? {};
        rows.push({
          lsoa21cd: str(a.LSOA21CD),
          lsoa21nm: str(a.LSOA21NM),
          wd24cd: str(a.WD24CD),
          wd24nm: str(a.WD24NM),
          lad24cd: str(a.LAD24CD),
          lad24nm: str(a.LAD24NM),
        });
      }
    }
    const unique = new Map(rows.filter((r) => r.lsoa21cd).map((r) => [r.lsoa21cd, r]));
    return [...unique.values()].sort((x, y) => (x.lsoa21cd < y.lsoa21cd ? -1 : x.lsoa21cd > y.lsoa21cd ? 1 : 0));
  }

  /** LSOA 2021 boundaries (WGS84, coordinates rounded to 6 d.p. ≈ 0.1 m) for the codes, queried in batches. */
  async boundaries(lsoaCodes: readonly string[]): Promise<LsoaBoundary[]> {
    const out = new Map<string, LsoaBoundary>();
    for (let i = 0; i < lsoaCodes.length; i += this.batchSize) {
      const batch = lsoaCodes.slice(i, i + this.batchSize);
      const pages = this.pages<ArcGisGeoJsonPage>(
        this.boundaryService,
        {
          where: `LSOA21CD IN (${sqlList(batch)})`,
          outFields: 'LSOA21CD,LSOA21NM',
          outSR: '4326',
          returnGeometry: 'true',
          orderByFields: 'LSOA21CD',
          f: 'geojson',
        },
        `ONS LSOA 2021 boundaries (${batch.length} areas from ${batch[0]})`,
      );
      for await (const page of pages) {
        for (const f of page.features ?? []) {
          const code = str(f.properties?.LSOA21CD);
          const geometry = toAreaGeometry(f.geometry);
          if (!code || !geometry) continue;
          out.set(code, { code, name: str(f.properties?.LSOA21NM), geometry });
        }
      }
    }
    return [...out.values()];
  }

  /** Pages through an ArcGIS query, following exceededTransferLimit (top level for f=json, `properties` for f=geojson). */
  private async *pages<P extends ArcGisError & { features?: unknown[]; exceededTransferLimit?: boolean }>(
    service: string,
    params: Record<string, string>,
    what: string,
  ): AsyncGenerator<P> {
    let offset = 0;
    for (let page = 0; page < this.maxPages; page++) {
      const query = new URLSearchParams({ ...params, resultOffset: String(offset), resultRecordCount: String(this.pageSize) });
      const url = `${this.baseUrl}/${service}/FeatureServer/0/query?${query}`;
      const res = await this.http.request({ url }, { what });
      const body = parseJson<P>(res, what);
      if (body.error) {
        // ArcGIS reports errors with HTTP 200 and an error object.
        const detail = [body.error.message, ...(body.error.details ?? [])].filter(Boolean).join('; ');
        throw new HttpError(`${what} failed: ArcGIS error ${body.error.code ?? ''} ${detail}`.trim(), res.status, url);
      }
      yield body;
      const n = body.features?.length ?? 0;
      const more =
        body.exceededTransferLimit === true ||
        (body as ArcGisGeoJsonPage).properties?.exceededTransferLimit === true;
      if (!more || n === 0) return;
      offset += n;
    }
    throw new HttpError(`${what}: more than ${this.maxPages} pages; stopping`, null, `${this.baseUrl}/${service}`);
  }
}

function sqlList(codes: readonly string[]): string {
  // Codes are validated (letters and digits only) before they get here; escape quotes anyway.
  return codes.map((c) => `'${c.replace(/'/g, "''")}'`).join(',');
}

function str(v: unknown): string {
  return v === null || v === undefined ? '' : String(v).trim();
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

function ring(coords: unknown): Position[] | null {
  if (!Array.isArray(coords)) return null;
  const out: Position[] = [];
  for (const p of coords) {
    if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number') return null;
    const pos: Position = [round6(p[0]), round6(p[1])];
    const prev = out[out.length - 1];
    if (!prev || prev[0] !== pos[0] || prev[1] !== pos[1]) out.push(pos); // rounding can repeat a vertex
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) out.push([first[0], first[1]]);
  return out.length >= 4 ? out : null;
}

function polygon(coords: unknown): Position[][] | null {
  if (!Array.isArray(coords)) return null;
  const rings = coords.map(ring);
  if (rings.length === 0 || rings[0] === null) return null;
  return rings.filter((r): r is Position[] => r !== null);
}

/** GeoJSON Polygon/MultiPolygon → app geometry with 6 d.p. coordinates; null for anything else. */
export function toAreaGeometry(g: { type: string; coordinates: unknown } | null | undefined): AreaGeometry | null {
  if (!g) return null;
  if (g.type === 'Polygon') {
    const p = polygon(g.coordinates);
    return p ? { type: 'Polygon', coordinates: p } : null;
  }
  if (g.type === 'MultiPolygon' && Array.isArray(g.coordinates)) {
    const parts = g.coordinates.map(polygon).filter((p): p is Position[][] => p !== null);
    if (parts.length === 0) return null;
    return parts.length === 1 ? { type: 'Polygon', coordinates: parts[0]! } : { type: 'MultiPolygon', coordinates: parts };
  }
  return null;
}

