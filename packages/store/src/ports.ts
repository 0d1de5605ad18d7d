import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAssetRepository } from './asset-repository';
import { DynamoAuditLog } from './audit-log';
import { DynamoIdempotencyStore } from './idempotency-store';
import { DynamoReferenceRepository } from './reference-repository';

export interface DynamoPorts {
  assets: DynamoAssetRepository;
  reference: DynamoReferenceRepository;
  audit: DynamoAuditLog;
  idempotency: DynamoIdempotencyStore;
}

/** Every repository the API needs, over one table. */
export function dynamoPorts(doc: DynamoDBDocumentClient, tableName: string): DynamoPorts {
  return {
    assets: new DynamoAssetRepository(doc, tableName),
    reference: new DynamoReferenceRepository(doc, tableName),
    audit: new DynamoAuditLog(doc, tableName),
    idempotency: new DynamoIdempotencyStore(doc, tableName),
  };
}
