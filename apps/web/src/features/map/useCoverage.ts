import { useRef } from 'react';
import type { CameraCoverageLayer } from '@safer-places/schemas';
import type { ApiClient, LayerCollection } from '../../api/client';
import { useRemote } from '../../shared/remote';

/** What the cameras layer on the map was asked for; the coverage is asked for the same cameras. */
export interface CameraLayerQuery {
  dataset?: string;
  bbox?: string;
  limit?: number;
}

/**
 * The request key of the cameras' coverage: null (nothing to load) while coverage is off or the cameras layer is not
 * loaded (`generation` 0); otherwise it changes whenever the cameras layer is read again (`generation`, e.g. after an
 * edit or an upload), the dataset changes or the cameras layer's query does.
 */
export function cameraCoverageKey(show: boolean, generation: number, datasetId: string | null, query: CameraLayerQuery = {}): string | null {
  if (!show || generation === 0) return null;
  return JSON.stringify({ generation, datasetId, dataset: query.dataset ?? null, bbox: query.bbox ?? null, limit: query.limit ?? null });
}

/** Counts the distinct cameras layers seen so far (0: none loaded), so a reload of the layer asks for coverage again. */
function useGeneration(layer: LayerCollection | null | undefined): number {
  const seen = useRef<{ layer: LayerCollection | null; n: number }>({ layer: null, n: 0 });
  if (!layer) return 0;
  if (seen.current.layer !== layer) seen.current = { layer, n: seen.current.n + 1 };
  return seen.current.n;
}

/**
 * The cameras layer's coverage as the server draws it (`GET /api/layers/cameras/coverage`): each working camera's
 * circle, or the sector of its field of view. Loaded only while "show coverage" is on and the cameras layer is in, for
 * the same query as that layer, and again whenever the layer is read again; the last answer stays on the map while a
 * new one loads. Null when there is nothing to draw; `error` says when the last read failed.
 */
export function useCameraCoverage({
  api,
  cameras,
  show,
  datasetId,
  query = {},
}: {
  api: ApiClient;
  /** The cameras layer on the map (undefined until it is loaded). */
  cameras: LayerCollection | null | undefined;
  show: boolean;
  datasetId: string | null;
  /** The query the cameras layer was loaded with (none: the whole layer, as the map first asks for it). */
  query?: CameraLayerQuery;
}): { coverage: CameraCoverageLayer | null; error: string | null } {
  const generation = useGeneration(cameras);
  const key = cameraCoverageKey(show, generation, datasetId, query);
  const { remote, value } = useRemote(key, (signal) => api.cameraCoverage(query, signal));
  if (key === null) return { coverage: null, error: null };
  // A failed read is said on the map, never shown as "no coverage here".
  return { coverage: value ?? null, error: remote.state === 'error' ? `Camera coverage could not be loaded: ${remote.message}` : null };
}
