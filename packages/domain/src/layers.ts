import type {
  AssetKind,
  BBox,
  Camera,
  CameraCoverageLayer,
  DatasetSummary,
  Feature,
  FeatureCollection,
  Geometry,
  LayerRouteName,
  Principal,
} from '@safer-places/schemas';
import { DEFAULT_COVERAGE_RADIUS_M, MAX_LAYER_FEATURES } from '@safer-places/schemas';
import { bboxIntersects, geometryBBox } from '@safer-places/geo';
import type { AssetService } from './assets';
import { coveragePolygon } from './planning/common';
import type { ReferenceService } from './reference';
import type { ResolvedScope, ScopeResolver } from './scope';

export interface LayerResponse extends FeatureCollection {
  layer: LayerRouteName;
  truncated: boolean;
  dataset?: Pick<DatasetSummary, 'id' | 'name' | 'synthetic'>;
}

export interface LayerQuery {
  bbox?: BBox;
  datasetId?: string;
  limit?: number;
  /** LSOA layer: only the scope's LSOAs. */
  scope?: ResolvedScope;
}

/** Builds the GeoJSON the map draws: shared LSOAs from the dataset, everything else from the caller's organisation. */
export class LayerService {
  constructor(
    private readonly reference: ReferenceService,
    private readonly assets: AssetService,
    private readonly scopes: ScopeResolver,
  ) {}

  async layer(principal: Principal, layer: LayerRouteName, query: LayerQuery): Promise<LayerResponse> {
    const limit = Math.min(query.limit ?? MAX_LAYER_FEATURES, MAX_LAYER_FEATURES);
    if (layer === 'lsoas') {
      const dataset = query.scope?.dataset ?? (await this.reference.resolveDataset(query.datasetId));
      const lsoas = query.scope ? query.scope.lsoas : await this.reference.lsoas(dataset);
      const inView = query.bbox ? lsoas.filter((l) => bboxIntersects(l.bbox, query.bbox!)) : lsoas;
      const features: Feature[] = inView.slice(0, limit).map(({ geometry, bbox: _bbox, ...properties }) => ({
        type: 'Feature',
        id: properties.code,
        geometry,
        properties,
      }));
      return {
        type: 'FeatureCollection',
        layer,
        truncated: inView.length > limit,
        dataset: { id: dataset.id, name: dataset.name, synthetic: dataset.synthetic },
        features,
      };
    }
    return this.assetLayer(principal, layer, query, limit);
  }

  /**
   * What each camera of the cameras layer covers, to draw: the same cameras as `layer(principal, 'cameras', query)`
   * (same dataset, bbox, limit and covert-camera rules), one polygon each (its circle, or the sector of its field of
   * view; see coveragePolygon) with `{ id, type, radiusM }`. Decommissioned cameras cover nothing and are left out.
   */
  async cameraCoverage(principal: Principal, query: Omit<LayerQuery, 'scope'>): Promise<CameraCoverageLayer> {
    const limit = Math.min(query.limit ?? MAX_LAYER_FEATURES, MAX_LAYER_FEATURES);
    const cameras = await this.assetLayer(principal, 'cameras', query, limit);
    const features: CameraCoverageLayer['features'] = [];
    for (const f of cameras.features) {
      // The layer's properties: the stored camera with its radius defaulted by type.
      const p = f.properties as unknown as Pick<Camera, 'id' | 'type' | 'status' | 'bearingDeg' | 'fieldOfViewDeg'> & { coverageRadiusM: number };
      if (f.geometry.type !== 'Point' || p.status === 'decommissioned' || !(p.coverageRadiusM > 0)) continue;
      const view = p.bearingDeg !== undefined && p.fieldOfViewDeg !== undefined ? { bearing: p.bearingDeg, fieldOfView: p.fieldOfViewDeg } : {};
      features.push({ type: 'Feature', geometry: coveragePolygon(f.geometry.coordinates, p.coverageRadiusM, view), properties: { id: p.id, type: p.type, radiusM: p.coverageRadiusM } });
    }
    return {
      type: 'FeatureCollection',
      layer: 'cameras',
      truncated: cameras.truncated,
      ...(cameras.dataset && { dataset: cameras.dataset }),
      features,
    };
  }

  private async assetLayer(principal: Principal, kind: AssetKind & LayerRouteName, query: LayerQuery, limit: number): Promise<LayerResponse> {
    // Items belong to places: with a dataset, only those in its study area are drawn (the demo set's only with it).
    // Before any dataset is loaded there is no place to judge by, and every item is drawn.
    const dataset = query.datasetId ? await this.reference.resolveDataset(query.datasetId) : await this.reference.defaultDataset();
    const items = dataset ? await this.scopes.placedItems(principal, dataset, kind) : await this.assets.list(principal, kind);
    const cameraNames =
      kind === 'help-points' ? new Map((await this.assets.list(principal, 'cameras')).map((c) => [c.id, c.name])) : null;
    const features: Feature[] = [];
    for (const item of items) {
      const { location, geometry, orgId: _org, ...rest } = item as typeof item & { location?: Geometry; geometry?: Geometry };
      const shape = (location ?? geometry)!;
      if (query.bbox && !bboxIntersects(geometryBBox(shape), query.bbox)) continue;
      const properties: Record<string, unknown> = { ...rest };
      if (kind === 'cameras') {
        const camera = item as Camera;
        properties.coverageRadiusM = camera.coverageRadiusM ?? DEFAULT_COVERAGE_RADIUS_M[camera.type];
        properties.coverageRadiusDefaulted = camera.coverageRadiusM === undefined;
      }
      if (cameraNames) {
        const cameraId = (item as { cameraId?: string }).cameraId;
        properties.cameraName = cameraId ? (cameraNames.get(cameraId) ?? null) : null;
      }
      features.push({ type: 'Feature', id: item.id, geometry: shape, properties });
    }
    features.sort((a, b) => String(a.id).localeCompare(String(b.id)));
    return {
      type: 'FeatureCollection',
      layer: kind,
      truncated: features.length > limit,
      ...(dataset && { dataset: { id: dataset.id, name: dataset.name, synthetic: dataset.synthetic } }),
      features: features.slice(0, limit),
    };
  }
}
