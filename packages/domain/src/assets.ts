import type { Asset, AssetByKind, AssetKind, Audited, Principal } from '@safer-places/schemas';
import { ASSET_KINDS } from '@safer-places/schemas';
import { ForbiddenError, NotFoundError, UnprocessableError, ValidationError } from './errors';
import { canWrite } from './permissions';
import type { AssetRepository, Clock, IdGenerator } from './ports';
import { assertValidArea, parseOrThrow } from './validation';

export interface AssetServiceDeps {
  assets: AssetRepository;
  clock: Clock;
  ids: IdGenerator;
}

/** Create, change and remove an organisation's map assets. The organisation always comes from the principal. */
/** The most items one upload may add. */
export const MAX_UPLOAD_ITEMS = 500;

export class AssetService {
  constructor(private readonly deps: AssetServiceDeps) {}

  list<K extends AssetKind>(principal: Principal, kind: K): Promise<AssetByKind[K][]> {
    return this.deps.assets.list(principal.orgId, kind);
  }

  async get<K extends AssetKind>(principal: Principal, kind: K, id: string): Promise<AssetByKind[K]> {
    const found = await this.deps.assets.get(principal.orgId, kind, id);
    if (!found) throw new NotFoundError(`no ${ASSET_KINDS[kind].singular} with id "${id}" in your organisation`);
    return found;
  }

  async create<K extends AssetKind>(principal: Principal, kind: K, body: unknown, id?: string): Promise<AssetByKind[K]> {
    this.assertCanWrite(principal, kind);
    const input = await this.validate(principal, kind, body);
    const now = this.deps.clock.now().toISOString();
    const audited: Audited = {
      id: id ?? this.deps.ids.newId(),
      orgId: principal.orgId,
      version: 1,
      createdBy: principal.userId,
      createdAt: now,
      updatedAt: now,
      updatedBy: principal.userId,
    };
    const asset = { ...input, ...audited } as AssetByKind[K];
    await this.deps.assets.create(kind, asset);
    return asset;
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
    for (let i = 0; i < bodies.length; i++) {
      try {
        await this.validate(principal, kind, bodies[i]);
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
    const created: AssetByKind[K][] = [];
    for (const body of bodies) created.push(await this.create(principal, kind, body));
    return created;
  }

  async update<K extends AssetKind>(
    principal: Principal,
    kind: K,
    id: string,
    body: unknown,
    expectedVersion: number,
  ): Promise<AssetByKind[K]> {
    this.assertCanWrite(principal, kind);
    const input = await this.validate(principal, kind, body);
    const current = await this.get(principal, kind, id);
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
    return next;
  }

  async remove(principal: Principal, kind: AssetKind, id: string, expectedVersion: number): Promise<void> {
    this.assertCanWrite(principal, kind);
    await this.get(principal, kind, id);
    await this.deps.assets.remove(principal.orgId, kind, id, expectedVersion);
  }

  private assertCanWrite(principal: Principal, kind: AssetKind) {
    if (!canWrite(principal.role, kind)) {
      throw new ForbiddenError(`the ${principal.role} role cannot change ${ASSET_KINDS[kind].label}`);
    }
  }

  private async validate<K extends AssetKind>(principal: Principal, kind: K, body: unknown) {
    const input = parseOrThrow(ASSET_KINDS[kind].schema, body, ASSET_KINDS[kind].singular) as unknown as Omit<AssetByKind[K], keyof Audited>;
    const asAny = input as Partial<Asset>;
    if ('geometry' in asAny && asAny.geometry) assertValidArea(asAny.geometry);
    if ((kind === 'help-points' || kind === 'camera-deployments') && 'cameraId' in asAny && asAny.cameraId) {
      const what = ASSET_KINDS[kind].singular;
      const camera = await this.deps.assets.get(principal.orgId, 'cameras', asAny.cameraId);
      if (!camera) throw new ValidationError(`invalid ${what}: cameraId: no camera with id "${asAny.cameraId}" in your organisation`);
      if (kind === 'camera-deployments' && camera.type !== 'redeployable') {
        throw new ValidationError(`invalid ${what}: cameraId: "${camera.name}" is a ${camera.type} camera; only re-deployable cameras are deployed`);
      }
    }
    return input;
  }
}
