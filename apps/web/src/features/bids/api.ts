import type { BidPresetList, EligibilityRequest, EligibilityResult, EvaluationResult, SelectionRequest, SelectionResult } from '@safer-places/schemas';

type RequestFn = <T>(method: string, path: string, init?: { body?: unknown; headers?: Record<string, string>; auth?: boolean; signal?: AbortSignal }) => Promise<T>;
type DownloadFn = (path: string) => Promise<{ blob: Blob; disposition: string | null }>;
type QueryFn = (params: Record<string, string | number | undefined | null>) => string;

/**
 * Bid writing's API calls, added to the app's client (same token, errors and downloads as every other call): presets,
 * eligible LSOAs, the target area's figures, the evaluation of a funded area, and the evidence pack.
 */
export function bidsApi(request: RequestFn, download: DownloadFn, buildQuery: QueryFn) {
  return {
    bidPresets: () => request<BidPresetList>('GET', '/api/bid-presets'),
    eligibility: (body: EligibilityRequest, signal?: AbortSignal) => request<EligibilityResult>('POST', '/api/bids/eligibility', { body, ...(signal && { signal }) }),
    bidSelection: (body: SelectionRequest, signal?: AbortSignal) => request<SelectionResult>('POST', '/api/bids/selection', { body, ...(signal && { signal }) }),
    evaluation: (id: string, q: { start: string; months?: number; dataset?: string }) =>
      request<EvaluationResult>('GET', `/api/safer-streets-areas/${encodeURIComponent(id)}/evaluation${buildQuery(q)}`),
    downloadBidPack: (id: string, dataset?: string) => download(`/api/bids/${encodeURIComponent(id)}/pack${buildQuery({ dataset })}`),
    downloadBidReport: (id: string, dataset?: string) => download(`/api/bids/${encodeURIComponent(id)}/report.html${buildQuery({ dataset })}`),
  };
}

export type BidsApi = ReturnType<typeof bidsApi>;
