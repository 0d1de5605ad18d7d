import type { Asset, AssetByKind, AssetKind, Audited, Principal } from '@safer-places/schemas';
import { ASSET_KINDS, hasPermission } from '@safer-places/schemas';
import { ByteLru, MB, stringBytes } from './byte-lru';
import { ForbiddenError, NotFoundError, UnprocessableError, ValidationError } from './errors';
import { canWrite } from './permissions';
import type { AssetRepository, Clock, IdGenerator } from './ports';
import { checkArea, parseOrThrow } from './validation';

/** A saved item and what was repaired in the request on the way in. */
export interface Checked<T> {
  item: T;
  warnings: string[];
}

export interface AssetServiceDeps {
  assets: AssetRepository;
  clock: Clock;
  ids: IdGenerator;
  /** Called before covert or sensitive cameras are handed to a reader; the API writes an audit event. */
  onSensitiveRead?: (principal: Principal, kind: AssetKind, ids: string[]) => Promise<void>;
  /** The most bytes of stored lists this service keeps (see AssetService.list); 0 keeps none. */
  listCacheBytes?: number;
}

/**
 * What a repository offers (optionally) to let its lists be kept: the organisation's assets version, read cheaply (one
 * strongly consistent read) and changed by every write that changes what `list` answers, for any kind. A list read
 * after the version and kept under it is current while the version stays the same. null: no version can be trusted
 * now (a write is under way that the store could not version atomically), so keep nothing.
 */
/** A repository that reports the organisation's assets version (AssetRepository.assetsVersion). */
export type AssetsVersionSource = Required<Pick<AssetRepository, 'assetsVersion'>>;

const hasVersion = (repo: AssetRepository): repo is AssetRepository & AssetsVersionSource =>
  typeof (repo as Partial<AssetsVersionSource>).assetsVersion === 'function';

/** Stored lists kept per process by default: an organisation's items of every kind are a few MB at most. */
export const DEFAULT_ASSET_LIST_CACHE_BYTES = 16 * MB;

const isSensitive = (kind: AssetKind, item: unknown) => kind === 'cameras' && (item as { sensitive?: boolean }).sensitive === true;
/** Kinds whose items are, or point at, cameras: a covert camera must not show through them either. */
const CAMERA_LINKED: ReadonlySet<AssetKind> = new Set(['cameras', 'camera-deployments', 'help-points']);
const linkedCamera = (item: unknown) => (item as { cameraId?: string }).cameraId;

/** The principal an export runs as: its role without extra permissions, so nothing sensitive ever leaves in a file. */
export const exportingAs = (principal: Principal): Principal => {
  const { permissions: _dropped, ...rest } = principal;
  return rest;
};

/** Organisations whose last assets version is remembered (beyond it, the least recently seen is forgotten). */
const MAX_ORGANISATIONS_TRACKED = 10_000;

/** The most items one upload may add. */
export const MAX_UPLOAD_ITEMS = 500;

/** What an upload stored, each item with what was repaired in it on the way in. */
export interface Upload<K extends AssetKind> {
  items: Checked<AssetByKind[K]>[];
  /** True when an earlier try of the same request had stored the upload, and this answer was read back from it. */
  replayed: boolean;
}

/** Create, change and remove an organisation's map assets. The organisation always comes from the principal. */

export class AssetService {
  /**
   * Stored lists (every item, before any per-principal filtering) by organisation, kind and assets version. Filtering
   * and the audit hand-over run per request on a copy, exactly as on a list just read.
   */
  private readonly lists: ByteLru<readonly unknown[]>;
  /** The last version seen per organisation, so lists kept under older ones are dropped when it moves. */
  private readonly lastVersion = new Map<string, string>();
  /** Version reads started in the current synchronous stretch, shared by the lists one request asks for at once. */
  private readonly versionReads = new Map<string, Promise<string | null>>();

  constructor(private readonly deps: AssetServiceDeps) {
    this.lists = new ByteLru(deps.listCacheBytes ?? DEFAULT_ASSET_LIST_CACHE_BYTES, (items) => stringBytes(JSON.stringify(items)));
  }

  /**
   * The organisation's items of a kind as this principal may see them. Without the sensitive-cameras permission, covert
   * cameras and their deployments are absent and a help point's link to one is left out; with it, each read that
   * includes them is reported (audited) before the items are handed over.
   *
   * Where the repository has an assets version (AssetsVersionSource), the stored list is kept per organisation, kind
   * and version, and a request reads only the version (one consistent read, shared by the lists it asks for at once)
   * unless it moved. A write acknowledged before the request started has changed the version, so it is always seen.
   */
  async list<K extends AssetKind>(principal: Principal, kind: K): Promise<AssetByKind[K][]> {
    // Started before the first await, so the lists a caller asks for together (Promise.all) share one version read.
    const version = this.versionOf(principal.orgId);
    const items = await this.stored(principal.orgId, kind, version);
    if (!CAMERA_LINKED.has(kind)) return items;
    const covert = kind === 'cameras' ? new Set(items.filter((i) => isSensitive(kind, i)).map((i) => i.id)) : await this.covertCameraIds(principal.orgId, version);
    if (covert.size === 0) return items;
    if (!hasPermission(principal, 'sensitive-cameras')) return items.flatMap((i) => this.hidden(kind, i, covert));
    const touching = items.filter((i) => this.touches(kind, i, covert)).map((i) => i.id);
    if (touching.length > 0) await this.deps.onSensitiveRead?.(principal, kind, touching);
    return items;
  }

  async get<K extends AssetKind>(principal: Principal, kind: K, id: string): Promise<AssetByKind[K]> {
    const found = await this.visible(principal, kind, id);
    if (!found) {
      // Said exactly as for an id that does not exist; only the audit log learns it was a hidden one.
      const hidden = (await this.deps.assets.get(principal.orgId, kind, id)) !== null;
      throw new NotFoundError(`no ${ASSET_KINDS[kind].singular} with id "${id}" in your organisation`, hidden);
    }
    if (hasPermission(principal, 'sensitive-cameras') && (await this.isSensitiveItem(principal.orgId, kind, found))) {
      await this.deps.onSensitiveRead?.(principal, kind, [found.id]);
    }
    return found;
  }

  /** Whether an item is, or points at, a covert camera (so its audit events are shown only to permitted readers). */
  async isSensitiveItem(orgId: string, kind: AssetKind, item: unknown): Promise<boolean> {
    if (isSensitive(kind, item)) return true;
    if (kind !== 'camera-deployments' && kind !== 'help-points') return false;
    const cameraId = linkedCamera(item);
    return cameraId !== undefined && isSensitive('cameras', await this.deps.assets.get(orgId, 'cameras', cameraId));
  }

  /** The item if this principal may know it exists: a covert camera (or its deployment) is as absent as another organisation's item. */
  private async visible<K extends AssetKind>(principal: Principal, kind: K, id: string): Promise<AssetByKind[K] | null> {
    const found = await this.deps.assets.get(principal.orgId, kind, id);
    if (!found || hasPermission(principal, 'sensitive-cameras') || !(await this.isSensitiveItem(principal.orgId, kind, found))) return found;
    return this.hidden(kind, found, new Set([kind === 'cameras' ? found.id : linkedCamera(found)!]))[0] ?? null;
  }

  private async covertCameraIds(orgId: string, version: Promise<string | null> | null = this.versionOf(orgId)): Promise<Set<string>> {
    const cameras = await this.stored(orgId, 'cameras', version);
    return new Set(cameras.filter((c) => isSensitive('cameras', c)).map((c) => c.id));
  }

  /**
   * The organisation's assets version, or null where the repository has none. Calls in one synchronous stretch share
   * one read: the entry is dropped at the next microtask, so a read is never shared with a call that starts after any
   * I/O has completed (such as a write's acknowledgement).
   */
  private versionOf(orgId: string): Promise<string | null> | null {
    const repo = this.deps.assets;
    if (!hasVersion(repo) || this.lists.maxBytes === 0) return null;
    let read = this.versionReads.get(orgId);
    if (!read) {
      read = repo.assetsVersion(orgId);
      this.versionReads.set(orgId, read);
      queueMicrotask(() => this.versionReads.delete(orgId));
    }
    return read;
  }

  /** The stored items of a kind: kept under the organisation's assets version, or read afresh without one. A copy. */
  private async stored<K extends AssetKind>(orgId: string, kind: K, versionRead: Promise<string | null> | null): Promise<AssetByKind[K][]> {
    const version = versionRead && (await versionRead);
    if (version === null) return this.deps.assets.list(orgId, kind);
    if (this.lastVersion.get(orgId) !== version) {
      const prefix = `${orgId}\u0000`;
      this.lists.deleteWhere((key) => key.startsWith(prefix) && !key.endsWith(`\u0000${version}`));
      this.lastVersion.delete(orgId); // most recently seen last, so the map stays bounded like the cache
      this.lastVersion.set(orgId, version);
      if (this.lastVersion.size > MAX_ORGANISATIONS_TRACKED) this.lastVersion.delete(this.lastVersion.keys().next().value!);
    }
    const items = await this.lists.getOrLoad(`${orgId}\u0000${kind}\u0000${version}`, () => this.deps.assets.list(orgId, kind));
    return items.slice() as AssetByKind[K][];
  }

  private touches(kind: AssetKind, item: { id: string }, covert: ReadonlySet<string>): boolean {
    const cameraId = kind === 'cameras' ? item.id : linkedCamera(item);
    return cameraId !== undefined && covert.has(cameraId);
  }

  /** Items handed back from the store (a replayed upload) filtered as `list` filters them for this principal. */
  private async asSeenBy<K extends AssetKind, W>(principal: Principal, kind: K, rows: { item: AssetByKind[K] | null; warnings: W }[]) {
    const present = rows.filter((r): r is { item: AssetByKind[K]; warnings: W } => r.item !== null);
    if (!CAMERA_LINKED.has(kind)) return present;
    const covert = await this.covertCameraIds(principal.orgId);
    if (covert.size === 0) return present;
    if (!hasPermission(principal, 'sensitive-cameras')) return present.flatMap((r) => this.hidden(kind, r.item, covert).map((item) => ({ item, warnings: r.warnings })));
    const touching = present.filter((r) => this.touches(kind, r.item, covert)).map((r) => r.item.id);
    if (touching.length > 0) await this.deps.onSensitiveRead?.(principal, kind, touching);
    return present;
  }

  /** What someone without the permission sees of an item: nothing of a covert camera or its deployment, a help point without the link. */
  private hidden<T extends { id: string }>(kind: AssetKind, item: T, covert: ReadonlySet<string>): T[] {
    if (!this.touches(kind, item, covert)) return [item];
    if (kind !== 'help-points') return [];
    const { cameraId: _hidden, ...rest } = item as T & { cameraId?: string };
    return [rest as T];
  }

  async create<K extends AssetKind>(principal: Principal, kind: K, body: unknown, id?: string): Promise<AssetByKind[K]> {
    return (await this.createChecked(principal, kind, body, id)).item;
  }

  /** Creates, and says what was repaired on the way in (e.g. a ring's winding), for the response. */
  async createChecked<K extends AssetKind>(principal: Principal, kind: K, body: unknown, id?: string): Promise<Checked<AssetByKind[K]>> {
    this.assertCanWrite(principal, kind);
    const { input, warnings } = await this.validate(principal, kind, body);
    const asset = { ...input, ...this.audited(principal, this.deps.clock.now().toISOString(), id) } as AssetByKind[K];
    await this.deps.assets.create(kind, asset);
    return { item: asset, warnings };
  }

  /**
   * Adds many items at once (a file upload): every item is checked first, and if any is invalid nothing is written and
   * the error names each bad item by its position (1-based) in the upload.
   */
  async createMany<K extends AssetKind>(principal: Principal, kind: K, bodies: readonly unknown[]): Promise<AssetByKind[K][]> {
    return (await this.upload(principal, kind, bodies)).items.map((c) => c.item);
  }

  /**
   * A file upload, checked like createMany, with what was repaired in each item (e.g. a ring's winding) at its
   * position. With `uploadId` (the same for every retry of one request) the upload is stored once however often it is
   * sent, even if a process died part-way through an earlier try: a retry of an upload that had been completed answers
   * with its items as stored (`replayed`), and one of an upload that had not is stored afresh, with nothing of the
   * interrupted try left visible.
   */
  async upload<K extends AssetKind>(principal: Principal, kind: K, bodies: readonly unknown[], options: { uploadId?: string } = {}): Promise<Upload<K>> {
    this.assertCanWrite(principal, kind);
    if (bodies.length === 0) throw new ValidationError('the upload has no items');
    if (bodies.length > MAX_UPLOAD_ITEMS) throw new ValidationError(`the upload has ${bodies.length} items; at most ${MAX_UPLOAD_ITEMS} at once`);
    const problems: string[] = [];
    const inputs: Omit<AssetByKind[K], keyof Audited>[] = [];
    const warnings: string[][] = [];
    for (let i = 0; i < bodies.length; i++) {
      try {
        const checked = await this.validate(principal, kind, bodies[i]);
        inputs.push(checked.input);
        warnings.push(checked.warnings);
      } catch (err) {
        // Bad fields (400) and self-crossing shapes (422) alike are reported per item.
        if (!(err instanceof ValidationError || err instanceof UnprocessableError)) throw err;
        problems.push(`item ${i + 1}: ${err.message}`);
      }
    }
    if (problems.length > 0) {
      const shown = problems.slice(0, 20).join('; ');
      throw new ValidationError(
        `${problems.length} of ${bodies.length} items are invalid, so nothing was added: ${shown}${problems.length > 20 ? `; and ${problems.length - 20} more` : ''}`,
      );
    }
    const at = this.deps.clock.now();
    const now = at.toISOString();
    const created = inputs.map((input) => ({ ...input, ...this.audited(principal, now) }) as AssetByKind[K]);
    if (this.deps.assets.upload) {
      const outcome = await this.deps.assets.upload(kind, created, { ...(options.uploadId !== undefined && { id: options.uploadId }), now: at });
      if (outcome.replayed) {
        // The same request (same body) as the completed one, so the repairs reported by position are the same too. The
        // items are answered as they are stored now, so they pass the same covert-camera rules as any read: a camera made
        // covert since is absent for a reader without the permission, and a permitted read of it is audited.
        const shown = await this.asSeenBy(principal, kind, outcome.items.map((item, i) => ({ item, warnings: warnings[i] ?? [] })));
        return { replayed: true, items: shown };
      }
    } else {
      await this.deps.assets.createMany(kind, created);
    }
    return { replayed: false, items: created.map((item, i) => ({ item, warnings: warnings[i] ?? [] })) };
  }

  async update<K extends AssetKind>(
    principal: Principal,
    kind: K,
    id: string,
    body: unknown,
    expectedVersion: number,
  ): Promise<AssetByKind[K]> {
    return (await this.updateChecked(principal, kind, id, body, expectedVersion)).item;
  }

  async updateChecked<K extends AssetKind>(
    principal: Principal,
    kind: K,
    id: string,
    body: unknown,
    expectedVersion: number,
  ): Promise<Checked<AssetByKind[K]>> {
    this.assertCanWrite(principal, kind);
    // Existence first: an id from another organisation is "not found" whatever the body says.
    const current = await this.get(principal, kind, id);
    const { input, warnings } = await this.validate(principal, kind, body);
    // A help point's link to a covert camera is hidden from this user, so their edit cannot have meant to drop it.
    const stored = kind === 'help-points' && !linkedCamera(current) ? linkedCamera(await this.deps.assets.get(principal.orgId, kind, id)) : undefined;
    const keepHiddenLink = stored !== undefined && !linkedCamera(input);
    if (keepHiddenLink) (input as { cameraId?: string }).cameraId = stored;
    const next = {
      ...input,
      id: current.id,
      orgId: current.orgId,
      createdBy: current.createdBy,
      createdAt: current.createdAt,
      version: expectedVersion + 1,
      updatedAt: this.deps.clock.now().toISOString(),
      updatedBy: principal.userId,
    } as AssetByKind[K];
    await this.deps.assets.update(kind, next, expectedVersion);
    return { item: keepHiddenLink ? this.hidden(kind, next, new Set([stored]))[0]! : next, warnings };
  }

  /** Removes an item and returns it as it was (for the audit log). */
  async remove<K extends AssetKind>(principal: Principal, kind: K, id: string, expectedVersion: number): Promise<AssetByKind[K]> {
    this.assertCanWrite(principal, kind);
    const removed = await this.get(principal, kind, id);
    await this.deps.assets.remove(principal.orgId, kind, id, expectedVersion);
    return removed;
  }

  private audited(principal: Principal, now: string, id?: string): Audited {
    return { id: id ?? this.deps.ids.newId(), orgId: principal.orgId, version: 1, createdBy: principal.userId, createdAt: now, updatedAt: now, updatedBy: principal.userId };
  }

  private assertCanWrite(principal: Principal, kind: AssetKind) {
    if (!canWrite(principal.role, kind)) {
      throw new ForbiddenError(`the ${principal.role} role cannot change ${ASSET_KINDS[kind].label}`);
    }
  }

  private async validate<K extends AssetKind>(principal: Principal, kind: K, body: unknown) {
    const input = parseOrThrow(ASSET_KINDS[kind].schema, body, ASSET_KINDS[kind].singular) as unknown as Omit<AssetByKind[K], keyof Audited>;
    if (isSensitive(kind, input) && !hasPermission(principal, 'sensitive-cameras')) {
      throw new ForbiddenError('covert or sensitive cameras can only be recorded by users with the sensitive-cameras permission');
    }
    const asAny = input as Partial<Asset>;
    let warnings: string[] = [];
    if ('geometry' in asAny && asAny.geometry) {
      const checked = checkArea(asAny.geometry);
      (input as unknown as { geometry: unknown }).geometry = checked.geometry;
      warnings = checked.warnings;
    }
    if ((kind === 'help-points' || kind === 'camera-deployments') && 'cameraId' in asAny && asAny.cameraId) {
      const what = ASSET_KINDS[kind].singular;
      const camera = await this.visible(principal, 'cameras', asAny.cameraId);
      if (!camera) throw new ValidationError(`invalid ${what}: cameraId: no camera with id "${asAny.cameraId}" in your organisation`);
      if (kind === 'camera-deployments' && camera.type !== 'redeployable') {
        throw new ValidationError(`invalid ${what}: cameraId: "${camera.name}" is a ${camera.type} camera; only re-deployable cameras are deployed`);
      }
    }
    return { input, warnings };
  }
}
