import type { DensityResult, HotspotChangeResult, HotspotResult } from '@safer-places/schemas';
import type { DownloadFn, QueryFn, RequestFn } from '../../shared/apiTypes';

/** What every hot spot analysis is asked for: crime types, months, grid. */
export interface HotspotQueryParams {
  dataset?: string;
  /** The place (a scope key): the grid, the neighbourhood and every rank stop at its edge. */
  scope?: string;
  categories?: string[];
  from?: string;
  to?: string;
  cellSize?: number;
  shape?: 'square' | 'hex';
}

/** Hot spot analysis calls, added to the app's client like planningApi: Gi*, change over time, density, the top spots' CSV. */
export function hotspotsApi(request: RequestFn, download: DownloadFn, buildQuery: QueryFn) {
  const hotspotQuery = (q: HotspotQueryParams, extra: Record<string, string | number | undefined> = {}) =>
    buildQuery({
      dataset: q.dataset,
      scope: q.scope,
      categories: q.categories && q.categories.length > 0 ? q.categories.join(',') : undefined,
      from: q.from,
      to: q.to,
      cellSize: q.cellSize,
      shape: q.shape,
      ...extra,
    });
  return {
    /** Gi* hot and cold spots with the top-N table per crime type. */
    hotspots: (q: HotspotQueryParams & { correction?: string; top?: number }, signal?: AbortSignal) =>
      request<HotspotResult>('GET', `/api/hotspots${hotspotQuery(q, { correction: q.correction, top: q.top })}`, signal ? { signal } : {}),
    hotspotChange: (q: HotspotQueryParams & { correction?: string; periods?: number }, signal?: AbortSignal) =>
      request<HotspotChangeResult>('GET', `/api/hotspots/change${hotspotQuery(q, { correction: q.correction, periods: q.periods })}`, signal ? { signal } : {}),
    density: (q: HotspotQueryParams & { bandwidth?: number; perResidents?: boolean }, signal?: AbortSignal) =>
      request<DensityResult>(
        'GET',
        `/api/hotspots/density${hotspotQuery(q, { bandwidth: q.bandwidth, perResidents: q.perResidents ? 'true' : undefined })}`,
        signal ? { signal } : {},
      ),
    downloadTopHotspotsCsv: (q: HotspotQueryParams & { correction?: string; top?: number }) =>
      download(`/api/hotspots/top.csv${hotspotQuery(q, { correction: q.correction, top: q.top })}`),
  };
}
