import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand, TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

/** What to do with one call: fail it before it reaches the store, or carry it out and then lose the answer. */
export type Fault = 'throttle' | 'timeout' | 'timeout-after-write' | undefined;

export const throttling = () => Object.assign(new Error('Rate of requests exceeds the allowed throughput (injected)'), { name: 'ThrottlingException' });
export const timeout = () => Object.assign(new Error('socket timed out (injected)'), { name: 'TimeoutError' });

/**
 * The real (embedded) client behind a script: `decide(command, n)` is asked for every call, n counting calls of that
 * command's type from 1, and says which fault, if any, to inject. Counts what it did.
 */
export function scriptedClient(
  real: DynamoDBDocumentClient,
  decide: (command: unknown, n: number) => Fault,
  /** Runs before an injected fault is thrown: e.g. another writer's change landing while this call waits. */
  meanwhile?: (command: unknown, n: number) => Promise<void>,
) {
  const calls = new Map<string, number>();
  const injected = { throttle: 0, timeout: 0, 'timeout-after-write': 0 };
  const client = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return async (command: { constructor: { name: string } }) => {
        const type = command.constructor.name;
        const n = (calls.get(type) ?? 0) + 1;
        calls.set(type, n);
        const fault = decide(command, n);
        if (fault) injected[fault]++;
        if (fault && fault !== 'timeout-after-write') await meanwhile?.(command, n);
        if (fault === 'throttle') throw throttling();
        if (fault === 'timeout') throw timeout();
        const out = await target.send(command as never);
        if (fault === 'timeout-after-write') {
          await meanwhile?.(command, n);
          throw timeout();
        }
        return out;
      };
    },
  });
  return { client, calls: (type: string) => calls.get(type) ?? 0, injected };
}

/**
 * TransactWriteItems for the embedded store, which has none (dynalite): enough of it for the asset repository. Puts and
 * deletes; transactions run one at a time; all conditions (terms of `attribute_exists(a)`, `attribute_not_exists(a)`,
 * `a = :v` and `a <> :v` joined by AND, `#names` allowed) are checked with consistent reads before any item is written,
 * a failed one throws TransactionCanceledException with one reason per action, as DynamoDB does, and a
 * ClientRequestToken seen before with the same input succeeds again without writing anything. `fail(n, input)` may
 * throw instead of running the n-th transaction, or return 'timeout-after-write' to lose the answer of one that ran.
 */
export function withTransactions(real: DynamoDBDocumentClient, fail: (n: number, input: TransactWriteCommandInput) => Fault | void = () => undefined) {
  let queue: Promise<unknown> = Promise.resolve();
  let n = 0;
  const tokens = new Map<string, string>();
  const stats = { transactions: 0, committed: 0, replayed: 0 };

  async function transact(input: TransactWriteCommandInput) {
    stats.transactions++;
    const fault = fail(++n, input);
    if (fault === 'throttle') throw throttling();
    if (fault === 'timeout') throw timeout();
    const fingerprint = JSON.stringify(input.TransactItems);
    if (input.ClientRequestToken && tokens.has(input.ClientRequestToken)) {
      if (tokens.get(input.ClientRequestToken) !== fingerprint) throw Object.assign(new Error('token reused with another request'), { name: 'IdempotentParameterMismatchException' });
      stats.replayed++;
      if (fault === 'timeout-after-write') throw timeout();
      return {};
    }
    const items = input.TransactItems ?? [];
    if (items.length > 100) throw Object.assign(new Error('Member must have length less than or equal to 100'), { name: 'ValidationException' });
    const reasons: { Code: string; Message?: string }[] = [];
    for (const action of items) {
      const op = action.Put ?? action.Delete;
      if (!op || action.Update || action.ConditionCheck) throw new Error('the emulator only does puts and deletes');
      if (op.ConditionExpression === undefined) {
        reasons.push({ Code: 'None' });
        continue;
      }
      const { pk, sk } = (action.Put ? action.Put.Item : action.Delete!.Key) as { pk: string; sk: string };
      const out = await real.send(new GetCommand({ TableName: op.TableName, Key: { pk, sk }, ConsistentRead: true }));
      const holds = conditionHolds(op.ConditionExpression, out.Item, op.ExpressionAttributeNames ?? {}, op.ExpressionAttributeValues ?? {});
      reasons.push(holds ? { Code: 'None' } : { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' });
    }
    if (reasons.some((r) => r.Code !== 'None')) {
      throw new TransactionCanceledException({
        message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
        $metadata: {},
        CancellationReasons: reasons,
      });
    }
    for (let i = 0; i < items.length; i += 25) {
      const part = items.slice(i, i + 25);
      const table = (part[0]!.Put ?? part[0]!.Delete)!.TableName!;
      let pending: unknown[] = part.map((a) => (a.Put ? { PutRequest: { Item: a.Put.Item } } : { DeleteRequest: { Key: a.Delete!.Key } }));
      while (pending.length > 0) {
        const out = await real.send(new BatchWriteCommand({ RequestItems: { [table]: pending as never } }));
        pending = out.UnprocessedItems?.[table] ?? [];
      }
    }
    if (input.ClientRequestToken) tokens.set(input.ClientRequestToken, fingerprint);
    stats.committed++;
    if (fault === 'timeout-after-write') throw timeout();
    return {};
  }

  const client = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return (command: unknown) => {
        if (!(command instanceof TransactWriteCommand)) return target.send(command as never);
        const run = queue.then(() => transact(command.input));
        queue = run.catch(() => undefined);
        return run;
      };
    },
  });
  return { client, stats };
}

/** Evaluates the condition expressions the asset repository writes (see withTransactions) against an item. */
function conditionHolds(expression: string, item: Record<string, unknown> | undefined, names: Record<string, string>, values: Record<string, unknown>): boolean {
  const name = (n: string) => names[n] ?? n;
  return expression.split(' AND ').every((raw) => {
    const term = raw.trim();
    const fn = /^(attribute_exists|attribute_not_exists)\((.+)\)$/.exec(term);
    if (fn) return (item !== undefined && item[name(fn[2]!)] !== undefined) === (fn[1] === 'attribute_exists');
    const cmp = /^(\S+) (=|<>) (:\w+)$/.exec(term);
    if (!cmp) throw new Error(`the emulator cannot evaluate "${term}"`);
    const equal = item !== undefined && item[name(cmp[1]!)] === values[cmp[3]!];
    return cmp[2] === '=' ? equal : item !== undefined && item[name(cmp[1]!)] !== undefined && !equal;
  });
}
