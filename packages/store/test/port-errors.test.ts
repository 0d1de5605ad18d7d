import { BatchWriteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortError, PortThrottledError, StoreThrottledError, WriteOutcomeUnknownError } from '@safer-places/domain';
import { DynamoAssetRepository, batchWrite } from '../src/index';
import { startTestStore, storedCamera } from './harness';
import { scriptedClient } from './scripted-client';

/**
 * The store's own failures are the domain's port errors (packages/domain/src/errors.ts), so callers, the API among
 * them, recognise them by class: a store that kept refusing is a PortThrottledError, a write whose outcome could not be
 * found out is a WriteOutcomeUnknownError.
 */
let store: Awaited<ReturnType<typeof startTestStore>>;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(() => store.close());

const fast = { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 }, cleanupRetry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 } };
const is = (type: { name: string }) => (c: unknown) => (c as object).constructor.name === type.name;

/** A client that hands every BatchWrite's items back unprocessed, as DynamoDB does under sustained load. */
function refusingBatches(real: DynamoDBDocumentClient): DynamoDBDocumentClient {
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return async (command: unknown) => {
        if (!(command instanceof BatchWriteCommand)) return target.send(command as never);
        return { UnprocessedItems: command.input.RequestItems };
      };
    },
  });
}

describe('store failures are the domain port errors', () => {
  it('a batch write whose items stay unprocessed is a StoreThrottledError (a PortThrottledError)', async () => {
    const items = [{ PutRequest: { Item: { pk: 'PORT-ERR', sk: '1' } } }];
    const err = await batchWrite(refusingBatches(store.doc), store.tableName, items, 1, { attempts: 2, baseDelayMs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreThrottledError);
    expect(err).toBeInstanceOf(PortThrottledError);
    expect(err).toBeInstanceOf(PortError);
    expect((err as Error).name).toBe('StoreThrottledError');
  });

  it('a write that timed out and could not be read back is a WriteOutcomeUnknownError, not a throttling error', async () => {
    // Every put times out after it was carried out; every read-back is refused, so the outcome cannot be found out.
    const f = scriptedClient(store.doc, (c) => (is(PutCommand)(c) ? 'timeout-after-write' : is(GetCommand)(c) ? 'throttle' : undefined));
    const err = await new DynamoAssetRepository(f.client, store.tableName, fast).create('cameras', storedCamera('port-err', 'c1')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WriteOutcomeUnknownError);
    expect(err).not.toBeInstanceOf(PortThrottledError);
    expect((err as Error).name).toBe('WriteOutcomeUnknownError');
  });
});
