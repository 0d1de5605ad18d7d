import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AlreadyExistsError, NotFoundError, VersionConflictError, type AssetRepository } from '@safer-places/domain';
import type { AssetByKind, AssetKind } from '@safer-places/schemas';
import { ASSET_KINDS } from '@safer-places/schemas';
import { keys } from './keys';
import { queryAll } from './query';

interface AssetItem<K extends AssetKind = AssetKind> {
  pk: string;
  sk: string;
  kind: K;
  /** Copied from data so conditions can test it without reaching into the map. */
  version: number;
  data: AssetByKind[K];
}

export class DynamoAssetRepository implements AssetRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list<K extends AssetKind>(orgId: string, kind: K): Promise<AssetByKind[K][]> {
    const items = await queryAll<AssetItem<K>>(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.orgPk(orgId), ':prefix': keys.assetPrefix(kind) },
    });
    return items.map((i) => i.data);
  }

  async get<K extends AssetKind>(orgId: string, kind: K, id: string): Promise<AssetByKind[K] | null> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.asset(orgId, kind, id), ConsistentRead: true }));
    return (out.Item as AssetItem<K> | undefined)?.data ?? null;
  }

  async create<K extends AssetKind>(kind: K, asset: AssetByKind[K]): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.toItem(kind, asset),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) throw new AlreadyExistsError(`${ASSET_KINDS[kind].singular} "${asset.id}" already exists`);
      throw e;
    }
  }

  async update<K extends AssetKind>(kind: K, asset: AssetByKind[K], expectedVersion: number): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.toItem(kind, asset),
          ConditionExpression: 'attribute_exists(pk) AND version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) throw await this.conflict(asset.orgId, kind, asset.id);
      throw e;
    }
  }

  async remove(orgId: string, kind: AssetKind, id: string, expectedVersion: number): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.asset(orgId, kind, id),
          ConditionExpression: 'attribute_exists(pk) AND version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) throw await this.conflict(orgId, kind, id);
      throw e;
    }
  }

  async hasMarker(orgId: string, name: string): Promise<boolean> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.marker(orgId, name), ConsistentRead: true }));
    return out.Item !== undefined;
  }

  async setMarker(orgId: string, name: string): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.marker(orgId, name), setAt: new Date().toISOString() } }),
    );
  }

  private toItem<K extends AssetKind>(kind: K, asset: AssetByKind[K]): AssetItem<K> {
    return { ...keys.asset(asset.orgId, kind, asset.id), kind, version: asset.version, data: asset };
  }

  private async conflict(orgId: string, kind: AssetKind, id: string) {
    const current = await this.get(orgId, kind, id);
    if (!current) return new NotFoundError(`no ${ASSET_KINDS[kind].singular} with id "${id}" in your organisation`);
    return new VersionConflictError(current.version, `${ASSET_KINDS[kind].singular} "${id}" is at version ${current.version}; reload it and apply your change again`);
  }
}
