import { useCallback } from 'react';
import type { DatasetSummary } from '@safer-places/schemas';
import type { ApiClient, StrategicGroupBy } from '../../api/client';
import { fileNameFromDisposition, saveBlob, strategicExportFileName } from '../../shared/download';

export interface ReportsInput {
  api: ApiClient;
  datasetId: string | null;
  dataset: DatasetSummary | null;
  scopeKey: string | null;
  scope: { label: string };
}

/** The reports' API calls: the strategic assessment for the place (and its CSV) and the audit log's pages. */
export function useReports({ api, datasetId, dataset, scopeKey, scope }: ReportsInput) {
  const loadAudit = useCallback((before: string | undefined, signal: AbortSignal) => api.audit({ limit: 50, ...(before && { before }) }, signal), [api]);
  const loadStrategic = useCallback(
    (groupBy: StrategicGroupBy, signal: AbortSignal) => api.strategic({ groupBy, ...(scopeKey && { scope: scopeKey }), ...(datasetId && { dataset: datasetId }) }, signal),
    [api, datasetId, scopeKey],
  );
  const exportStrategic = async (groupBy: StrategicGroupBy) => {
    const file = await api.downloadStrategicCsv({ groupBy, ...(scopeKey && { scope: scopeKey }), ...(datasetId && { dataset: datasetId }) });
    saveBlob(file.blob, fileNameFromDisposition(file.disposition, strategicExportFileName(groupBy, dataset?.lastMonth ?? null, scope.label)));
  };
  return { loadAudit, loadStrategic, exportStrategic };
}
