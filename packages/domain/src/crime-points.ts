import { createPointIndex, toBng, type PointIndex } from '@safer-places/geo';
import type { DatasetSummary, Month } from '@safer-places/schemas';
import { CATEGORY_INDEX, monthRange } from '@safer-places/schemas';
import { ByteLru, MB, stringBytes } from './byte-lru';
import { checkReadCost, readCost, type PartitionSizes, type ReadCost } from './cost';
import { UNPLACED_PARTITION, type CrimeBlock, type CrimePartition } from './crime';
import type { ReferenceRepository } from './ports';
import { ReferenceService, type PartitionIndex } from './reference';

/** Located crimes of some partitions and months as parallel typed arrays: compact (≈ 30 bytes a crime) and fast to scan. */
export interface CrimePoints {
  datasetId: string;
  version: string;
  months: Month[];
  count: number;
  lon: Float64Array;
  lat: Float64Array;
  /** Index into CRIME_CATEGORIES. */
  category: Uint8Array;
  /** Index into `months`. */
  month: Uint16Array;
  /** Index into `locations` (police.uk "On or near …" text; a text may appear more than once). */
  location: Uint32Array;
  locations: string[];
  /** Index into `lsoaCodes`: the LSOA each crime was placed in (UNPLACED_LSOA for crimes outside the study area). */
  lsoa: Uint32Array;
  lsoaCodes: string[];
  /** KD-tree over the points (lon/lat), so a drawn area costs the points in its box rather than a scan of them all. */
  index: PointIndex;
  /** The points in British National Grid metres (interleaved x, y), when projected as they were loaded. */
  bng?: Float64Array;
  /** The partitions the points were read from (every partition of the dataset for a whole-dataset load). */
  partitions?: CrimePartition[];
}

/** What to read: the months, the partitions, and how to name the place in a limit message ("the study area"). */
export interface CrimePointsRequest {
  months: readonly Month[];
  partitions: readonly CrimePartition[];
  what: string;
}

export interface CrimePointsCacheOptions {
  /** The most bytes of crime points kept (default 384 MB; the API's composition root reads CRIME_CACHE_MB). */
  maxBytes?: number;
  /** The shared reference service (its LSOA cache and partition index); one of its own otherwise. */
  reference?: ReferenceService;
}

/** The crimes of one partition in one month: the unit read from the store and cached. */
interface CrimeUnit {
  month: Month;
  count: number;
  lon: Float64Array;
  lat: Float64Array;
  /** BNG metres, interleaved: projected once when the unit is read. */
  xy: Float64Array;
  category: Uint8Array;
  location: Uint32Array;
  locations: string[];
  lsoa: Uint32Array;
  lsoaCodes: string[];
  bytes: number;
}

type Cached = { unit: CrimeUnit } | { points: CrimePoints; bytes: number };

/** Bytes per point of an assembled CrimePoints: its arrays, the lon/lat KD-tree, BNG xy, and what CrimeSelection adds (per-point location texts, a BNG KD-tree). */
const ASSEMBLED_BYTES_PER_POINT = 8 + 8 + 1 + 2 + 4 + 4 + 16 + 20 + 16 + 8 + 20;

/**
 * Crime points read per partition (district) and month, cached in an LRU bounded by bytes and shared by every request.
 *
 * The cached unit is one partition × one month, the store's own chunk: a request's read and its price
 * (`crimePartitionSizes`) are then the same months × partitions, a 12-month hot spot query never reads the other 12 of
 * a 24-month table, and a new month imported replaces only that month's units. The points of a request (its partitions
 * over its months) are assembled from the units and cached too, with their KD-tree and BNG projection, so a warm
 * request on the same scope and period rebuilds nothing. Both live in the same byte budget; a unit or an assembly
 * being loaded is shared by concurrent requests, and a failed read is not kept.
 *
 * Every read is priced first (MAX_CRIMES_PER_ANALYSIS, MAX_PARTITION_READS_PER_ANALYSIS): an analysis over the limit
 * fails with LimitExceededError before it reads a crime. Crimes without a location are not points and are left out.
 */
export class CrimePointsCache {
  private readonly lru: ByteLru<Cached>;
  private readonly reference: ReferenceService;
  private readonly sizeCache = new Map<string, Promise<PartitionSizes>>();

  constructor(
    private readonly repo: ReferenceRepository,
    options: CrimePointsCacheOptions = {},
  ) {
    this.lru = new ByteLru<Cached>(options.maxBytes ?? 384 * MB, (c) => ('unit' in c ? c.unit.bytes : c.bytes));
    this.reference = options.reference ?? new ReferenceService(repo);
  }

  /** Entries and bytes held (for diagnostics, tests and benchmarks). */
  stats() {
    return this.lru.stats();
  }

  /** Crimes per month × partition over the dataset's months, read once per dataset version (one small query). */
  sizes(dataset: DatasetSummary): Promise<PartitionSizes> {
    const key = `${dataset.id}@${dataset.version}`;
    let hit = this.sizeCache.get(key);
    if (!hit) {
      for (const k of this.sizeCache.keys()) if (k.startsWith(`${dataset.id}@`)) this.sizeCache.delete(k);
      if (this.sizeCache.size >= 16) this.sizeCache.delete(this.sizeCache.keys().next().value!);
      hit = dataset.firstMonth && dataset.lastMonth ? this.repo.crimePartitionSizes(dataset.id, dataset.firstMonth, dataset.lastMonth) : Promise.resolve(new Map());
      hit.catch(() => this.sizeCache.delete(key));
      this.sizeCache.set(key, hit);
    }
    return hit;
  }

  /** What reading `request` would cost; a LimitExceededError naming the limit when it is over one. Reads no crime. */
  async price(dataset: DatasetSummary, request: CrimePointsRequest): Promise<ReadCost> {
    const cost = readCost(await this.sizes(dataset), request.months, request.partitions);
    checkReadCost(cost, request.what);
    return cost;
  }

  /** Every located crime of the dataset (every partition, every month), priced like any other read. */
  async get(dataset: DatasetSummary): Promise<CrimePoints> {
    const index = await this.reference.partitionIndex(dataset);
    const months = dataset.firstMonth && dataset.lastMonth ? monthRange(dataset.firstMonth, dataset.lastMonth) : [];
    return this.points(dataset, { months, partitions: [...index.partitions, UNPLACED_PARTITION], what: `dataset "${dataset.id}"` });
  }

  /**
   * The located crimes of the partitions over the months, priced first, then assembled from cached units (reading only
   * the units missing). `points.months` is `request.months`, in order.
   */
  async points(dataset: DatasetSummary, request: CrimePointsRequest): Promise<CrimePoints> {
    const months = [...request.months];
    const partitions = [...new Set(request.partitions)].sort();
    await this.price(dataset, { ...request, partitions });
    const prefix = `${dataset.id}@${dataset.version}|`;
    const key = this.pointsKey(dataset, months, partitions);
    const cached = await this.lru.getOrLoad(key, async () => {
      this.lru.deleteWhere((k) => k.startsWith(`${dataset.id}@`) && !k.startsWith(prefix));
      const units = await this.units(dataset, months, partitions);
      const points = assemble(dataset, months, partitions, units);
      return { points, bytes: points.count * ASSEMBLED_BYTES_PER_POINT + (points.locations.length + points.lsoaCodes.length) * 8 + 512 };
    });
    return (cached as { points: CrimePoints }).points;
  }

  /** Drops the assembled points of a request, keeping its units (for measurement, or to free memory early). */
  forget(dataset: DatasetSummary, request: Pick<CrimePointsRequest, 'months' | 'partitions'>): void {
    this.lru.delete(this.pointsKey(dataset, [...request.months], [...new Set(request.partitions)].sort()));
  }

  private pointsKey(dataset: DatasetSummary, months: Month[], partitions: CrimePartition[]): string {
    return `${dataset.id}@${dataset.version}|points|${months.join(',')}|${partitions.join(',')}`;
  }

  /** The units of months × partitions, month-major, partitions in order: cached ones, the rest in one read. */
  private async units(dataset: DatasetSummary, months: Month[], partitions: CrimePartition[]): Promise<CrimeUnit[]> {
    const index = await this.reference.partitionIndex(dataset);
    const prefix = `${dataset.id}@${dataset.version}|unit|`;
    const keyOf = (m: Month, p: CrimePartition) => `${prefix}${m}|${p}`;
    const missingMonths = new Set<Month>();
    const missingParts = new Set<CrimePartition>();
    for (const m of months) {
      for (const p of partitions) {
        if (this.lru.has(keyOf(m, p))) continue;
        missingMonths.add(m);
        missingParts.add(p);
      }
    }
    const batch = missingMonths.size > 0 ? this.read(dataset, index, [...missingMonths].sort(), [...missingParts].sort(), keyOf) : null;
    // A failure is reported by the loads that wait on it; this only keeps it from being reported as unhandled.
    batch?.catch(() => undefined);
    const cached = await Promise.all(
      months.flatMap((m) =>
        partitions.map((p) =>
          this.lru.getOrLoad(keyOf(m, p), async () => {
            const unit = batch ? (await batch).get(keyOf(m, p)) : undefined;
            // Cached when this request looked, evicted since: read this one unit again.
            return { unit: unit ?? (await this.read(dataset, index, [m], [p], keyOf)).get(keyOf(m, p))! };
          }),
        ),
      ),
    );
    return cached.map((c) => (c as { unit: CrimeUnit }).unit);
  }

  /** One read of the store for months × partitions, split into units (an empty unit where a partition has no crime). */
  private async read(dataset: DatasetSummary, index: PartitionIndex, months: Month[], partitions: CrimePartition[], keyOf: (m: Month, p: CrimePartition) => string): Promise<Map<string, CrimeUnit>> {
    const lsoaCodes = partitions.flatMap((p) => index.lsoasOf(p));
    const blocks = await this.repo.getCrimeBlocks(dataset.id, months, { partitions, lsoaCodes });
    const grouped = new Map<string, typeof blocks>();
    for (const b of blocks) {
      const k = keyOf(b.month, index.partitionOf(b.lsoaCode));
      let list = grouped.get(k);
      if (!list) grouped.set(k, (list = []));
      list.push(b);
    }
    const out = new Map<string, CrimeUnit>();
    for (const m of months) for (const p of partitions) out.set(keyOf(m, p), buildUnit(m, grouped.get(keyOf(m, p)) ?? []));
    return out;
  }
}

function buildUnit(month: Month, blocks: readonly CrimeBlock[]): CrimeUnit {
  let n = 0;
  for (const b of blocks) for (const c of b.crimes) if (c.lon !== null && c.lat !== null) n++;
  const unit: CrimeUnit = {
    month,
    count: n,
    lon: new Float64Array(n),
    lat: new Float64Array(n),
    xy: new Float64Array(0),
    category: new Uint8Array(n),
    location: new Uint32Array(n),
    locations: [],
    lsoa: new Uint32Array(n),
    lsoaCodes: [],
    bytes: 0,
  };
  const locationIndex = new Map<string, number>();
  let i = 0;
  let stringsBytes = 0;
  for (const b of blocks) {
    const lsoa = unit.lsoaCodes.push(b.lsoaCode) - 1;
    stringsBytes += stringBytes(b.lsoaCode);
    for (const c of b.crimes) {
      if (c.lon === null || c.lat === null) continue;
      unit.lon[i] = c.lon;
      unit.lat[i] = c.lat;
      unit.category[i] = CATEGORY_INDEX[c.category];
      let li = locationIndex.get(c.location);
      if (li === undefined) {
        li = unit.locations.push(c.location) - 1;
        locationIndex.set(c.location, li);
        stringsBytes += stringBytes(c.location) + 8;
      }
      unit.location[i] = li;
      unit.lsoa[i] = lsoa;
      i++;
    }
  }
  const lonLat = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    lonLat[2 * k] = unit.lon[k]!;
    lonLat[2 * k + 1] = unit.lat[k]!;
  }
  unit.xy = toBng(lonLat);
  unit.bytes = 256 + n * (8 + 8 + 16 + 1 + 4 + 4) + stringsBytes;
  return unit;
}

/** The points of units (month-major) as one CrimePoints: arrays concatenated, text tables appended, one KD-tree. */
function assemble(dataset: DatasetSummary, months: Month[], partitions: CrimePartition[], units: CrimeUnit[]): CrimePoints {
  let n = 0;
  for (const u of units) n += u.count;
  const monthIndex = new Map(months.map((m, i) => [m, i]));
  const points: CrimePoints = {
    datasetId: dataset.id,
    version: dataset.version,
    months,
    count: n,
    lon: new Float64Array(n),
    lat: new Float64Array(n),
    category: new Uint8Array(n),
    month: new Uint16Array(n),
    location: new Uint32Array(n),
    locations: [],
    lsoa: new Uint32Array(n),
    lsoaCodes: [],
    index: createPointIndex(new Float64Array(0)),
    bng: new Float64Array(2 * n),
    partitions,
  };
  const bng = points.bng!;
  let at = 0;
  for (const u of units) {
    const m = monthIndex.get(u.month) ?? 0;
    const locationBase = points.locations.length;
    const lsoaBase = points.lsoaCodes.length;
    for (const t of u.locations) points.locations.push(t);
    for (const c of u.lsoaCodes) points.lsoaCodes.push(c);
    points.lon.set(u.lon, at);
    points.lat.set(u.lat, at);
    points.category.set(u.category, at);
    bng.set(u.xy, 2 * at);
    points.month.fill(m, at, at + u.count);
    for (let k = 0; k < u.count; k++) {
      points.location[at + k] = locationBase + u.location[k]!;
      points.lsoa[at + k] = lsoaBase + u.lsoa[k]!;
    }
    at += u.count;
  }
  const lonLat = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    lonLat[2 * k] = points.lon[k]!;
    lonLat[2 * k + 1] = points.lat[k]!;
  }
  points.index = createPointIndex(lonLat);
  return points;
}
