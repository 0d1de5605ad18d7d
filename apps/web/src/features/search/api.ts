import type { SearchAnswer } from '@safer-places/schemas';

type RequestFn = <T>(method: string, path: string, init?: { body?: unknown; headers?: Record<string, string>; auth?: boolean; signal?: AbortSignal }) => Promise<T>;
type QueryFn = (params: Record<string, string | number | undefined | null>) => string;

/** What the search box asks: the text, the dataset, the map view (for police.uk locations) and how many results. */
export interface SearchParams {
  q: string;
  dataset?: string | undefined;
  /** west,south,east,north of the map view. */
  bbox?: string | undefined;
  limit?: number | undefined;
}

/** The search box's API call, in the shape of the other features' calls (the app's client spreads it in). */
export function searchApi(request: RequestFn, query: QueryFn) {
  return {
    search: (params: SearchParams, signal?: AbortSignal) => request<SearchAnswer>('GET', `/api/search${query({ ...params })}`, signal ? { signal } : {}),
  };
}

export type SearchFn = ReturnType<typeof searchApi>['search'];
