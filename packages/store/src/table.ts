import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTableInput } from './table-definition';

/** Creates the table from the shared definition if it is missing, and waits until it is usable. */
export async function ensureTable(doc: DynamoDBDocumentClient, tableName: string): Promise<'created' | 'existing'> {
  try {
    await doc.send(new DescribeTableCommand({ TableName: tableName }));
    return 'existing';
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException)) throw e;
  }
  await doc.send(new CreateTableCommand(createTableInput(tableName)));
  for (let i = 0; i < 100; i++) {
    const out = await doc.send(new DescribeTableCommand({ TableName: tableName }));
    if (out.Table?.TableStatus === 'ACTIVE') return 'created';
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
