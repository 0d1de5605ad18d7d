import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditLog } from '@safer-places/domain';
import type { AuditEvent } from '@safer-places/schemas';
import { keys } from './keys';
import { backoffMs, isConditionFailure, isThrottling, isTransient, retryingClient, sleep, type RetryPolicy } from './retry';

export const DEFAULT_AUDIT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 50 };

/**
 * The audit log: one item per event under AUDIT#<orgId>, sorted by time. Events are only ever put, never overwritten
 * (the put is conditional) and the API's IAM role is denied deleting or updating anything under AUDIT#.
 */
export class DynamoAuditLog implements AuditLog {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retry: RetryPolicy = DEFAULT_AUDIT_RETRY,
  ) {
    this.doc = retryingClient(doc, retry);
  }

  async append(event: AuditEvent): Promise<void> {
    const put = new PutCommand({
      TableName: this.tableName,
      Item: { ...keys.audit(event.orgId, event.at, event.id), event },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    let unsure = false;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.doc.send(put);
        return;
      } catch (err) {
        // After a timeout the first put may have landed; finding the event there is then success, not a clash.
        if (unsure && isConditionFailure(err)) {
          const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.audit(event.orgId, event.at, event.id), ConsistentRead: true }));
          if (JSON.stringify((out.Item as { event?: unknown } | undefined)?.event) === JSON.stringify(event)) return;
        }
        if (!isTransient(err) || attempt >= this.retry.attempts) throw err;
        unsure ||= !isThrottling(err);
        await sleep(backoffMs(attempt, this.retry));
      }
    }
  }

  async list(orgId: string, options: { limit: number; before?: string }): Promise<{ events: AuditEvent[]; next: string | null }> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: options.before ? 'pk = :pk AND sk < :before' : 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.auditPk(orgId), ...(options.before && { ':before': options.before }) },
        ScanIndexForward: false,
        Limit: options.limit,
      }),
    );
    const items = (out.Items ?? []) as { sk: string; event: AuditEvent }[];
    const last = items.at(-1);
    return { events: items.map((i) => i.event), next: out.LastEvaluatedKey && last ? last.sk : null };
  }
}
