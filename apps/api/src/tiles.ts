import { buildContextLayer } from '@safer-places/domain';
import {
  CONTEXT_TILE_LAYERS,
  CONTEXT_TILE_MAX_ZOOM,
  LSOA_TILE_LAYER,
  LSOA_TILE_MAX_ZOOM,
  lsoaVersionOf,
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

/** A dataset's tile source for one LSOA version (`lsoaVersionOf`: crime imports leave it alone): cuts and encodes one tile (an empty array: nothing there), and says how many it has cut. */
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
 * Vector tiles built once per LSOA version of a dataset per process (an import that adds crime months keeps it): the first tile of a dataset builds its tile source, later
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

  /** The dataset's tile source (called once per LSOA version, or again after the source was dropped). */
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
    return `${dataset.id}\u0000${lsoaVersionOf(dataset)}\u0000${z}/${x}/${y}`;
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
    if (entry && entry.version === lsoaVersionOf(dataset)) {
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
    const fresh: IndexEntry = { version: lsoaVersionOf(dataset), index };
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
 * The last zoom cut from the overview index: tiles of zoom 0 to this one are generalised to the pixel (below), deeper
 * tiles keep the boundaries' own detail. At zoom 8 an England LSOA is ~1–40 px across; at zoom 9 the map starts to
 * show LSOA shapes rather than specks.
 */
export const LSOA_OVERVIEW_MAX_ZOOM = 8;
/**
 * Simplification tolerance of the overview zooms, in tile units (extent 4096; the map draws a tile on 512 px, so 8
 * units are one pixel): a vertex that moves a boundary by less than a pixel is left out, and so is a ring (an island,
 * a hole, a sliver) smaller than a pixel. A whole LSOA smaller than a pixel keeps a one-pixel square at its centre
 * (see overviewPlaceholders), so every LSOA of the dataset is still in the tiles, with its code, at every zoom.
 */
export const LSOA_OVERVIEW_TOLERANCE = 8;
/**
 * Simplification tolerance from zoom LSOA_OVERVIEW_MAX_ZOOM + 1 (geojson-vt's default is 3): a ring smaller than the
 * tolerance is left out at a zoom, and 1 keeps every England LSOA at zoom 9 and deeper.
 */
export const LSOA_DETAIL_TOLERANCE = 1;
const TILE_EXTENT = 4096;

/** An LSOA's anchor for its overview placeholder: bbox centre in Web Mercator world units (0–1), and its size there. */
export interface LsoaAnchor {
  tags: LsoaTileProperties;
  x: number;
  y: number;
  /** The bbox's larger side in world units. */
  size: number;
  /** The largest outer ring's area in world units² (what decides whether simplification drops the LSOA). */
  area: number;
  /** The vertex of that ring nearest the bbox centre: where a long, thin LSOA's placeholder goes (on the LSOA itself). */
  onX: number;
  onY: number;
}

const mercatorX = (lon: number) => (lon + 180) / 360;
const mercatorY = (lat: number) => {
  const s = Math.sin((Math.max(-85.05, Math.min(85.05, lat)) * Math.PI) / 180);
  return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
};

function anchorOf(lsoa: Lsoa, tags: LsoaTileProperties): LsoaAnchor {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  let area = -1;
  let largest: readonly (readonly number[])[] = [];
  const polygons = lsoa.geometry.type === 'Polygon' ? [lsoa.geometry.coordinates] : lsoa.geometry.coordinates;
  for (const rings of polygons) {
    rings.forEach((ring, i) => {
      let twice = 0;
      let px = 0;
      let py = 0;
      ring.forEach(([lon, lat], k) => {
        if (lon! < w) w = lon!;
        if (lon! > e) e = lon!;
        if (lat! < s) s = lat!;
        if (lat! > n) n = lat!;
        const mx = mercatorX(lon!);
        const my = mercatorY(lat!);
        if (i === 0 && k > 0) twice += px * my - mx * py;
        px = mx;
        py = my;
      });
      if (i === 0 && Math.abs(twice) / 2 > area) {
        area = Math.abs(twice) / 2;
        largest = ring;
      }
    });
  }
  const x0 = mercatorX(w);
  const x1 = mercatorX(e);
  const y0 = mercatorY(n);
  const y1 = mercatorY(s);
  const x = (x0 + x1) / 2;
  const y = (y0 + y1) / 2;
  let on = { x, y, d: Infinity };
  for (const [lon, lat] of largest) {
    const vx = mercatorX(lon!);
    const vy = mercatorY(lat!);
    const d = (vx - x) ** 2 + (vy - y) ** 2;
    if (d < on.d) on = { x: vx, y: vy, d };
  }
  return { tags, x, y, size: Math.max(x1 - x0, y1 - y0), area: Math.max(area, 0), onX: on.x, onY: on.y };
}

type CutFeature = { type: number; geometry: unknown; tags: Record<string, unknown> | null };

/**
 * The LSOAs an overview tile lost to simplification, each as a square of `tolerance` tile units (one pixel): the LSOAs
 * that have no feature in the tile and that simplification may have dropped there, where their place lies in it.
 *  - An LSOA no more than four pixels across: at its centre.
 *  - A long, thin one (larger, but with no outer ring of four pixels² or more; simplification drops a ring under one
 *    pixel², so this leaves a margin): at the vertex of its largest ring nearest its centre, so the square is on the
 *    LSOA itself even when it is curved or L-shaped.
 * A larger one was cut away from this tile, not simplified away.
 */
export function overviewPlaceholders(
  anchors: readonly LsoaAnchor[],
  present: ReadonlySet<string>,
  z: number,
  x: number,
  y: number,
  tolerance: number,
): CutFeature[] {
  const scale = 2 ** z;
  const maxSize = (4 * tolerance) / (scale * TILE_EXTENT);
  const maxArea = (2 * tolerance) ** 2 / (scale * TILE_EXTENT) ** 2;
  const half = Math.max(1, Math.round(tolerance / 2));
  const out: CutFeature[] = [];
  for (const a of anchors) {
    const small = a.size <= maxSize;
    if ((!small && a.area >= maxArea) || present.has(a.tags.code)) continue;
    const tx = ((small ? a.x : a.onX) * scale - x) * TILE_EXTENT;
    const ty = ((small ? a.y : a.onY) * scale - y) * TILE_EXTENT;
    if (tx < 0 || tx >= TILE_EXTENT || ty < 0 || ty >= TILE_EXTENT) continue;
    const cx = Math.round(tx);
    const cy = Math.round(ty);
    // Clockwise in tile coordinates (y down): an outer ring, as MVT wants.
    const ring: [number, number][] = [[cx - half, cy - half], [cx + half, cy - half], [cx + half, cy + half], [cx - half, cy + half], [cx - half, cy - half]];
    out.push({ type: 3, geometry: [ring], tags: { ...a.tags } });
  }
  return out;
}

/**
 * Mapbox Vector Tiles of a dataset's LSOAs (one layer, LSOA_TILE_LAYER), every LSOA of the dataset with no cap, cut
 * by geojson-vt and encoded by vt-pbf. Two indexes: the overview (zooms 0–LSOA_OVERVIEW_MAX_ZOOM, generalised to the
 * pixel, with a placeholder for each LSOA smaller than one) and the detail (deeper zooms, built on the first deeper
 * tile). Generalising the national zooms is what keeps the map smooth over England: the map decodes each tile again
 * on its main thread to join the feature states, and draws every vertex; before it a zoom-5 tile over England was
 * 2.2 MB with ~340 k vertices, most of them closer together than a pixel.
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
    const tagsOf = (l: Lsoa): LsoaTileProperties => ({ code: l.code, name: l.name, districtCode: l.districtCode, districtName: l.districtName, ...(l.wardName && { wardName: l.wardName }) });
    const collection = {
      type: 'FeatureCollection' as const,
      features: lsoas.map((l) => ({ type: 'Feature' as const, geometry: l.geometry, properties: tagsOf(l) })),
    };
    const anchors = lsoas.map((l) => anchorOf(l, tagsOf(l)));
    // Extent 4096, buffer 64. The overview's maxZoom is one past its last zoom: geojson-vt leaves its maxZoom unsimplified.
    const overview = new GeoJSONVT(collection, { maxZoom: LSOA_OVERVIEW_MAX_ZOOM + 1, indexMaxZoom: 5, indexMaxPoints: 100_000, tolerance: LSOA_OVERVIEW_TOLERANCE });
    // Tiles are cut down to the last zoom the map asks for; it over-zooms that one.
    let detail: InstanceType<typeof GeoJSONVT> | undefined;
    const detailIndex = () => (detail ??= new GeoJSONVT(collection, { maxZoom: LSOA_TILE_MAX_ZOOM, indexMaxZoom: 5, indexMaxPoints: 100_000, tolerance: LSOA_DETAIL_TOLERANCE }));
    return {
      get cutTiles() {
        return overview.tileCoords.length + (detail?.tileCoords.length ?? 0);
      },
      async encode(z, x, y) {
        if (z > LSOA_OVERVIEW_MAX_ZOOM) {
          const cut = detailIndex().getTile(z, x, y);
          return cut && cut.features.length > 0 ? fromGeojsonVt({ [LSOA_TILE_LAYER]: cut as never }, { version: 2 }) : new Uint8Array(0);
        }
        const cut = overview.getTile(z, x, y);
        const features: CutFeature[] = (cut?.features ?? []) as CutFeature[];
        const present = new Set(features.map((f) => String(f.tags?.code)));
        const all = [...features, ...overviewPlaceholders(anchors, present, z, x, y, LSOA_OVERVIEW_TOLERANCE)];
        return all.length > 0 ? fromGeojsonVt({ [LSOA_TILE_LAYER]: { features: all } as never }, { version: 2 }) : new Uint8Array(0);
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
 * study area's outline, place labels), built from the dataset's LSOAs (buildContextLayer) once per LSOA version.
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
