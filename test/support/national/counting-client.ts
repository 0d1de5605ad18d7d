import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** What a wrapped client's reads brought back, item by item. */
export interface ReadLog {
  /** Read requests sent (Get, BatchGet, Query, Scan). */
  requests: number;
  /** Items returned by those reads. */
  items: number;
  /** Crime chunk items returned, and the LSOA codes their dictionaries hold (every LSOA with a crime in the chunk). */
  crimeChunks: number;
  crimeLsoas: Map<string, number>;
  /** Monthly count items returned, and the LSOA codes they hold. */
  countItems: number;
  countLsoas: Map<string, number>;
}

export const emptyReadLog = (): ReadLog => ({ requests: 0, items: 0, crimeChunks: 0, crimeLsoas: new Map(), countItems: 0, countLsoas: new Map() });

const READS = new Set(['GetCommand', 'BatchGetCommand', 'QueryCommand', 'ScanCommand', 'GetItemCommand', 'BatchGetItemCommand']);

function note(log: ReadLog, item: Record<string, unknown>) {
  log.items++;
  // A packed crime chunk (store/src/crime-codec.ts): its LSOA dictionary lists the LSOAs of the crimes it holds.
  if (typeof item.dict === 'string' && item.lx !== undefined && item.xy !== undefined) {
    log.crimeChunks++;
    const dict = JSON.parse(item.dict) as { lsoa?: string[] };
    for (const code of dict.lsoa ?? []) log.crimeLsoas.set(code, (log.crimeLsoas.get(code) ?? 0) + 1);
  } else if (typeof item.codes === 'string' && item.counts !== undefined) {
    log.countItems++;
    for (const code of item.codes.split(',').filter(Boolean)) log.countLsoas.set(code, (log.countLsoas.get(code) ?? 0) + 1);
  }
}

/**
 * The same DynamoDB document client, with every read's answer inspected on the way back: which crime chunks and
 * count items a request read, and which LSOAs they hold. Looks at the items themselves, not at their keys, so it
 * tells what was read whatever the key layout of the partitions.
 */
export function countingClient(doc: DynamoDBDocumentClient): { client: DynamoDBDocumentClient; log: () => ReadLog; reset: () => void } {
  let log = emptyReadLog();
  const send = doc.send.bind(doc) as (command: unknown) => Promise<unknown>;
  const client = new Proxy(doc, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver) as unknown;
      return async (command: { constructor: { name: string } }) => {
        const out = (await send(command)) as { Item?: Record<string, unknown>; Items?: Record<string, unknown>[]; Responses?: Record<string, Record<string, unknown>[]> };
        if (READS.has(command.constructor.name)) {
          log.requests++;
          if (out.Item) note(log, out.Item);
          for (const item of out.Items ?? []) note(log, item);
          for (const items of Object.values(out.Responses ?? {})) for (const item of items) note(log, item);
        }
        return out;
      };
    },
  });
  return { client, log: () => log, reset: () => (log = emptyReadLog()) };
}
