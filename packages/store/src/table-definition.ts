/**
 * The one table definition, used by local start-up (CreateTable on the embedded DynamoDB) and by the CDK stack.
 * Plain data on purpose: no SDK or CDK types, so both sides can read it.
 */
export interface KeyAttribute {
  name: string;
  type: 'S';
}

export interface TableDefinition {
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  /** None today: every access pattern is a Query on the base table (see docs/table-design.md). */
  globalSecondaryIndexes: { indexName: string; partitionKey: KeyAttribute; sortKey: KeyAttribute }[];
  billingMode: 'PAY_PER_REQUEST';
  /** Epoch seconds after which DynamoDB may delete an item (idempotency records); readers still check it themselves. */
  timeToLiveAttribute: string;
}

export const DEFAULT_TABLE_NAME = 'safer-places';

export const TABLE_DEFINITION: TableDefinition = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [],
  billingMode: 'PAY_PER_REQUEST',
  timeToLiveAttribute: 'expiresAt',
};

/** CreateTable input for the DynamoDB API, derived from the definition. */
export function createTableInput(tableName: string, def: TableDefinition = TABLE_DEFINITION) {
  const attributes = new Map<string, 'S'>();
  const keys = [def.partitionKey, def.sortKey, ...def.globalSecondaryIndexes.flatMap((g) => [g.partitionKey, g.sortKey])];
  for (const k of keys) attributes.set(k.name, k.type);
  return {
    TableName: tableName,
    BillingMode: def.billingMode,
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: [
      { AttributeName: def.partitionKey.name, KeyType: 'HASH' as const },
      { AttributeName: def.sortKey.name, KeyType: 'RANGE' as const },
    ],
    ...(def.globalSecondaryIndexes.length > 0 && {
      GlobalSecondaryIndexes: def.globalSecondaryIndexes.map((g) => ({
        IndexName: g.indexName,
        KeySchema: [
          { AttributeName: g.partitionKey.name, KeyType: 'HASH' as const },
          { AttributeName: g.sortKey.name, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'ALL' as const },
      })),
    }),
  };
}
