import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Transient DynamoDB faults in front of a real (embedded) store, for tests. Each `send` may be refused with a
 * ThrottlingException (nothing done), answered with a TimeoutError after a short delay (nothing done, or — the nasty
 * case — the command really carried out and only its answer lost), and a BatchWrite may write only part of its items
 * and hand the rest back as UnprocessedItems, as DynamoDB does under load.
 *
 * Seeded and deterministic: whether a call meets a fault depends only on the seed, the command (its type and the keys
 * it touches) and how many times that same command was sent before, not on timing, so concurrent writers see the same
 * faults on every run.
 */
export interface FaultPlan {
  seed: number;
  /** Share of calls refused with ThrottlingException. */
  throttle?: number;
  /** Share of calls answered with TimeoutError. */
  timeout?: number;
  /** Of those timeouts on writes, the share where the write really happened before the answer was lost. */
  timeoutAfterWrite?: number;
  /** Share of BatchWrite calls (not otherwise faulted) that write only part of the batch. */
  partialBatch?: number;
  /** How long a timed-out call takes, in ms (default 5). */
  timeoutDelayMs?: number;
  /** Which commands may meet faults (default 'writes'). */
  target?: 'writes' | 'reads' | 'all';
  /** Faults are injected only while this says so (default: always); counts so far are passed in. */
  enabled?: ((counts: FaultCounts) => boolean) | undefined;
  /** An outage: while this says so, every targeted call is refused with ThrottlingException. */
  outage?: ((counts: FaultCounts) => boolean) | undefined;
}

export interface FaultCounts {
  calls: number;
  /** Calls of the targeted kind, faulted or not. */
  targeted: number;
  writes: number;
  throttles: number;
  timeouts: number;
  /** Timeouts where the write had really been carried out. */
  timeoutsAfterWrite: number;
  partialBatches: number;
  /** Items handed back as UnprocessedItems by partial batches. */
  unprocessedItems: number;
}

const WRITES = new Set(['PutCommand', 'DeleteCommand', 'UpdateCommand', 'BatchWriteCommand', 'TransactWriteCommand']);
const READS = new Set(['GetCommand', 'QueryCommand', 'ScanCommand', 'BatchGetCommand']);

/** FNV-1a over a string, then mulberry32 from it: a small, seeded, reproducible stream of numbers in [0, 1). */
function stream(seed: number, text: string): () => number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Input = Record<string, unknown>;
const keyOf = (o: unknown) => {
  const r = (o ?? {}) as { pk?: unknown; sk?: unknown };
  return `${String(r.pk)}|${String(r.sk)}`;
};

/** What a command touches, without values that change from run to run (write tokens, timestamps). */
function fingerprint(type: string, input: Input): string {
  switch (type) {
    case 'PutCommand':
      return `${type} ${keyOf(input.Item)}`;
    case 'GetCommand':
    case 'DeleteCommand':
    case 'UpdateCommand':
      return `${type} ${keyOf(input.Key)}`;
    case 'BatchWriteCommand': {
      const requests = Object.values(input.RequestItems as Record<string, Input[]>)[0] ?? [];
      return `${type} ${requests.map((r) => ('PutRequest' in r ? `P${keyOf((r.PutRequest as Input).Item)}` : `D${keyOf((r.DeleteRequest as Input).Key)}`)).join(',')}`;
    }
    case 'TransactWriteCommand':
      return `${type} ${(input.TransactItems as Input[]).map((t) => keyOf(((t.Put ?? t.Delete ?? t.Update ?? t.ConditionCheck) as Input).Item ?? ((t.Delete ?? t.Update ?? t.ConditionCheck) as Input | undefined)?.Key)).join(',')}`;
    default:
      return `${type} ${JSON.stringify({ k: input.KeyConditionExpression, v: input.ExpressionAttributeValues, s: input.ExclusiveStartKey })}`;
  }
}

const injected = (name: string, message: string) => Object.assign(new Error(`${message} (injected)`), { name, $fault: 'client', $metadata: {} });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface FaultyDynamo {
  /** Use wherever a DynamoDBDocumentClient goes. */
  client: DynamoDBDocumentClient;
  counts: FaultCounts;
  /** Changes the plan from the next call on (e.g. no faults while checking the result). */
  setPlan(plan: Partial<FaultPlan>): void;
}

export function withFaults(doc: DynamoDBDocumentClient, initial: FaultPlan): FaultyDynamo {
  let plan: FaultPlan = initial;
  const seen = new Map<string, number>();
  const counts: FaultCounts = { calls: 0, targeted: 0, writes: 0, throttles: 0, timeouts: 0, timeoutsAfterWrite: 0, partialBatches: 0, unprocessedItems: 0 };
  const real = (command: unknown) => doc.send(command as never) as Promise<Record<string, unknown>>;

  async function send(command: { constructor: { name: string }; input: Input }): Promise<unknown> {
    const type = command.constructor.name;
    const isWrite = WRITES.has(type);
    counts.calls++;
    if (isWrite) counts.writes++;
    const target = plan.target ?? 'writes';
    const targeted = target === 'all' ? isWrite || READS.has(type) : target === 'writes' ? isWrite : READS.has(type);
    if (!targeted) return real(command);
    counts.targeted++;
    if (plan.enabled && !plan.enabled(counts)) return real(command);

    const print = fingerprint(type, command.input);
    const occurrence = (seen.get(print) ?? 0) + 1;
    seen.set(print, occurrence);
    const rng = stream(plan.seed, `${occurrence}#${print}`);
    const delay = plan.timeoutDelayMs ?? 5;

    const draw = rng();
    if (plan.outage?.(counts) || draw < (plan.throttle ?? 0)) {
      counts.throttles++;
      throw injected('ThrottlingException', 'Rate of requests exceeds the allowed throughput');
    }
    if (draw < (plan.throttle ?? 0) + (plan.timeout ?? 0)) {
      counts.timeouts++;
      if (isWrite && rng() < (plan.timeoutAfterWrite ?? 0)) {
        counts.timeoutsAfterWrite++;
        await real(command); // carried out; if the store itself refused it, that answer is what the caller gets
      }
      await sleep(delay);
      throw injected('TimeoutError', `no answer within ${delay} ms`);
    }
    if (type === 'BatchWriteCommand' && rng() < (plan.partialBatch ?? 0)) {
      const [table, requests] = Object.entries(command.input.RequestItems as Record<string, Input[]>)[0]!;
      if (requests.length > 1) {
        const done: Input[] = [];
        const left: Input[] = [];
        for (const r of requests) (rng() < 0.5 ? done : left).push(r);
        if (left.length === 0) left.push(done.pop()!);
        counts.partialBatches++;
        counts.unprocessedItems += left.length;
        const out = done.length > 0 ? await real(new BatchWriteCommand({ RequestItems: { [table]: done as never } })) : {};
        const stillLeft = ((out.UnprocessedItems as Record<string, Input[]> | undefined)?.[table] ?? []).concat(left);
        return { ...out, UnprocessedItems: { [table]: stillLeft } };
      }
    }
    return real(command);
  }

  const client = new Proxy(doc, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return send;
    },
  });
  return {
    client,
    counts,
    setPlan: (p) => {
      plan = { ...plan, ...p };
    },
  };
}
