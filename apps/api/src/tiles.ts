import { buildContextLayer } from '@safer-places/domain';
import {
  CONTEXT_TILE_LAYERS,
  CONTEXT_TILE_MAX_ZOOM,
  LSOA_TILE_LAYER,
  LSOA_TILE_MAX_ZOOM,
  type ContextLayer,
  type DatasetSummary,
  type Lsoa,
} from '@safer-places/schemas';
import { COMPRESSION_THRESHOLD_BYTES, compressBody, type Encoding } from './compression';

/** How many datasets keep a tile index at once (each is built from the dataset's LSOAs on its first tile). */
export const TILE_INDEXES_KEPT = 2;
/** Encoded tiles kept, by bytes (an empty tile counts as ENTRY_OVERHEAD_BYTES). */
export const TILE_CACHE_BYTES = 48 * 1024 * 1024;
/**
 * An index keeps every tile it has cut (its own cache, which only grows). Past this many, the index is dropped and
 * built again on the next tile (England: ~0.5 s), so a long-lived process never holds more than this many cut tiles.
 */
export const TILE_INDEX_MAX_TILES = 6_000;
/**
 * The context tile cache's own budgets (ContextTileCache): its tiles are lines and points, far smaller than the LSOA
 * polygons, and its source is dearer to build (buildContextLayer dissolves the dataset's LSOAs into districts, wards
 * and the outline), so it keeps fewer bytes of tiles but must not be rebuilt as often. The tile limit is per
 * geojson-vt index (it has one per tile layer), not their sum.
 */
export const CONTEXT_TILE_INDEXES_KEPT = 2;
export const CONTEXT_TILE_CACHE_BYTES = 16 * 1024 * 1024;
export const CONTEXT_TILE_INDEX_MAX_TILES = 6_000;
/** What one cached entry costs beyond its bytes (key, map slot, array header). */
const ENTRY_OVERHEAD_BYTES = 128;

export interface LsoaTileCacheOptions {
  maxIndexes?: number;
  maxBytes?: number;
  maxIndexTiles?: number;
}

/**
 * The tile cutter and encoder, loaded with the first tile rather than at start-up: no other route needs them, and a
 * Lambda's cold start should not pay for them.
 */
let tileLibraries: Promise<{ GeoJSONVT: typeof import('geojson-vt').default; fromGeojsonVt: typeof import('vt-pbf').fromGeojsonVt }> | undefined;
const loadTileLibraries = () =>
  (tileLibraries ??= Promise.all([import('geojson-vt'), import('vt-pbf')]).then(([cutter, encoder]) => ({ GeoJSONVT: cutter.default, fromGeojsonVt: encoder.fromGeojsonVt })));

/** The properties each LSOA carries in a tile: the map joins its values by feature state on `code`. */
export interface LsoaTileProperties {
  code: string;
  name: string;
  districtCode: string;
  districtName: string;
  /** The ward the LSOA lies in (best fit), when the dataset's lookup gave one: the side panel shows it. */
  wardName?: string;
}

/** A dataset version's tile source: cuts and encodes one tile (an empty array: nothing there), and says how many it has cut. */
export interface TileSource {
  encode(z: number, x: number, y: number): Promise<Uint8Array>;
  /** Tiles the source has cut and keeps (geojson-vt keeps every tile it cuts). */
  readonly cutTiles: number;
}

interface IndexEntry {
  version: string;
  index: Promise<TileSource>;
}

/**
 * Vector tiles built once per dataset version per process: the first tile of a dataset builds its tile source, later
 * tiles are cut from it and encoded once, then answered from a byte-bounded LRU. Shared by every request; concurrent
 * first requests share one build, and a failed build is not kept. Subclasses say how a dataset's source is built.
 */
export abstract class VectorTileCache {
  private readonly indexes = new Map<string, IndexEntry>();
  private readonly tiles = new Map<string, Uint8Array>();
  private bytes = 0;
  private readonly maxIndexes: number;
  private readonly maxBytes: number;
  private readonly maxIndexTiles: number;
  /** Indexes built so far (for tests and logs: a second tile of the same version builds nothing). */
  builds = 0;

  constructor(options: LsoaTileCacheOptions = {}) {
    this.maxIndexes = Math.max(1, options.maxIndexes ?? TILE_INDEXES_KEPT);
    this.maxBytes = Math.max(0, options.maxBytes ?? TILE_CACHE_BYTES);
    this.maxIndexTiles = Math.max(1, options.maxIndexTiles ?? TILE_INDEX_MAX_TILES);
  }

  /** The dataset's tile source (called once per dataset version, or again after the source was dropped). */
  protected abstract buildSource(dataset: DatasetSummary): Promise<TileSource>;

  /** Bytes the encoded tiles take now (at most maxBytes). */
  get cachedBytes(): number {
    return this.bytes;
  }

  /**
   * The tile compressed with `encoding` when it is worth it (COMPRESSION_THRESHOLD_BYTES and up), cached like the tile
   * itself so a popular tile is compressed once; `encoding: null` when the bytes are the plain tile.
   */
  async compressedTile(dataset: DatasetSummary, z: number, x: number, y: number, encoding: Encoding | null): Promise<{ bytes: Uint8Array; encoding: Encoding | null }> {
    const plain = await this.tile(dataset, z, x, y);
    if (!encoding || plain.byteLength < COMPRESSION_THRESHOLD_BYTES) return { bytes: plain, encoding: null };
    const key = `${this.keyOf(dataset, z, x, y)}\u0000${encoding}`;
    const hit = this.recall(key);
    if (hit) return { bytes: hit, encoding };
    const bytes = await compressBody(plain, encoding);
    this.remember(key, bytes);
    return { bytes, encoding };
  }

  /** The encoded tile; an empty array when nothing of the dataset reaches it. z/x/y must be valid (see tileRoutes). */
  async tile(dataset: DatasetSummary, z: number, x: number, y: number): Promise<Uint8Array> {
    const key = this.keyOf(dataset, z, x, y);
    const hit = this.recall(key);
    if (hit) return hit;
    const entry = this.indexOf(dataset);
    const index = await entry.index;
    const encoded = await index.encode(z, x, y);
    // Drop an index that has cut too many tiles (unless a newer one replaced it meanwhile): the next tile builds afresh.
    if (index.cutTiles > this.maxIndexTiles && this.indexes.get(dataset.id) === entry) this.indexes.delete(dataset.id);
    this.remember(key, encoded);
    return encoded;
  }

  private keyOf(dataset: DatasetSummary, z: number, x: number, y: number) {
    return `${dataset.id}\u0000${dataset.version}\u0000${z}/${x}/${y}`;
  }

  private recall(key: string): Uint8Array | undefined {
    const hit = this.tiles.get(key);
    if (hit) {
      // Most recently used last.
      this.tiles.delete(key);
      this.tiles.set(key, hit);
    }
    return hit;
  }

  private indexOf(dataset: DatasetSummary): IndexEntry {
    const entry = this.indexes.get(dataset.id);
    if (entry && entry.version === dataset.version) {
      this.indexes.delete(dataset.id);
      this.indexes.set(dataset.id, entry);
      return entry;
    }
    // A new version replaces the old one's tiles as well as its index.
    if (entry) this.forgetTiles(dataset.id);
    const index = this.buildSource(dataset).then((source) => {
      this.builds++;
      return source;
    });
    const fresh: IndexEntry = { version: dataset.version, index };
    this.indexes.delete(dataset.id);
    this.indexes.set(dataset.id, fresh);
    index.catch(() => {
      if (this.indexes.get(dataset.id) === fresh) this.indexes.delete(dataset.id);
    });
    while (this.indexes.size > this.maxIndexes) {
      const oldest = this.indexes.keys().next().value!;
      this.indexes.delete(oldest);
      this.forgetTiles(oldest);
    }
    return fresh;
  }

  private remember(key: string, encoded: Uint8Array) {
    const cost = encoded.byteLength + ENTRY_OVERHEAD_BYTES;
    if (cost > this.maxBytes) return;
    const previous = this.tiles.get(key);
    if (previous) {
      // Two requests cut the same tile at once: keep one.
      this.tiles.delete(key);
      this.bytes -= previous.byteLength + ENTRY_OVERHEAD_BYTES;
    }
    this.tiles.set(key, encoded);
    this.bytes += cost;
    for (const [oldKey, old] of this.tiles) {
      if (this.bytes <= this.maxBytes) break;
      this.tiles.delete(oldKey);
      this.bytes -= old.byteLength + ENTRY_OVERHEAD_BYTES;
    }
  }

  private forgetTiles(datasetId: string) {
    const prefix = `${datasetId}\u0000`;
    for (const [key, tile] of this.tiles) {
      if (!key.startsWith(prefix)) continue;
      this.tiles.delete(key);
      this.bytes -= tile.byteLength + ENTRY_OVERHEAD_BYTES;
    }
  }
}

/**
 * Mapbox Vector Tiles of a dataset's LSOAs (one layer, LSOA_TILE_LAYER), every LSOA of the dataset with no cap, cut
 * by geojson-vt and encoded by vt-pbf.
 */
export class LsoaTileCache extends VectorTileCache {
  constructor(
    private readonly lsoas: (dataset: DatasetSummary) => Promise<Lsoa[]>,
    options: LsoaTileCacheOptions = {},
  ) {
    super(options);
  }

  protected async buildSource(dataset: DatasetSummary): Promise<TileSource> {
    const [lsoas, { GeoJSONVT, fromGeojsonVt }] = await Promise.all([this.lsoas(dataset), loadTileLibraries()]);
    const index = new GeoJSONVT(
      {
        type: 'FeatureCollection',
        features: lsoas.map((l) => ({
          type: 'Feature',
          geometry: l.geometry,
          properties: { code: l.code, name: l.name, districtCode: l.districtCode, districtName: l.districtName, ...(l.wardName && { wardName: l.wardName }) } satisfies LsoaTileProperties,
        })),
      },
      // Tiles are cut down to the last zoom the map asks for; it over-zooms that one. Extent 4096, buffer 64.
      // Simplification tolerance 1 (geojson-vt's default is 3): a ring smaller than tolerance² tile units at a zoom is
      // left out there, and 1 keeps every England LSOA but a handful at zoom 6 (33,745 of 33,755; each left out is under
      // 1/64 of a pixel) and all from zoom 7, where 3 left out 668 at zoom 6, for ~10 % more bytes at zoom 6.
      { maxZoom: LSOA_TILE_MAX_ZOOM, indexMaxZoom: 5, indexMaxPoints: 100_000, tolerance: 1 },
    );
    return {
      get cutTiles() {
        return index.tileCoords.length;
      },
      async encode(z, x, y) {
        const cut = index.getTile(z, x, y);
        return cut && cut.features.length > 0 ? fromGeojsonVt({ [LSOA_TILE_LAYER]: cut as never }, { version: 2 }) : new Uint8Array(0);
      },
    };
  }
}

/** Sizes of the context tile cache (defaults CONTEXT_TILE_INDEXES_KEPT, CONTEXT_TILE_CACHE_BYTES, CONTEXT_TILE_INDEX_MAX_TILES per index). */
export type ContextTileCacheOptions = LsoaTileCacheOptions;

/** Which entry of a ContextLayer each tile layer holds. */
const CONTEXT_LAYERS_OF: readonly [keyof ContextLayer, string][] = [
  ['studyArea', CONTEXT_TILE_LAYERS.studyArea],
  ['districtBoundaries', CONTEXT_TILE_LAYERS.districtBoundaries],
  ['wardBoundaries', CONTEXT_TILE_LAYERS.wardBoundaries],
  ['placeLabels', CONTEXT_TILE_LAYERS.placeLabels],
];

/**
 * Mapbox Vector Tiles of a dataset's context layer (packages/schemas context.ts: district and ward boundaries, the
 * study area's outline, place labels), built from the dataset's LSOAs (buildContextLayer) once per dataset version.
 * Each tile layer has its own geojson-vt index; a place label is put only in tiles of its own minimum zoom and up, so
 * a county tile carries district names, not 684 LSOA names. Data with no wards (imported without the ward lookup)
 * gives tiles without ward lines or ward and town names: districts, the outline and LSOA names still come.
 */
export class ContextTileCache extends VectorTileCache {
  /** `options` are this cache's own (CONTEXT_TILE_* defaults), not the LSOA cache's. */
  constructor(
    private readonly lsoas: (dataset: DatasetSummary) => Promise<Lsoa[]>,
    options: ContextTileCacheOptions = {},
  ) {
    super({
      maxIndexes: options.maxIndexes ?? CONTEXT_TILE_INDEXES_KEPT,
      maxBytes: options.maxBytes ?? CONTEXT_TILE_CACHE_BYTES,
      maxIndexTiles: options.maxIndexTiles ?? CONTEXT_TILE_INDEX_MAX_TILES,
    });
  }

  protected async buildSource(dataset: DatasetSummary): Promise<TileSource> {
    const [lsoas, { GeoJSONVT, fromGeojsonVt }] = await Promise.all([this.lsoas(dataset), loadTileLibraries()]);
    const context = buildContextLayer(lsoas);
    const indexes = CONTEXT_LAYERS_OF.map(([entry, name]) => ({
      name,
      index: new GeoJSONVT(
        { type: 'FeatureCollection', features: context[entry] as never },
        // Lines keep geojson-vt's default simplification (tolerance 3: a boundary is context, not data to click).
        { maxZoom: CONTEXT_TILE_MAX_ZOOM, indexMaxZoom: 5, indexMaxPoints: 100_000 },
      ),
    }));
    return {
      // The largest of the layer indexes (each holds its own cut tiles; every one is held to the limit, not their sum).
      get cutTiles() {
        return Math.max(...indexes.map((i) => i.index.tileCoords.length));
      },
      async encode(z, x, y) {
        const layers: Record<string, unknown> = {};
        for (const { name, index } of indexes) {
          const cut = index.getTile(z, x, y);
          if (!cut) continue;
          const features = name === CONTEXT_TILE_LAYERS.placeLabels ? cut.features.filter((f) => Number((f.tags as { minzoom?: number }).minzoom ?? 0) <= z) : cut.features;
          if (features.length > 0) layers[name] = { ...cut, features };
        }
        return Object.keys(layers).length > 0 ? fromGeojsonVt(layers as never, { version: 2 }) : new Uint8Array(0);
      },
    };
  }
}
