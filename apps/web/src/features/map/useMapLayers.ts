import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { LAYER_NAMES, type BBox, type LayerName } from '@safer-places/schemas';
import type { Feature, FeatureCollection } from '@safer-places/schemas';
import { describeError, type ApiClient, type LayerCollection, type TileSource } from '../../api/client';
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
  /**
   * Whether the scope's whole LSOA polygons are needed as GeoJSON (a bid's chosen LSOAs and lasso): only then is the
   * LSOA layer read from `/api/layers/lsoas`. The map never needs it: it draws the LSOAs from `lsoaTiles`.
   */
  lsoaGeometry?: boolean;
}

/**
 * An LSOA picked on the map, as a feature the side panel reads: the tile's properties, and an empty polygon (the panel
 * needs no shape, and a tile holds only the clipped part of one).
 */
export function pickedLsoaFeature(properties: Record<string, unknown>): Feature | null {
  const code = properties.code;
  if (typeof code !== 'string' || code === '') return null;
  return { type: 'Feature', properties: { ...properties }, geometry: { type: 'Polygon', coordinates: [] } };
}

/**
 * The map's layer data. The LSOA layer is drawn from the dataset's vector tiles (`lsoaTiles`); its GeoJSON (the scope's
 * LSOAs, read again whenever the place changes) is read only while `lsoaGeometry` asks for it. LSOAs clicked on the map
 * are kept as `pickedLsoas` (their tile properties) for the side panel. The organisation's layers (cameras, help
 * points, PSPO zones, Safer Streets areas) are not scoped. Layers the server cut
 * short are read again for the area in view. `cameraQuery` is the query the cameras layer on the map was read with (set
 * together with the layer), so what is drawn for the cameras (their coverage) is asked for the same cameras.
 */
export function useMapLayers({ api, datasetId, scopeKey, scopeLabel, lsoaGeometry = false }: MapLayersInput) {
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
    if (!datasetId || !scopeKey || !lsoaGeometry) return;
    let cancelled = false;
    loadLayer('lsoas').catch((err) => {
      if (!cancelled) setError(`The LSOAs of ${scopeLabel || 'the place'} could not be loaded: ${describeError(err)}`);
    });
    return () => {
      cancelled = true;
    };
  }, [datasetId, scopeKey, lsoaGeometry, loadLayer]);

  const lsoaTiles: TileSource | null = useMemo(() => (datasetId ? api.lsoaTiles(datasetId) : null), [api, datasetId]);
  const [pickedLsoas, setPickedLsoas] = useState<FeatureCollection>({ type: 'FeatureCollection', features: [] });
  /** Keeps an LSOA clicked on the map (its tile properties) so the side panel can show it; the last 50 are kept. */
  const rememberLsoa = useCallback((properties: Record<string, unknown>) => {
    const f = pickedLsoaFeature(properties);
    if (!f) return;
    setPickedLsoas((prev) => ({ type: 'FeatureCollection', features: [...prev.features.filter((x) => x.properties.code !== f.properties.code).slice(-49), f] }));
  }, []);

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
    /** Every GeoJSON layer the map draws has arrived (the LSOAs come as tiles: the map's own readiness covers them). */
    allLoaded: LAYER_NAMES.every((l) => l === 'lsoas' || layers[l] !== undefined),
    lsoaTiles,
    pickedLsoas,
    rememberLsoa,
    truncated,
    counts,
    onViewChange,
  };
}

export type MapLayers = ReturnType<typeof useMapLayers>;
