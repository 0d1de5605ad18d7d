import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../src/index';

const WRITES = new Set(['PutCommand', 'DeleteCommand', 'UpdateCommand', 'BatchWriteCommand', 'TransactWriteCommand']);

/** What a process that stopped existing would see, if it could see anything: used as the error of every later call. */
export const died = () => Object.assign(new Error('the process died (simulated)'), { name: 'ProcessDied' });

/**
 * A process that dies after `afterWrites` writes were carried out: the write that reaches the count lands in the store,
 * but its answer never comes back, and from then on no call of this client reaches the store (a dead process sends
 * nothing, including clean-up). 0 dies before the first write. Writes already on their way when it dies still land,
 * as they would. `writes` lists the writes carried out, e.g. "PutCommand UPLOAD#…".
 */
export function dyingClient(real: DynamoDBDocumentClient, afterWrites: number) {
  let dead = afterWrites === 0;
  const writes: string[] = [];
  const client = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        if (dead) throw died();
        const type = command.constructor.name;
        if (!WRITES.has(type)) return target.send(command as never);
        const out = await target.send(command as never);
        writes.push(`${type} ${describeKey(command.input)}`);
        if (writes.length >= afterWrites) dead = true;
        if (dead) throw died();
        return out;
      };
    },
  });
  return { client, writes, isDead: () => dead };
}

function describeKey(input: Record<string, unknown>): string {
  const key = (input.Item ?? input.Key) as { sk?: string } | undefined;
  if (key?.sk) return key.sk;
  const first = (input.TransactItems as { Put?: { Item?: { sk?: string } } }[] | undefined)?.[0]?.Put?.Item?.sk;
  return first ? `${first} …` : '?';
}

/** Everything stored under an organisation's partition, as the store holds it (tags and all). */
export async function rawItems(doc: DynamoDBDocumentClient, tableName: string, orgId: string): Promise<Record<string, unknown>[]> {
  const out = await doc.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.orgPk(orgId) }, ConsistentRead: true }));
  return out.Items ?? [];
}

/** A summary of rawItems: stored asset items, those still tagged by an upload, journals and upload records by state. */
export async function rawSummary(doc: DynamoDBDocumentClient, tableName: string, orgId: string) {
  const items = await rawItems(doc, tableName, orgId);
  const sk = (i: Record<string, unknown>) => String(i.sk);
  const assets = items.filter((i) => sk(i).startsWith(keys.assetPrefix('cameras')));
  const records = items.filter((i) => sk(i).startsWith(keys.upload(orgId, '').sk));
  return {
    assets: assets.length,
    runs: [...new Set(assets.flatMap((i) => (i.uploadRun === undefined ? [] : [String(i.uploadRun)])))],
    journals: items.filter((i) => sk(i).startsWith(keys.uploadJournalPrefix)).length,
    records: records.map((r) => ({ state: String(r.state), run: String(r.run) })),
  };
}
