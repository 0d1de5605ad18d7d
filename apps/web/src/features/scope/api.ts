import type { ScopeOptions, ScopeSummary } from '@safer-places/schemas';

type RequestFn = <T>(method: string, path: string, init?: { body?: unknown; headers?: Record<string, string>; auth?: boolean; signal?: AbortSignal }) => Promise<T>;
type QueryFn = (params: Record<string, string | number | undefined | null>) => string;

/**
 * The scope picker's API calls, added to the app's client (same token and errors as every other call). Partnership
 * areas are an ordinary organisation item kind (`partnership-areas`): the client's listAssets, createAsset and
 * deleteAsset cover them.
 */
export function scopeApi(request: RequestFn, buildQuery: QueryFn) {
  return {
    /** Everything the picker offers for a dataset, and the organisation's home scope resolved on it. */
    scopes: (q: { dataset?: string } = {}, signal?: AbortSignal) => request<ScopeOptions>('GET', `/api/scopes${buildQuery(q)}`, signal ? { signal } : {}),
    /** Administrators: where the organisation's users land. */
    setHomeScope: (scope: string) => request<ScopeSummary>('PUT', '/api/home-scope', { body: { scope } }),
  };
}

export type ScopeApi = ReturnType<typeof scopeApi>;
