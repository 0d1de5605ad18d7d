import type { Asset, AssetByKind, AssetKind, Audited, Principal } from '@safer-places/schemas';
import { ASSET_KINDS, hasPermission } from '@safer-places/schemas';
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
}

const isSensitive = (kind: AssetKind, item: unknown) => kind === 'cameras' && (item as { sensitive?: boolean }).sensitive === true;

/** The principal an export runs as: its role without extra permissions, so nothing sensitive ever leaves in a file. */
export const exportingAs = (principal: Principal): Principal => {
  const { permissions: _dropped, ...rest } = principal;
  return rest;
};

/** Create, change and remove an organisation's map assets. The organisation always comes from the principal. */
/** The most items one upload may add. */
export const MAX_UPLOAD_ITEMS = 500;

export class AssetService {
  constructor(private readonly deps: AssetServiceDeps) {}

  async list<K extends AssetKind>(principal: Principal, kind: K): Promise<AssetByKind[K][]> {
    const items = await this.deps.assets.list(principal.orgId, kind);
    if (kind !== 'cameras') return items;
    if (!hasPermission(principal, 'sensitive-cameras')) return items.filter((i) => !isSensitive(kind, i));
    const sensitive = items.filter((i) => isSensitive(kind, i)).map((i) => i.id);
    if (sensitive.length > 0) await this.deps.onSensitiveRead?.(principal, kind, sensitive);
    return items;
  }

  async get<K extends AssetKind>(principal: Principal, kind: K, id: string): Promise<AssetByKind[K]> {
    const found = await this.visible(principal, kind, id);
    if (!found) throw new NotFoundError(`no ${ASSET_KINDS[kind].singular} with id "${id}" in your organisation`);
    if (isSensitive(kind, found)) await this.deps.onSensitiveRead?.(principal, kind, [found.id]);
    return found;
  }

  /** The item if this principal may know it exists: a sensitive camera is as absent as another organisation's item. */
  private async visible<K extends AssetKind>(principal: Principal, kind: K, id: string): Promise<AssetByKind[K] | null> {
    const found = await this.deps.assets.get(principal.orgId, kind, id);
    if (found && isSensitive(kind, found) && !hasPermission(principal, 'sensitive-cameras')) return null;
    return found;
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
    this.assertCanWrite(principal, kind);
    if (bodies.length === 0) throw new ValidationError('the upload has no items');
    if (bodies.length > MAX_UPLOAD_ITEMS) throw new ValidationError(`the upload has ${bodies.length} items; at most ${MAX_UPLOAD_ITEMS} at once`);
    const problems: string[] = [];
    const inputs: Omit<AssetByKind[K], keyof Audited>[] = [];
    for (let i = 0; i < bodies.length; i++) {
      try {
        inputs.push((await this.validate(principal, kind, bodies[i])).input);
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
    const now = this.deps.clock.now().toISOString();
    const created = inputs.map((input) => ({ ...input, ...this.audited(principal, now) }) as AssetByKind[K]);
    await this.deps.assets.createMany(kind, created);
    return created;
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
    return { item: next, warnings };
  }

  async remove(principal: Principal, kind: AssetKind, id: string, expectedVersion: number): Promise<void> {
    this.assertCanWrite(principal, kind);
    await this.get(principal, kind, id);
    await this.deps.assets.remove(principal.orgId, kind, id, expectedVersion);
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
