import type { AreaGeometry, AreaStats } from '@safer-places/schemas';
import type { DownloadFn, QueryFn, RequestFn } from '../../shared/apiTypes';

/** What the area statistics are asked for: categories, months and dataset. */
export interface AreaStatsQuery {
  categories?: string[];
  from?: string;
  to?: string;
  dataset?: string;
}

/** Drawn-area calls, added to the app's client like planningApi: figures for a saved area or a drawing, and exports. */
export function areasApi(request: RequestFn, download: DownloadFn, buildQuery: QueryFn) {
  const areaQuery = (q: AreaStatsQuery) =>
    buildQuery({ categories: q.categories && q.categories.length > 0 ? q.categories.join(',') : undefined, from: q.from, to: q.to, dataset: q.dataset });
  return {
    /** Statistics for a saved area. */
    areaStats: (id: string, q: AreaStatsQuery, signal?: AbortSignal) =>
      request<AreaStats>('GET', `/api/areas/${encodeURIComponent(id)}/stats${areaQuery(q)}`, signal ? { signal } : {}),
    /** Statistics for an unsaved drawing. */
    analyseArea: (geometry: AreaGeometry, q: AreaStatsQuery, signal?: AbortSignal) =>
      request<AreaStats>('POST', '/api/areas/analyse', {
        body: {
          geometry,
          ...(q.categories && q.categories.length > 0 && { categories: q.categories }),
          ...(q.from && { from: q.from }),
          ...(q.to && { to: q.to }),
          ...(q.dataset && { dataset: q.dataset }),
        },
        ...(signal && { signal }),
      }),
    /** Area exports (CSV for the figures asked for, GeoJSON for the shape). */
    downloadAreaExport: (id: string, kind: 'csv' | 'geojson', q: AreaStatsQuery = {}) =>
      download(`/api/areas/${encodeURIComponent(id)}/export.${kind}${kind === 'csv' ? areaQuery(q) : ''}`),
  };
}
