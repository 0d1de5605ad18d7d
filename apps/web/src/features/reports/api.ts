import type { AuditEvent, StrategicAssessment, StrategicGroupBy } from '@safer-places/schemas';
import type { DownloadFn, QueryFn, RequestFn } from '../../shared/apiTypes';

/** Report calls, added to the app's client like planningApi: the strategic assessment (and its CSV) and the audit log. */
export function reportsApi(request: RequestFn, download: DownloadFn, buildQuery: QueryFn) {
  return {
    audit: (q: { limit?: number; before?: string } = {}, signal?: AbortSignal) =>
      request<{ events: AuditEvent[]; next: string | null }>('GET', `/api/audit${buildQuery(q)}`, signal ? { signal } : {}),
    /** The strategic tables for a place (`scope`), one per district or CSP in it, or one for the whole place (`groupBy`). */
    strategic: (q: { scope?: string; groupBy: StrategicGroupBy; dataset?: string; to?: string }, signal?: AbortSignal) =>
      request<StrategicAssessment>(
        'GET',
        `/api/strategic-assessment${buildQuery({ dataset: q.dataset, scope: q.scope, groupBy: q.groupBy, to: q.to })}`,
        signal ? { signal } : {},
      ),
    downloadStrategicCsv: (q: { scope?: string; groupBy: StrategicGroupBy; dataset?: string; to?: string }) =>
      download(`/api/strategic-assessment${buildQuery({ dataset: q.dataset, scope: q.scope, groupBy: q.groupBy, to: q.to, format: 'csv' })}`),
  };
}
