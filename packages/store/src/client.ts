import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fallbackRetryClient, type RetryPolicy } from './retry';

export interface ClientOptions {
  /** Any DynamoDB endpoint (embedded, DynamoDB Local); unset means AWS itself. */
  endpoint?: string;
  region?: string;
}

/**
 * Retries for idempotent sends made outside the store's own retry loops (a tool's own Query or Scan); what the SDK's
 * default of 5 tries used to give them.
 */
export const DEFAULT_CLIENT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 50, maxDelayMs: 2000 };

/**
 * The SDK makes exactly one attempt per send: retries belong to the store (retry.ts), which knows which writes may be
 * sent again and how to settle one whose answer was lost. Before, the SDK's 5 tries ran under the store's 4, up to 20
 * sends for one write.
 */
export function createDocumentClient(options: ClientOptions = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: options.region ?? process.env.AWS_REGION ?? 'eu-west-2',
    ...(options.endpoint && {
      endpoint: options.endpoint,
      // Local endpoints accept any credentials; real ones come from the environment.
      credentials: {
        accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local',
        secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
      },
    }),
    maxAttempts: 1,
  });
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return fallbackRetryClient(doc, DEFAULT_CLIENT_RETRY);
}
