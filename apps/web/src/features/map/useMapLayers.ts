import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { LAYER_NAMES, type BBox, type LayerName } from '@safer-places/schemas';
import { describeError, type ApiClient, type LayerCollection } from '../../api/client';
import type { CameraLayerQuery } from './useCoverage';

export type Layers = Partial<Record<LayerName, LayerCollection>>;

/** The query of one layer read: the dataset and place for the LSOA layer, and the area in view when one is given. */
export interface LayerQuery {
  dataset?: string;
  scope?: string;
  bbox?: string;
}

/** The `bbox` parameter for an area: west,south,east,north to five decimals (about a metre). */
export function bboxParam(bbox: BBox): string {
  return bbox.map((n) => n.toFixed(5)).join(',');
}

/**
 * What a layer is read with: only the LSOA layer is per dataset and place (the organisation's layers are not); a layer
 * the server cut short is read again for `bbox`, the area in view.
 */
export function layerQuery(name: LayerName, { datasetId, scopeKey, bbox }: { datasetId: string | null; scopeKey: string | null; bbox?: BBox }): LayerQuery {
  return {
    ...(name === 'lsoas' && datasetId ? { dataset: datasetId } : {}),
    ...(name === 'lsoas' && scopeKey ? { scope: scopeKey } : {}),
    ...(bbox ? { bbox: bboxParam(bbox) } : {}),
  };
}

/** The query the coverage is asked for, given the one the cameras layer on the map was read with: the same cameras. */
export function cameraQueryOf(query: LayerQuery): CameraLayerQuery {
  return query.bbox ? { bbox: query.bbox } : {};
}

/** How long the map must rest before layers the server cut short are read again for the area in view. */
const VIEW_SETTLE_MS = 400;

export interface MapLayersInput {
  api: ApiClient;
  datasetId: string | null;
  /** The place the LSOA layer is for; null while it is being resolved. */
  scopeKey: string | null;
  scopeLabel: string;
}

/**
 * The map's layer data. The LSOA layer holds the scope's LSOAs only (read again whenever the place changes); the
 * organisation's layers (cameras, help points, PSPO zones, Safer Streets areas) are not scoped. Layers the server cut
 * short are read again for the area in view. `cameraQuery` is the query the cameras layer on the map was read with (set
 * together with the layer), so what is drawn for the cameras (their coverage) is asked for the same cameras.
 */
export function useMapLayers({ api, datasetId, scopeKey, scopeLabel }: MapLayersInput) {
  const [layers, setLayers] = useState<Layers>({});
  const [error, setError] = useState<string | null>(null);
  // The scope the LSOA layer on the map was loaded for (the map fits the place once its LSOAs are in).
  const [lsoasScope, setLsoasScope] = useState<string | null>(null);
  const [cameraQuery, setCameraQuery] = useState<CameraLayerQuery>({});
  const scopeKeyRef = useRef(scopeKey);
  scopeKeyRef.current = scopeKey;

  const loadLayer = useCallback(
    async (name: LayerName, bbox?: BBox) => {
      const key = scopeKeyRef.current;
      const query = layerQuery(name, { datasetId, scopeKey: key, ...(bbox ? { bbox } : {}) });
      const fc = await api.layer(name, query);
      if (name === 'lsoas' && key !== scopeKeyRef.current) return fc; // the place changed meanwhile
      setLayers((prev) => ({ ...prev, [name]: fc }));
      if (name === 'lsoas') setLsoasScope(key);
      if (name === 'cameras') setCameraQuery(cameraQueryOf(query));
      return fc;
    },
    [api, datasetId],
  );

  useEffect(() => {
    if (!datasetId) return;
    setLayers({});
    setCameraQuery({});
    setError(null);
    let cancelled = false;
    Promise.all(LAYER_NAMES.filter((l) => l !== 'lsoas').map((l) => loadLayer(l))).catch((err) => {
      if (!cancelled) setError(`Some map layers could not be loaded: ${describeError(err)}`);
    });
    return () => {
      cancelled = true;
    };
  }, [datasetId, loadLayer]);

  useEffect(() => {
    if (!datasetId || !scopeKey) return;
    let cancelled = false;
    loadLayer('lsoas').catch((err) => {
      if (!cancelled) setError(`The LSOAs of ${scopeLabel || 'the place'} could not be loaded: ${describeError(err)}`);
    });
    return () => {
      cancelled = true;
    };
  }, [datasetId, scopeKey, loadLayer]);

  const truncated = LAYER_NAMES.filter((l) => layers[l]?.truncated);
  const truncatedRef = useRef<LayerName[]>([]);
  truncatedRef.current = truncated;
  const viewTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const onViewChange = useCallback(
    (bbox: BBox) => {
      if (truncatedRef.current.length === 0) return;
      if (viewTimer.current) clearTimeout(viewTimer.current);
      viewTimer.current = setTimeout(() => {
        for (const l of truncatedRef.current) void loadLayer(l, bbox).catch(() => undefined);
      }, VIEW_SETTLE_MS);
    },
    [loadLayer],
  );

  const counts = useMemo(() => {
    const c: Partial<Record<LayerName, number>> = {};
    for (const l of LAYER_NAMES) if (layers[l]) c[l] = layers[l]!.features.length;
    return c;
  }, [layers]);

  return {
    layers,
    error,
    setError,
    loadLayer,
    lsoasScope,
    cameraQuery,
    allLoaded: LAYER_NAMES.every((l) => layers[l] !== undefined),
    truncated,
    counts,
    onViewChange,
  };
}

export type MapLayers = ReturnType<typeof useMapLayers>;
