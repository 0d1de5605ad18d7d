import { gzipSync } from 'node:zlib';
import GeoJSONVT from 'geojson-vt';
import { Compression, TileType, tileIdToZxy } from 'pmtiles';
import { fromGeojsonVt } from 'vt-pbf';
import type { FeatureCollection } from '@safer-places/schemas';
import { tileIdsInBox, type BBox } from './extract';
import { buildArchive, type ArchiveLayout } from './pmtiles-writer';

/**
 * A small vector base map archive from GeoJSON layers (WGS84): each layer cut into Mapbox Vector Tiles with geojson-vt
 * from `minZoom` to `maxZoom` over the layers' extent, gzip-compressed, written as a clustered PMTiles archive. Name
 * the layers as the Protomaps schema does (`earth`, `landuse`, `water`, `roads`, `boundaries`, `places`) and the app's
 * PMTiles style draws them: e.g. a boundary-and-place-name map from ONS data for a machine that has no extract.
 * As in that schema, a feature with a numeric `min_zoom` property is only in the tiles from that zoom on (a village
 * name does not crowd out the district names at the county view).
 */
export interface VectorArchiveOptions {
  layers: Record<string, FeatureCollection>;
  minZoom?: number;
  maxZoom: number;
  attribution: string;
  name?: string;
}

function extentOf(layers: Record<string, FeatureCollection>): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number') {
      const [x, y] = c as number[];
      box[0] = Math.min(box[0], x!);
      box[1] = Math.min(box[1], y!);
      box[2] = Math.max(box[2], x!);
      box[3] = Math.max(box[3], y!);
      return;
    }
    for (const inner of c) visit(inner);
  };
  for (const fc of Object.values(layers)) for (const f of fc.features) visit((f.geometry as { coordinates?: unknown } | null)?.coordinates);
  if (!Number.isFinite(box[0])) throw new Error('the layers have no coordinates');
  return box;
}

export function buildVectorArchive(options: VectorArchiveOptions): { bytes: Uint8Array; layout: ArchiveLayout; tiles: number } {
  const minZoom = options.minZoom ?? 0;
  const bounds = extentOf(options.layers);
  // One index per layer and first zoom: a tile takes the features of every index whose first zoom it has reached.
  const indexes = Object.entries(options.layers).flatMap(([name, fc]) => {
    const byMinZoom = new Map<number, FeatureCollection['features']>();
    for (const f of fc.features) {
      const mz = (f.properties as { min_zoom?: unknown } | null)?.min_zoom;
      const from = typeof mz === 'number' && Number.isFinite(mz) ? Math.max(0, Math.floor(mz)) : 0;
      byMinZoom.set(from, [...(byMinZoom.get(from) ?? []), f]);
    }
    return [...byMinZoom].map(([from, features]) => ({
      name,
      from,
      index: new GeoJSONVT({ type: 'FeatureCollection', features } as never, { maxZoom: options.maxZoom, indexMaxZoom: options.maxZoom, indexMaxPoints: 0, tolerance: 1 }),
    }));
  });
  const tiles: { z: number; x: number; y: number; data: Uint8Array }[] = [];
  for (const id of tileIdsInBox(bounds, minZoom, options.maxZoom, 200_000)) {
    const [z, x, y] = tileIdToZxy(id);
    const cut: Record<string, { features: unknown[] }> = {};
    for (const { name, from, index } of indexes) {
      if (z < from) continue;
      const tile = index.getTile(z, x, y);
      if (!tile || tile.features.length === 0) continue;
      const same = cut[name];
      if (same) same.features = [...same.features, ...tile.features];
      else cut[name] = { ...tile, features: [...tile.features] };
    }
    if (Object.keys(cut).length === 0) continue;
    tiles.push({ z, x, y, data: new Uint8Array(gzipSync(fromGeojsonVt(cut as never, { version: 2 }))) });
  }
  const { bytes, layout } = buildArchive(
    {
      tileType: TileType.Mvt,
      tileCompression: Compression.Gzip,
      minZoom,
      maxZoom: options.maxZoom,
      bounds,
      metadata: {
        name: options.name ?? 'Safer Places vector base map',
        attribution: options.attribution,
        vector_layers: Object.keys(options.layers).map((id) => ({ id, fields: {}, minzoom: minZoom, maxzoom: options.maxZoom })),
      },
    },
    tiles,
  );
  return { bytes, layout, tiles: tiles.length };
}
