import type {
  AreaStats,
  StrategicAssessment,
  StrategicGroupBy,
  DensityResult,
  HotspotChangeResult,
  HotspotResult,
  StrategicTable,
  AssetByKind,
  AssetInputByKind,
  AssetKind,
  CameraCoverageLayer,
  ClientConfig,
  DatasetSummary,
  FeatureCollection,
  LayerRouteName,
  LsoaStats,
  Me,
  Permission,
  Role,
  ScopeSummary,
  SignInResponse,
} from '@safer-places/schemas';
import { lsoaTileUrl } from '@safer-places/schemas';
import { scopeApi } from '../features/scope/api';
import { usersApi } from '../features/users/api';
import { planningApi } from '../features/planner/api';
import { bidsApi } from '../features/bids/api';
import { areasApi } from '../features/areas/api';
import { hotspotsApi } from '../features/hotspots/api';
import { reportsApi } from '../features/reports/api';
import { searchApi } from '../features/search/api';

/** A GeoJSON layer as the API sends it, with its foreign members. */
export interface LayerCollection extends FeatureCollection {
  layer?: LayerRouteName;
  truncated?: boolean;
  dataset?: { id: string; name: string; synthetic: boolean };
  /** The LSOA layer of a scope: which place it holds. */
  scope?: ScopeSummary;
}

export interface DatasetsResponse {
  datasets: DatasetSummary[];
  defaultDatasetId: string | null;
}

export type { AreaStats, DensityResult, HotspotChangeResult, HotspotResult, StrategicAssessment, StrategicGroupBy, StrategicTable };
export type { HotspotQueryParams } from '../features/hotspots/api';
export type { AreaStatsQuery } from '../features/areas/api';

/** A failed API call: the HTTP status and the server's `{error, detail}` (and `point` for a self-crossing shape). */
export interface Repaired {
  warnings?: string[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    /** Where a polygon's edges cross, as [lon, lat], when the server says so (422). */
    readonly point: [number, number] | null = null,
  ) {
    super(detail || code || `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

/** A file the server made (CSV, GeoJSON): its bytes and the Content-Disposition that names it. */
export interface DownloadedFile {
  blob: Blob;
  disposition: string | null;
}

/**
 * A vector tile source the map reads: its URL template ({z}/{x}/{y} filled by the map) and the headers every tile
 * request carries (the bearer token, read when the tile is asked for, so a renewed token is used at once).
 */
export interface TileSource {
  url: string;
  /** Whether a URL the map asks for is one of this source's tiles (only those get the headers). */
  owns(url: string): boolean;
  headers(): Record<string, string>;
}

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  getToken(): string | null;
  /** Called on any 401 so the app can drop the token and ask the user to sign in again. */
  onUnauthorized?(): void;
  fetch?: FetchFn;
  baseUrl?: string;
}

export function buildQuery(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Human wording for an API failure, used in banners and forms. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 409) return 'Someone else changed this since you opened it. Reload to see their version, then make your change again.';
    if (err.status === 403) return `You do not have permission to do that. ${err.detail}`.trim();
    if (err.status === 401) return 'Your session has ended. Please sign in again.';
    if (err.status === 0) return 'The server could not be reached. Check your connection and try again.';
    return err.detail || `The server answered ${err.status} (${err.code}).`;
  }
  return err instanceof Error ? err.message : String(err);
}

export function createApiClient(opts: ApiClientOptions) {
  const doFetch: FetchFn = opts.fetch ?? ((input, init) => fetch(input, init));
  const base = opts.baseUrl ?? '';

  async function request<T>(method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; auth?: boolean; signal?: AbortSignal } = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    if (init.auth !== false) {
      const token = opts.getToken();
      if (token) headers.authorization = `Bearer ${token}`;
    }
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers,
        ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
        ...(init.signal && { signal: init.signal }),
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new ApiError(0, 'network_error', `could not reach the server: ${(err as Error).message}`);
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let body: unknown = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
    }
    if (!res.ok) {
      const b = (body ?? {}) as { error?: unknown; detail?: unknown; point?: unknown };
      const point =
        Array.isArray(b.point) && b.point.length === 2 && b.point.every((n) => typeof n === 'number') ? (b.point as [number, number]) : null;
      const err = new ApiError(res.status, typeof b.error === 'string' ? b.error : 'http_error', typeof b.detail === 'string' ? b.detail : text.slice(0, 200), point);
      if (res.status === 401 && init.auth !== false) opts.onUnauthorized?.();
      throw err;
    }
    return body as T;
  }

  const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

  /** A file download: the raw body as a Blob with the server's file name, errors as ApiError like every call. */
  async function download(path: string): Promise<DownloadedFile> {
    const headers: Record<string, string> = {};
    const token = opts.getToken();
    if (token) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, { method: 'GET', headers });
    } catch (err) {
      throw new ApiError(0, 'network_error', `could not reach the server: ${(err as Error).message}`);
    }
    if (!res.ok) {
      const text = await res.text();
      let b: { error?: unknown; detail?: unknown } = {};
      try {
        b = JSON.parse(text) as typeof b;
      } catch {
        /* not JSON */
      }
      if (res.status === 401) opts.onUnauthorized?.();
      throw new ApiError(res.status, typeof b.error === 'string' ? b.error : 'http_error', typeof b.detail === 'string' ? b.detail : text.slice(0, 200));
    }
    return { blob: await res.blob(), disposition: res.headers.get('content-disposition') };
  }

  return {
    ...planningApi(request, download, buildQuery),
    ...bidsApi(request, download, buildQuery),
    ...areasApi(request, download, buildQuery),
    ...hotspotsApi(request, download, buildQuery),
    ...reportsApi(request, download, buildQuery),
    ...scopeApi(request, buildQuery),
    ...searchApi(request, buildQuery),
    ...usersApi(request),
    config: () => request<ClientConfig>('GET', '/api/config', { auth: false }),
    signIn: (role: Role, name?: string, permissions: Permission[] = []) =>
      request<SignInResponse>('POST', '/api/dev/sign-in', { auth: false, body: { role, ...(name && { name }), ...(permissions.length > 0 && { permissions }) } }),
    me: () => request<Me>('GET', '/api/me'),
    datasets: () => request<DatasetsResponse>('GET', '/api/datasets'),
    layer: (layer: LayerRouteName, q: { dataset?: string; scope?: string; bbox?: string; limit?: number } = {}, signal?: AbortSignal) =>
      request<LayerCollection>('GET', `/api/layers/${layer}${buildQuery(q)}`, signal ? { signal } : {}),
    /**
     * The LSOA layer of a dataset as vector tiles (every LSOA, no feature cap): absolute URLs, since the map fetches
     * tiles from a worker, and the bearer token on each request (to every `/api/tiles/` URL: the context tiles of the
     * same dataset too). An empty tile answers 204, an unchanged one 304.
     */
    lsoaTiles: (datasetId: string): TileSource => {
      const origin = /^https?:\/\//.test(base) ? base.replace(/\/$/, '') : `${globalThis.location?.origin ?? ''}${base.replace(/\/$/, '')}`;
      const url = lsoaTileUrl(origin, datasetId);
      const prefix = `${origin}/api/tiles/`;
      return {
        url,
        owns: (u) => u.startsWith(prefix),
        headers: (): Record<string, string> => {
          const token = opts.getToken();
          return token ? { authorization: `Bearer ${token}` } : {};
        },
      };
    },
    /** What each camera of the cameras layer covers, to draw (same query as the cameras layer; decommissioned ones left out). */
    cameraCoverage: (q: { dataset?: string; bbox?: string; limit?: number } = {}, signal?: AbortSignal) =>
      request<CameraCoverageLayer>('GET', `/api/layers/cameras/coverage${buildQuery(q)}`, signal ? { signal } : {}),
    stats: (q: { dataset?: string; scope?: string; category: string; from?: string; to?: string }, signal?: AbortSignal) =>
      request<LsoaStats & { scope?: ScopeSummary }>('GET', `/api/lsoas/stats${buildQuery(q)}`, signal ? { signal } : {}),
    listAssets: <K extends AssetKind>(kind: K) => request<{ items: AssetByKind[K][] }>('GET', `/api/${kind}`),
    getAsset: <K extends AssetKind>(kind: K, id: string) => request<AssetByKind[K]>('GET', `/api/${kind}/${encodeURIComponent(id)}`),
    /** The saved item; `warnings` says what the server repaired on the way in (e.g. a ring's winding). */
    createAsset: <K extends AssetKind>(kind: K, input: AssetInputByKind[K]) => request<AssetByKind[K] & Repaired>('POST', `/api/${kind}`, { body: input }),
    updateAsset: <K extends AssetKind>(kind: K, id: string, version: number, input: AssetInputByKind[K]) =>
      request<AssetByKind[K] & Repaired>('PUT', `/api/${kind}/${encodeURIComponent(id)}`, { body: input, headers: ifMatch(version) }),
    /** A file upload: every item is checked on the server before any is written. */
    importAssets: <K extends AssetKind>(kind: K, items: unknown[]) =>
      request<{ created: number; items: AssetByKind[K][] }>('POST', `/api/${kind}/import`, { body: { items } }),
    deleteAsset: (kind: AssetKind, id: string, version: number) =>
      request<void>('DELETE', `/api/${kind}/${encodeURIComponent(id)}`, { headers: ifMatch(version) }),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
