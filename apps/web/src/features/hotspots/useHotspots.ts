import { useMemo, useState } from 'react';
import type { DatasetSummary } from '@safer-places/schemas';
import type { ApiClient } from '../../api/client';
import { fileNameFromDisposition, hotspotExportFileName, saveBlob } from '../../shared/download';
import { periodLabel } from '../../shared/period';
import { useRemote } from '../../shared/remote';
import { DEFAULT_HOTSPOT_QUERY, hotspotLegend, hotspotMapState, hotspotParams, resolveHotspotPeriod, type HotspotAnswer, type HotspotQueryState } from './hotspots';

export interface HotspotsInput {
  api: ApiClient;
  /** The panel is open: only then does the analysis run (closing it forgets the answer). */
  open: boolean;
  dataset: DatasetSummary | null;
  datasetId: string | null;
  scopeKey: string | null;
}

/**
 * Hot spot analysis: the panel's choices (they survive closing the panel), the answer for them (it does not), and what
 * is selected in it. Every new run clears the selected cell and spot.
 */
export function useHotspots({ api, open, dataset, datasetId, scopeKey }: HotspotsInput) {
  const [query, setQuery] = useState<HotspotQueryState>(DEFAULT_HOTSPOT_QUERY);
  const [cell, setCell] = useState<number | null>(null);
  const [spot, setSpot] = useState<string | null>(null);
  const on = { dataset, datasetId, scopeKey };

  const key = open && dataset && scopeKey ? JSON.stringify([query, dataset.id, dataset.version, scopeKey]) : null;
  const { remote } = useRemote<HotspotAnswer>(key, async (signal) => {
    const common = hotspotParams(query, on);
    setCell(null);
    setSpot(null);
    if (query.mode === 'change') return { mode: 'change', result: await api.hotspotChange({ ...common, correction: query.correction, periods: query.periods }, signal) };
    if (query.mode === 'density') {
      return { mode: 'density', result: await api.density({ ...common, ...(query.bandwidth !== 'auto' && { bandwidth: query.bandwidth }), perResidents: query.perResidents }, signal) };
    }
    return { mode: 'gi', result: await api.hotspots({ ...common, correction: query.correction, top: query.top }, signal) };
  });
  const answer = remote.state === 'done' ? remote.value : null;

  const exportTop = async () => {
    const period = resolveHotspotPeriod(query.period, dataset);
    const file = await api.downloadTopHotspotsCsv({ ...hotspotParams(query, on), correction: query.correction, top: query.top });
    saveBlob(file.blob, fileNameFromDisposition(file.disposition, hotspotExportFileName(period)));
  };

  const mapState = useMemo(() => hotspotMapState(answer, { cell, spot }), [answer, cell, spot]);
  const legend = useMemo(() => (answer ? hotspotLegend(answer, periodLabel(answer.result.period.from, answer.result.period.to)) : null), [answer]);

  /** Forgets what was selected in the answer (the answer itself goes when the panel closes). */
  const clearSelection = () => {
    setCell(null);
    setSpot(null);
  };

  return { query, setQuery, remote, answer, cell, setCell, spot, setSpot, clearSelection, exportTop, mapState, legend };
}

export type HotspotsState = ReturnType<typeof useHotspots>;
