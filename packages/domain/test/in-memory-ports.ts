import type { AssetByKind, AssetKind, DatasetSummary, Lsoa, Month } from '@safer-places/schemas';
import type { AssetRepository, CrimeBlock, MonthlyCounts, ReferenceRepository, UploadOutcome, UploadRequest } from '../src/index';
import { AlreadyExistsError, NotFoundError, VersionConflictError, emptyCategoryCounts } from '../src/index';
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

export class MemoryReference implements ReferenceRepository {
  readonly datasets = new Map<string, DatasetSummary>();
  readonly lsoaSets = new Map<string, Lsoa[]>();
  readonly months = new Map<string, CrimeBlock[]>();
  countQueries = 0;
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
  async replaceCrimeMonth(id: string, month: Month, blocks: CrimeBlock[]) {
    this.months.set(`${id}|${month}`, blocks);
  }
  async getMonthlyCounts(id: string, from: Month, to: Month): Promise<MonthlyCounts[]> {
    this.countQueries++;
    const out: MonthlyCounts[] = [];
    for (const [key, blocks] of [...this.months].sort()) {
      const [ds, month] = key.split('|') as [string, string];
      if (ds !== id || month < from || month > to) continue;
      const counts = new Map<string, number[]>();
      for (const b of blocks) {
        const row = counts.get(b.lsoaCode) ?? emptyCategoryCounts();
        for (const c of b.crimes) row[CATEGORY_INDEX[c.category]]! += 1;
        counts.set(b.lsoaCode, row);
      }
      out.push({ month, counts });
    }
    return out;
  }
  async getCrimeBlocks(id: string, months: Month[]) {
    return months.flatMap((m) => this.months.get(`${id}|${m}`) ?? []);
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
