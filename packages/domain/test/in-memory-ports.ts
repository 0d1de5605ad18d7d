import type { AssetByKind, AssetKind, DatasetSummary, Lsoa, Month } from '@safer-places/schemas';
import type { AssetRepository, CrimeBlock, CrimeBlockFilter, CrimePartition, MonthlyCounts, ReferenceRepository, UploadOutcome, UploadRequest } from '../src/index';
import { AlreadyExistsError, NotFoundError, UNPLACED_PARTITION, VersionConflictError, emptyCategoryCounts, isUnplacedPartition, partitionOf } from '../src/index';
import { CATEGORY_INDEX } from '@safer-places/schemas';

/** Plain in-memory ports for domain unit tests; the DynamoDB adapters have their own tests against dynalite. */
export class MemoryAssets implements AssetRepository {
  readonly items = new Map<string, AssetByKind[AssetKind]>();
  readonly markers = new Set<string>();
  private key = (org: string, kind: string, id: string) => `${org}|${kind}|${id}`;
  async list<K extends AssetKind>(orgId: string, kind: K) {
    return [...this.items].filter(([k]) => k.startsWith(`${orgId}|${kind}|`)).map(([, v]) => v as AssetByKind[K]);
  }
  async get<K extends AssetKind>(orgId: string, kind: K, id: string) {
    return (this.items.get(this.key(orgId, kind, id)) as AssetByKind[K] | undefined) ?? null;
  }
  async create<K extends AssetKind>(kind: K, asset: AssetByKind[K]) {
    const k = this.key(asset.orgId, kind, asset.id);
    if (this.items.has(k)) throw new AlreadyExistsError(asset.id);
    this.items.set(k, asset);
  }
  async createMany<K extends AssetKind>(kind: K, assets: AssetByKind[K][]) {
    const taken = assets.find((a) => this.items.has(this.key(a.orgId, kind, a.id)));
    if (taken) throw new AlreadyExistsError(taken.id);
    for (const a of assets) this.items.set(this.key(a.orgId, kind, a.id), a);
  }
  /** Completed uploads by id: the keys of their items, in upload order. */
  readonly uploads = new Map<string, string[]>();
  async upload<K extends AssetKind>(kind: K, assets: AssetByKind[K][], request: UploadRequest): Promise<UploadOutcome<K>> {
    const id = request.id === undefined ? undefined : `${assets[0]?.orgId}|${request.id}`;
    const done = id === undefined ? undefined : this.uploads.get(id);
    if (done) return { replayed: true, items: done.map((k) => (this.items.get(k) as AssetByKind[K] | undefined) ?? null) };
    await this.createMany(kind, assets);
    if (id !== undefined) this.uploads.set(id, assets.map((a) => this.key(a.orgId, kind, a.id)));
    return { replayed: false };
  }
  async update<K extends AssetKind>(kind: K, asset: AssetByKind[K], expected: number) {
    const current = this.items.get(this.key(asset.orgId, kind, asset.id));
    if (!current) throw new NotFoundError(asset.id);
    if (current.version !== expected) throw new VersionConflictError(current.version);
    this.items.set(this.key(asset.orgId, kind, asset.id), asset);
  }
  async remove(orgId: string, kind: AssetKind, id: string, expected: number) {
    const current = this.items.get(this.key(orgId, kind, id));
    if (!current) throw new NotFoundError(id);
    if (current.version !== expected) throw new VersionConflictError(current.version);
    this.items.delete(this.key(orgId, kind, id));
  }
  async hasMarker(orgId: string, name: string) {
    return this.markers.has(`${orgId}|${name}`);
  }
  async setMarker(orgId: string, name: string) {
    this.markers.add(`${orgId}|${name}`);
  }
  readonly settings = new Map<string, string>();
  async getSetting(orgId: string, name: string) {
    return this.settings.get(`${orgId}|${name}`) ?? null;
  }
  async putSetting(orgId: string, name: string, value: string) {
    this.settings.set(`${orgId}|${name}`, value);
  }
}

/** Whether a stored partition is wanted: named, or unplaced when UNPLACED_PARTITION is named (as the store reads them). */
const wants = (wanted: Set<CrimePartition> | null, p: CrimePartition) => !wanted || wanted.has(p) || (isUnplacedPartition(p) && wanted.has(UNPLACED_PARTITION));

/**
 * The reference port in memory, laid out like the store: crime blocks and counts by month × partition (crime.ts), so a
 * test can count what a use case reads. `blockReads` lists every (month, partition) a getCrimeBlocks call read.
 */
export class MemoryReference implements ReferenceRepository {
  readonly datasets = new Map<string, DatasetSummary>();
  readonly lsoaSets = new Map<string, Lsoa[]>();
  /** `${dataset}|${month}` → partition → blocks. */
  readonly months = new Map<string, Map<CrimePartition, CrimeBlock[]>>();
  countQueries = 0;
  blockQueries = 0;
  sizeQueries = 0;
  readonly blockReads: string[] = [];
  readonly countReads: string[] = [];
  async listDatasets() {
    return [...this.datasets.values()];
  }
  async getDataset(id: string) {
    return this.datasets.get(id) ?? null;
  }
  async putDataset(s: DatasetSummary) {
    this.datasets.set(s.id, s);
  }
  async listLsoas(id: string) {
    return this.lsoaSets.get(id) ?? [];
  }
  async putLsoas(id: string, lsoas: Lsoa[]) {
    this.lsoaSets.set(id, [...(this.lsoaSets.get(id) ?? []), ...lsoas]);
  }
  async deleteLsoas(id: string, codes: string[]) {
    const gone = new Set(codes);
    this.lsoaSets.set(id, (this.lsoaSets.get(id) ?? []).filter((l) => !gone.has(l.code)));
  }
  async replaceCrimeMonth(id: string, month: Month, blocks: CrimeBlock[], partitionOf: (lsoaCode: string) => CrimePartition) {
    const byPartition = new Map<CrimePartition, CrimeBlock[]>();
    for (const b of blocks) {
      const p = partitionOf(b.lsoaCode);
      byPartition.set(p, [...(byPartition.get(p) ?? []), b]);
    }
    this.months.set(`${id}|${month}`, byPartition);
  }
  async putDatasetIf(s: DatasetSummary, expectedVersion: string | null) {
    if ((this.datasets.get(s.id)?.version ?? null) !== expectedVersion) return false;
    this.datasets.set(s.id, s);
    return true;
  }
  async replaceCrimePartitions(id: string, month: Month, partitions: readonly CrimePartition[], blocks: CrimeBlock[], partitionOf: (lsoaCode: string) => CrimePartition) {
    const named = new Set(partitions);
    const byPartition = new Map<CrimePartition, CrimeBlock[]>();
    for (const b of blocks) {
      const p = partitionOf(b.lsoaCode);
      if (!named.has(p)) throw new Error(`LSOA ${b.lsoaCode}: its partition ${p} is not among the partitions being replaced`);
      byPartition.set(p, [...(byPartition.get(p) ?? []), b]);
    }
    const parts = new Map(this.months.get(`${id}|${month}`) ?? []);
    for (const p of named) parts.delete(p);
    for (const [p, bs] of byPartition) parts.set(p, bs);
    this.months.set(`${id}|${month}`, parts);
  }
  private stored(id: string, from: Month, to: Month): [Month, Map<CrimePartition, CrimeBlock[]>][] {
    const out: [Month, Map<CrimePartition, CrimeBlock[]>][] = [];
    for (const [key, parts] of [...this.months].sort(([a], [b]) => a.localeCompare(b))) {
      const [ds, month] = key.split('|') as [string, string];
      if (ds === id && month >= from && month <= to) out.push([month, parts]);
    }
    return out;
  }
  async getMonthlyCounts(id: string, from: Month, to: Month, partitions?: readonly CrimePartition[]): Promise<MonthlyCounts[]> {
    this.countQueries++;
    const wanted = partitions ? new Set(partitions) : null;
    const out: MonthlyCounts[] = [];
    // Every stored month has an entry, even when the partitions named hold nothing in it.
    for (const [month, parts] of this.stored(id, from, to)) {
      const counts = new Map<string, number[]>();
      for (const [p, blocks] of parts) {
        if (!wants(wanted, p)) continue;
        this.countReads.push(`${month}|${p}`);
        for (const b of blocks) {
          const row = counts.get(b.lsoaCode) ?? emptyCategoryCounts();
          for (const c of b.crimes) row[CATEGORY_INDEX[c.category]]! += 1;
          counts.set(b.lsoaCode, row);
        }
      }
      out.push({ month, counts });
    }
    return out;
  }
  async getCrimeBlocks(id: string, months: Month[], where?: CrimeBlockFilter) {
    this.blockQueries++;
    const wanted = where ? new Set(where.partitions) : null;
    const codes = where?.lsoaCodes ? new Set(where.lsoaCodes) : null;
    const out: CrimeBlock[] = [];
    for (const m of months) {
      for (const [p, blocks] of this.months.get(`${id}|${m}`) ?? []) {
        if (!wants(wanted, p)) continue;
        this.blockReads.push(`${m}|${p}`);
        for (const b of blocks) if (!codes || codes.has(b.lsoaCode)) out.push(b);
      }
    }
    return out;
  }
  async crimePartitionSizes(id: string, from: Month, to: Month) {
    this.sizeQueries++;
    const out = new Map<Month, Map<CrimePartition, number>>();
    for (const [month, parts] of this.stored(id, from, to)) {
      // Every force's unplaced partition counts under UNPLACED_PARTITION, as in the store.
      const sizes = new Map<CrimePartition, number>();
      for (const [p, blocks] of parts) {
        const name = isUnplacedPartition(p) ? UNPLACED_PARTITION : p;
        sizes.set(name, (sizes.get(name) ?? 0) + blocks.reduce((n, b) => n + b.crimes.length, 0));
      }
      out.set(month, sizes);
    }
    return out;
  }
  readonly documents = new Map<string, unknown>();
  async putDocument(id: string, name: string, document: unknown) {
    this.documents.set(`${id}|${name}`, structuredClone(document));
  }
  async getDocument<T>(id: string, name: string) {
    return (this.documents.get(`${id}|${name}`) as T | undefined) ?? null;
  }
  async listDocuments<T>(id: string, prefix: string) {
    return [...this.documents]
      .filter(([k]) => k.startsWith(`${id}|${prefix}`))
      .map(([k, document]) => ({ name: k.slice(id.length + 1), document: document as T }));
  }
}

/** The partition function the importer passes to replaceCrimeMonth: each LSOA's district (crime.ts). */
export function byDistrict(lsoas: readonly Pick<Lsoa, 'code' | 'districtCode'>[]): (lsoaCode: string) => CrimePartition {
  const districtOf = new Map(lsoas.map((l) => [l.code, l.districtCode]));
  return (code) => partitionOf(code, (c) => districtOf.get(c));
}
