import { AsyncLocalStorage } from 'node:async_hooks';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** First backoff in ms; doubles each attempt, capped at maxDelayMs (default 2 s), with ±50 % jitter. */
  baseDelayMs: number;
  maxDelayMs?: number;
}

/** DynamoDB refused the request for load: nothing was done, and the same request may simply be sent again. */
const THROTTLING = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TransactionInProgressException',
  'TransactionConflictException',
  'LimitExceededException',
  'TooManyRequestsException',
]);
/** No answer in time: the request may or may not have been carried out. */
const TIMEOUTS = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
/** The service failed on its side; like a timeout, the outcome of a write is unknown. */
const SERVER_ERRORS = new Set(['InternalServerError', 'ServiceUnavailable', 'InternalFailure']);
/** The connection broke while the request was out: like a timeout, it may have been carried out. */
const BROKEN_CONNECTION = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT']);
/** No connection was made, so nothing was sent. */
const NO_CONNECTION = new Set(['ECONNREFUSED']);

const nameOf = (err: unknown) => (err as { name?: unknown } | null)?.name;
const codeOf = (err: unknown) => String((err as { code?: unknown } | null)?.code ?? '');
const statusOf = (err: unknown) => (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;

export const isThrottling = (err: unknown) => THROTTLING.has(String(nameOf(err))) || statusOf(err) === 429 || NO_CONNECTION.has(codeOf(err));
/** True when a write that failed like this may still have been carried out. */
export const isAmbiguous = (err: unknown) => {
  const status = statusOf(err);
  return (
    TIMEOUTS.has(String(nameOf(err))) ||
    SERVER_ERRORS.has(String(nameOf(err))) ||
    BROKEN_CONNECTION.has(codeOf(err)) ||
    (status !== undefined && status >= 500 && status <= 504 && status !== 501)
  );
};
export const isTransient = (err: unknown) => isThrottling(err) || isAmbiguous(err);
export const isConditionFailure = (err: unknown) => nameOf(err) === 'ConditionalCheckFailedException';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The wait before try number attempt + 1. */
export function backoffMs(attempt: number, policy: RetryPolicy): number {
  return Math.min(policy.maxDelayMs ?? 2000, policy.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random());
}

/**
 * Retries happen in one layer only. The SDK makes one attempt per send (client.ts), and every retry loop in this
 * package runs each of its tries through `oneTry`: a send made inside a try is not retried again underneath it by the
 * client of createDocumentClient. Only a send made outside any retry loop (a tool's own Scan, say) gets the client's
 * fallback retries. So one logical call makes at most `attempts` sends of its policy, never a product of layers.
 */
const inTry = new AsyncLocalStorage<true>();
export const oneTry = <T>(fn: () => Promise<T>): Promise<T> => inTry.run(true, fn);
export const insideRetryLoop = () => inTry.getStore() === true;

/** Runs fn until it succeeds, fails with a non-transient error, or the attempts run out (the last error is rethrown). */
export async function withRetry<T>(fn: () => Promise<T>, policy: RetryPolicy, retryable: (err: unknown) => boolean = isTransient): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await oneTry(fn);
    } catch (err) {
      if (!retryable(err) || attempt >= policy.attempts) throw err;
      await sleep(backoffMs(attempt, policy));
    }
  }
}

/** Commands that can be sent again without changing the outcome: reads, and puts/deletes by key without a condition. */
export function isIdempotent(command: unknown): boolean {
  if (
    command instanceof GetCommand ||
    command instanceof QueryCommand ||
    command instanceof ScanCommand ||
    command instanceof BatchGetCommand ||
    command instanceof DescribeTableCommand
  ) {
    return true;
  }
  if (command instanceof PutCommand || command instanceof DeleteCommand) return command.input.ConditionExpression === undefined;
  return command instanceof BatchWriteCommand;
}

/**
 * The same client, except that idempotent commands which meet throttling or a timeout are sent again with backoff.
 * Conditional and other non-idempotent writes pass straight through: their callers decide what a retry means.
 */
export function retryingClient(doc: DynamoDBDocumentClient, policy: RetryPolicy): DynamoDBDocumentClient {
  return new Proxy(doc, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return (command: unknown, ...rest: unknown[]) => {
        const send = () => Reflect.apply(target.send, target, [command, ...rest]) as Promise<unknown>;
        return isIdempotent(command) ? withRetry(send, policy) : oneTry(send);
      };
    },
  });
}

/**
 * The client createDocumentClient hands out: a send made inside a retry loop of this package goes once (that loop is
 * the retry layer); an idempotent send made outside any (a tool's own Query or Scan) is retried here with `policy`.
 */
export function fallbackRetryClient(doc: DynamoDBDocumentClient, policy: RetryPolicy): DynamoDBDocumentClient {
  return new Proxy(doc, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return (command: unknown, ...rest: unknown[]) => {
        const send = () => Reflect.apply(target.send, target, [command, ...rest]) as Promise<unknown>;
        return !insideRetryLoop() && isIdempotent(command) ? withRetry(send, policy) : send();
      };
    },
  });
}
