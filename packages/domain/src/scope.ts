import { areasExtent, areasIntersect, bboxIntersects, createPolygonLocator, geometryBBox, overlapShares, pointsInPolygon } from '@safer-places/geo';
import type {
  AreaGeometry,
  AssetByKind,
  AssetKind,
  Geometry,
  BBox,
  DatasetSummary,
  Lsoa,
  Place,
  Principal,
  Scope,
  ScopeOption,
  ScopeOptions,
  ScopeSummary,
} from '@safer-places/schemas';
import { AREA_SCOPE_MIN_SHARE, MAX_GRID_CELLS_PER_ANALYSIS, lsoaVersionOf, parseScope, scopeKey } from '@safer-places/schemas';
import type { AssetService } from './assets';
import { checkAreaLsoas, checkAreaSize } from './cost';
import { UNPLACED_LSOA, type CrimePartition } from './crime';
import type { CrimePoints } from './crime-points';
import { NotFoundError, ValidationError } from './errors';
import { PlaceIndex } from './place-index';
import type { LsoaLookup, ReferenceService } from './reference';

/** The organisation setting that holds its home scope. */
export const HOME_SCOPE_SETTING = 'home-scope';

/** A scope resolved on a dataset: the place an analysis runs on. */
export interface ResolvedScope {
  scope: Scope;
  summary: ScopeSummary;
  dataset: DatasetSummary;
  /** The LSOAs in scope (for a drawn area or map view, those with at least half their area inside it). */
  lsoas: Lsoa[];
  lsoaCodes: ReadonlySet<string>;
  /** What bounds the place: its LSOAs' boundaries, or the drawn area / map view. The grid and its mask cover these. */
  areas: AreaGeometry[];
  /** Drawn area and map view: crimes are those inside this shape (not those of whole LSOAs). */
  shape: AreaGeometry | null;
  /**
   * The crime partitions (districts, crime.ts) the scope's crimes are stored in, sorted: its LSOAs' districts, or for a
   * drawn area or map view the districts of every LSOA whose box meets the shape's box (a crime inside the shape lies
   * in one of those). What an analysis of the scope reads; see {@link ScopeResolver.partitionsOf}.
   */
  partitions: CrimePartition[];
}

/** What reading a scope's crimes touches: its partitions, and every LSOA stored in them (the store's filter). */
export interface ScopePartitions {
  partitions: CrimePartition[];
  lsoaCodes: string[];
}

export interface SettingsPort {
  getSetting(orgId: string, name: string): Promise<string | null>;
  putSetting(orgId: string, name: string, value: string): Promise<void>;
}

const boxPolygon = ([w, s, e, n]: BBox): AreaGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
});

const unionBox = (boxes: BBox[]): BBox =>
  boxes.reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]);

/**
 * The one place scopes are resolved. Every analysis (choropleth, hot spots, strategic table, bid eligibility, the
 * planner's gaps, sites, rotation, help points and patrols) asks this resolver which LSOAs and which crimes its
 * scope holds, so all of them agree on what "Mansfield" or "the map view" means.
 */
export class ScopeResolver {
  private readonly places = new Map<string, PlaceIndex>();
  private readonly pointMasks = new WeakMap<CrimePoints, Map<string, Uint8Array>>();

  constructor(
    private readonly reference: ReferenceService,
    private readonly assets: AssetService,
    private readonly settings: SettingsPort,
  ) {}

  /** The scope of a request on a dataset; none means the study area (clients send the organisation's home scope). */
  async resolve(principal: Principal | undefined, dataset: DatasetSummary, scope: Scope | undefined): Promise<ResolvedScope> {
    const wanted = scope ?? { kind: 'study-area' as const };
    const [lookup, index] = await Promise.all([this.reference.lsoaLookup(dataset), this.reference.partitionIndex(dataset)]);
    const all = lookup.lsoas;
    const named = (lsoas: Lsoa[], label: string, what: string): ResolvedScope => {
      if (lsoas.length === 0) throw new ValidationError(`scope ${what} holds no LSOA of dataset "${dataset.id}"`);
      return this.resolved(wanted, dataset, label, lsoas, null, [...new Set(lsoas.map((l) => index.partitionOf(l.code)))].sort());
    };
    switch (wanted.kind) {
      case 'study-area':
        return named(all, dataset.studyArea?.label ?? `${dataset.name} (all ${all.length} LSOAs)`, 'study-area');
      case 'districts': {
        const known = lookup.districts;
        const unknown = wanted.codes.filter((c) => !known.has(c));
        if (unknown.length > 0) {
          throw new ValidationError(`unknown district ${unknown.join(', ')} in scope: dataset "${dataset.id}" holds ${[...known.keys()].sort().join(', ') || 'no districts'}`);
        }
        const label = wanted.codes.map((c) => known.get(c)!.name).sort().join(', ');
        return named(lookup.inDistricts(wanted.codes), label, `district:${wanted.codes.join(',')}`);
      }
      case 'csp': {
        const lsoas = lookup.csps.get(wanted.code) ?? [];
        if (lsoas.length === 0) {
          const known = [...new Set(all.map((l) => l.cspCode).filter(Boolean))].sort();
          throw new ValidationError(`unknown CSP ${wanted.code} in scope: dataset "${dataset.id}" holds ${known.join(', ') || 'no CSPs (import the ONS district → CSP lookup)'}`);
        }
        return named(lsoas, lsoas[0]!.cspName ? `${lsoas[0]!.cspName} CSP` : wanted.code, `csp:${wanted.code}`);
      }
      case 'partnership': {
        const p = await this.assets.get(this.need(principal), 'partnership-areas', wanted.id);
        const districts = new Set(p.districts);
        const codes = new Set(p.lsoaCodes);
        const lsoas = all.filter((l) => districts.has(l.districtCode) || codes.has(l.code));
        return named(lsoas, p.name, `partnership "${p.name}"`);
      }
      case 'area': {
        const a = await this.assets.get(this.need(principal), 'areas', wanted.id);
        return this.shaped(wanted, dataset, lookup, index.partitionOf, a.geometry, `Drawn area: ${a.name}`, `area "${a.name}"`, `the drawn area "${a.name}"`);
      }
      case 'view':
        return this.shaped(wanted, dataset, lookup, index.partitionOf, boxPolygon(wanted.bbox), 'Map view', 'view', 'the map view');
    }
  }

  /** Parses and resolves a scope text (a stored home scope, a partnership's own check). */
  async resolveText(principal: Principal | undefined, dataset: DatasetSummary, text: string): Promise<ResolvedScope> {
    const parsed = parseScope(text);
    if (!parsed.ok) throw new ValidationError(parsed.message);
    return this.resolve(principal, dataset, parsed.scope);
  }

  private need(principal: Principal | undefined): Principal {
    if (!principal) throw new Error('a scope of organisation items needs the signed-in principal');
    return principal;
  }

  private shaped(
    scope: Scope,
    dataset: DatasetSummary,
    lookup: LsoaLookup,
    partitionOf: (code: string) => CrimePartition,
    shape: AreaGeometry,
    label: string,
    what: string,
    named: string,
  ): ResolvedScope {
    const box = geometryBBox(shape);
    const all = lookup.lsoas;
    const datasetBox = dataset.bbox ?? (all.length ? unionBox(all.map((l) => l.bbox)) : null);
    if (!datasetBox || box[2] < datasetBox[0] || box[0] > datasetBox[2] || box[3] < datasetBox[1] || box[1] > datasetBox[3]) {
      throw new ValidationError(`scope ${what} lies outside dataset "${dataset.id}": it holds no LSOA and no crime of it`);
    }
    // Priced before the clipping, the slow part: a UK-sized polygon is refused here.
    checkAreaSize(shape, named);
    const near = lookup.near(box);
    checkAreaLsoas(near.length, named);
    const inside = new Set(overlapShares(shape, near).filter((s) => s.shareInside >= AREA_SCOPE_MIN_SHARE).map((s) => s.code));
    const partitions = [...new Set(near.map((l) => partitionOf(l.code)))].sort();
    return this.resolved(scope, dataset, label, near.filter((l) => inside.has(l.code)), shape, partitions);
  }

  /** The partitions a resolved scope's crimes are stored in, and every LSOA stored in them. */
  async partitionsOf(resolved: ResolvedScope): Promise<ScopePartitions> {
    const index = await this.reference.partitionIndex(resolved.dataset);
    return { partitions: resolved.partitions, lsoaCodes: resolved.partitions.flatMap((p) => index.lsoasOf(p)) };
  }

  private resolved(scope: Scope, dataset: DatasetSummary, label: string, lsoas: Lsoa[], shape: AreaGeometry | null, partitions: CrimePartition[]): ResolvedScope {
    const areas = shape ? [shape] : lsoas.map((l) => l.geometry);
    const bbox = shape ? geometryBBox(shape) : unionBox(lsoas.map((l) => l.bbox));
    return {
      scope,
      dataset,
      lsoas,
      lsoaCodes: new Set(lsoas.map((l) => l.code)),
      areas,
      shape,
      partitions,
      summary: { key: scopeKey(scope), kind: scope.kind, label, lsoaCount: lsoas.length, bbox: bbox.map((n) => Math.round(n * 1e6) / 1e6) as BBox },
    };
  }

  /**
   * Which crime points are in scope (1) or not (0): those placed in the scope's LSOAs, or for a drawn area or map view
   * those inside the shape. Crimes outside the study area (placed in no LSOA) are never in any scope.
   */
  pointMask(points: CrimePoints, resolved: ResolvedScope): Uint8Array {
    let perPoints = this.pointMasks.get(points);
    if (!perPoints) this.pointMasks.set(points, (perPoints = new Map()));
    const key = resolved.summary.key;
    // A partnership or drawn area can be edited without its key changing: its mask is never kept.
    const cacheable = resolved.scope.kind !== 'partnership' && resolved.scope.kind !== 'area';
    let mask = cacheable ? perPoints.get(key) : undefined;
    if (mask) return mask;
    mask = new Uint8Array(points.count);
    if (resolved.shape) {
      for (const i of pointsInPolygon(points.index, resolved.shape)) if (points.lsoaCodes[points.lsoa[i]!] !== UNPLACED_LSOA) mask[i] = 1;
    } else {
      const wanted = Uint8Array.from(points.lsoaCodes, (code) => (resolved.lsoaCodes.has(code) ? 1 : 0));
      for (let i = 0; i < points.count; i++) mask[i] = wanted[points.lsoa[i]!]!;
    }
    if (!cacheable) return mask;
    // Map views come in endless variety: keep only a few masks.
    if (perPoints.size >= 16) perPoints.delete(perPoints.keys().next().value!);
    perPoints.set(key, mask);
    return mask;
  }

  /**
   * Refuses a grid that would be too large before any work is done, naming the limit and the cell size that would fit.
   * `rowSpacing` is the grid's row height over its cell size (1 for squares, √3/2 for hexagons).
   */
  checkGridSize(resolved: ResolvedScope, cellSize: number, rowSpacing = 1): void {
    const [minX, minY, maxX, maxY] = areasExtent(resolved.areas);
    const width = maxX - minX;
    const height = maxY - minY;
    const cells = (Math.floor(width / cellSize) + 2) * (Math.floor(height / (cellSize * rowSpacing)) + 2);
    if (cells <= MAX_GRID_CELLS_PER_ANALYSIS) return;
    const fits = Math.ceil(Math.sqrt((width * height) / rowSpacing / (MAX_GRID_CELLS_PER_ANALYSIS * 0.95)) / 10) * 10;
    throw new ValidationError(
      `the grid for ${resolved.summary.label} at ${cellSize} m would have about ${Math.round(cells).toLocaleString('en-GB')} cells; the limit is ${MAX_GRID_CELLS_PER_ANALYSIS.toLocaleString('en-GB')} cells per analysis: ${fits <= 500 ? `use a cell size of at least ${fits} m, or a smaller scope` : 'choose a smaller scope (a district or a CSP)'}`,
    );
  }

  /** Whether a point lies in the scope: inside its LSOAs, or inside the drawn area / map view. */
  async containsFn(resolved: ResolvedScope): Promise<(lon: number, lat: number) => boolean> {
    if (resolved.shape) {
      const box = geometryBBox(resolved.shape);
      const locator = createPolygonLocator([{ code: 'shape', geometry: resolved.shape }]);
      return (lon, lat) => lon >= box[0] && lon <= box[2] && lat >= box[1] && lat <= box[3] && locator.locate(lon, lat) !== null;
    }
    const index = await this.placeIndex(resolved.dataset);
    return (lon, lat) => resolved.lsoaCodes.has(index.locate(lon, lat) ?? '');
  }

  private async placeIndex(dataset: DatasetSummary): Promise<PlaceIndex> {
    let index = this.places.get(dataset.id);
    if (!index || index.version !== lsoaVersionOf(dataset)) {
      index = new PlaceIndex(lsoaVersionOf(dataset), await this.reference.lsoas(dataset));
      this.places.set(dataset.id, index);
    }
    return index;
  }

  /**
   * Whether an organisation item belongs to the dataset's place: a point inside one of its LSOAs, an area meeting one.
   * Items outside the study area (and the synthetic demo set's items, which lie in its own made-up place) are neither
   * shown nor counted with a dataset.
   */
  async inStudyAreaFn(dataset: DatasetSummary): Promise<(geometry: Geometry) => boolean> {
    const index = await this.placeIndex(dataset);
    const lsoas = index.lsoas;
    const box = dataset.bbox ?? (lsoas.length ? unionBox(lsoas.map((l) => l.bbox)) : null);
    return (geometry) => {
      if (!box) return false;
      if (geometry.type === 'Point') return index.locate(geometry.coordinates[0], geometry.coordinates[1]) !== null;
      if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') return false;
      const gBox = geometryBBox(geometry);
      if (!bboxIntersects(gBox, box)) return false;
      const rings = geometry.type === 'Polygon' ? [geometry.coordinates[0]!] : geometry.coordinates.map((p) => p[0]!);
      if (rings.some((ring) => ring.some(([x, y]) => index.locate(x, y) !== null))) return true;
      return lsoas.some((l) => bboxIntersects(l.bbox, gBox) && areasIntersect(l.geometry, geometry));
    };
  }

  /** The items of a kind that belong to the dataset's place (see {@link inStudyAreaFn}); items without a place always do. */
  async placedItems<K extends AssetKind>(principal: Principal, dataset: DatasetSummary, kind: K): Promise<AssetByKind[K][]> {
    const [items, inside] = await Promise.all([this.assets.list(principal, kind), this.inStudyAreaFn(dataset)]);
    return items.filter((item) => {
      const shape = (item as { location?: Geometry; geometry?: Geometry }).location ?? (item as { geometry?: Geometry }).geometry;
      return !shape || inside(shape);
    });
  }

  /** Ward and district of a point (the LSOA it falls in), for every location a user reads. */
  async placeFinder(dataset: DatasetSummary): Promise<(lon: number, lat: number) => Place> {
    const index = await this.placeIndex(dataset);
    return (lon, lat) => {
      const l = index.byCode.get(index.locate(lon, lat) ?? '');
      return { ward: l?.wardName ?? null, district: l ? l.districtName || l.districtCode || null : null };
    };
  }

  /** Ward and district of an LSOA by its code. */
  async placeOfLsoa(dataset: DatasetSummary): Promise<(code: string) => Place> {
    const lsoas = await this.reference.lsoas(dataset);
    const byCode = new Map(lsoas.map((l) => [l.code, l]));
    return (code) => {
      const l = byCode.get(code);
      return { ward: l?.wardName ?? null, district: l ? l.districtName || l.districtCode || null : null };
    };
  }

  /** The organisation's home scope text, or null when an administrator has set none. */
  homeScopeKey(orgId: string): Promise<string | null> {
    return this.settings.getSetting(orgId, HOME_SCOPE_SETTING);
  }

  /** Sets the organisation's home scope after checking it resolves on the dataset (a 4xx otherwise, nothing written). */
  async setHomeScope(principal: Principal, dataset: DatasetSummary, text: string): Promise<ScopeSummary> {
    const resolved = await this.resolveText(principal, dataset, text);
    if (resolved.scope.kind === 'view') throw new ValidationError('a home scope cannot be a map view: choose the study area, districts, a CSP, a partnership area or a drawn area');
    await this.settings.putSetting(principal.orgId, HOME_SCOPE_SETTING, resolved.summary.key);
    return resolved.summary;
  }

  /** Everything the scope picker offers on a dataset, with the organisation's home scope resolved. */
  async options(principal: Principal, dataset: DatasetSummary): Promise<ScopeOptions> {
    const all = await this.reference.lsoas(dataset);
    const study = await this.resolve(principal, dataset, undefined);
    const districts = new Map<string, { name: string; csp: string | null; n: number }>();
    const csps = new Map<string, { name: string; n: number }>();
    for (const l of all) {
      if (l.districtCode) {
        const d = districts.get(l.districtCode) ?? { name: l.districtName || l.districtCode, csp: l.cspName, n: 0 };
        d.n++;
        districts.set(l.districtCode, d);
      }
      if (l.cspCode) {
        const c = csps.get(l.cspCode) ?? { name: l.cspName ?? l.cspCode, n: 0 };
        c.n++;
        csps.set(l.cspCode, c);
      }
    }
    const byLabel = (a: ScopeOption, b: ScopeOption) => a.label.localeCompare(b.label);
    const [partnerships, areas] = await Promise.all([this.assets.list(principal, 'partnership-areas'), this.assets.list(principal, 'areas')]);
    const partnershipOptions: ScopeOption[] = [];
    for (const p of partnerships) {
      const d = new Set(p.districts);
      const c = new Set(p.lsoaCodes);
      partnershipOptions.push({ key: scopeKey({ kind: 'partnership', id: p.id }), kind: 'partnership', label: p.name, lsoaCount: all.filter((l) => d.has(l.districtCode) || c.has(l.code)).length });
    }
    const homeKey = await this.homeScopeKey(principal.orgId);
    let home = study.summary;
    if (homeKey) {
      try {
        home = (await this.resolveText(principal, dataset, homeKey)).summary;
      } catch (err) {
        // A home scope that does not fit this dataset (another force's districts, a deleted partnership) falls back.
        if (!(err instanceof ValidationError) && !(err instanceof NotFoundError)) throw err;
      }
    }
    return {
      dataset: { id: dataset.id, name: dataset.name, synthetic: dataset.synthetic },
      studyArea: { key: 'study-area', kind: 'study-area', label: study.summary.label, lsoaCount: all.length },
      districts: [...districts]
        .map(([code, d]) => ({ key: scopeKey({ kind: 'districts', codes: [code] }), kind: 'districts' as const, label: d.name, lsoaCount: d.n, ...(d.csp && { group: d.csp }) }))
        .sort(byLabel),
      csps: [...csps].map(([code, c]) => ({ key: scopeKey({ kind: 'csp', code }), kind: 'csp' as const, label: `${c.name} CSP`, lsoaCount: c.n })).sort(byLabel),
      partnerships: partnershipOptions.filter((p) => p.lsoaCount > 0).sort(byLabel),
      areas: areas.map((a) => ({ key: scopeKey({ kind: 'area', id: a.id }), kind: 'area' as const, label: a.name, lsoaCount: 0 })).sort(byLabel),
      home,
      homeKey,
    };
  }
}
