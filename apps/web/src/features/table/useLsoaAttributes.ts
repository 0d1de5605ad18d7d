import { useMemo } from 'react';
import type { LayerCollection } from '../../api/client';
import type { ApiClient } from '../../api/client';
import { useRemote } from '../../shared/remote';
import { lsoaAttributes, type LsoaAttributes } from './lsoaRows';

export interface LsoaAttributesInput {
  api: ApiClient;
  /** Only while the LSOA table is shown are the names read. */
  enabled: boolean;
  datasetId: string | null;
  scopeKey: string | null;
  /** The LSOA layer the map already read for this scope (a bid reads it), used instead of reading it again. */
  loaded: LayerCollection | undefined;
  loadedScope: string | null;
}

/**
 * The names, ward, district and box of the scope's LSOAs for the table: the statistics answer carries the figures by
 * code only, and the map draws names from vector tiles of the area in view, so the scope's LSOA layer is read once
 * while the table is open (the same answer a bid reads). A scope with more LSOAs than one layer answer holds (a
 * national scope) gets the server's 413 message and a table of codes and figures.
 */
export function useLsoaAttributes({ api, enabled, datasetId, scopeKey, loaded, loadedScope }: LsoaAttributesInput) {
  const reuse = !!loaded && loadedScope === scopeKey && scopeKey !== null;
  const key = enabled && !reuse && datasetId && scopeKey ? JSON.stringify([datasetId, scopeKey]) : null;
  const { remote, value } = useRemote(key, (signal) => api.layer('lsoas', { dataset: datasetId!, scope: scopeKey! }, signal));
  const features = reuse ? loaded.features : key ? value?.features : undefined;
  const attributes = useMemo<Map<string, LsoaAttributes> | null>(() => (features ? lsoaAttributes(features) : null), [features]);
  return {
    attributes,
    loading: !reuse && remote.state === 'loading',
    error: !reuse && key !== null && remote.state === 'error' ? remote.message : null,
  };
}
