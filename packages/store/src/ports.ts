import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAssetRepository } from './asset-repository';
import { DynamoAuditLog } from './audit-log';
import { DynamoIdempotencyStore } from './idempotency-store';
import { DynamoPostcodeRepository } from './postcodes';
import { DynamoReferenceRepository } from './reference-repository';

export interface DynamoPorts {
  assets: DynamoAssetRepository;
  reference: DynamoReferenceRepository;
  audit: DynamoAuditLog;
  idempotency: DynamoIdempotencyStore;
  /** A dataset's postcodes (optional reference data: an imported ONS postcode file), for the search. */
  postcodes: DynamoPostcodeRepository;
}

/** Every repository the API needs, over one table. */
export function dynamoPorts(doc: DynamoDBDocumentClient, tableName: string): DynamoPorts {
  return {
    assets: new DynamoAssetRepository(doc, tableName),
    reference: new DynamoReferenceRepository(doc, tableName),
    audit: new DynamoAuditLog(doc, tableName),
    idempotency: new DynamoIdempotencyStore(doc, tableName),
    postcodes: new DynamoPostcodeRepository(doc, tableName),
  };
}
