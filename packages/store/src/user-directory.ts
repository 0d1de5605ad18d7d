import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AlreadyExistsError, NotFoundError, userNameKey, type UserDirectory } from '@safer-places/domain';
import type { OrgUser, Permission, Role, UserChange, UserInvite } from '@safer-places/schemas';
import { keys, type Key } from './keys';
import { queryAll } from './query';
import { isConditionFailure, retryingClient, type RetryPolicy } from './retry';

/** One local user, under the organisation's partition. */
interface UserItem {
  pk: string;
  sk: string;
  id: string;
  email: string;
  name: string;
  role: Role;
  permissions: Permission[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Holds an e-mail address or a name for one user, so no two users of an organisation share either. */
interface ClaimItem {
  pk: string;
  sk: string;
  userId: string;
  /** When it was claimed (ms since the epoch). */
  at: number;
}

export interface UserDirectoryOptions {
  retry?: RetryPolicy;
  now?: () => Date;
  /**
   * A claim whose user item is missing and which is older than this was left by an invitation that failed part-way (the
   * process stopped between the writes): it is taken over instead of blocking the address or name for ever.
   */
  staleClaimMs?: number;
}

const toUser = (item: UserItem): OrgUser => ({
  id: item.id,
  email: item.email,
  name: item.name,
  role: item.role,
  permissions: item.permissions ?? [],
  enabled: item.enabled,
  // No password locally: a user can sign in as soon as they exist.
  status: 'active',
  createdAt: item.createdAt,
});

/**
 * The local user directory (the local server's users; on AWS they live in Cognito). Items live under the organisation's
 * partition: USER#<id> for each user, USEREMAIL#<address> and USERNAME#<name> claims that keep e-mail addresses and names
 * unique within the organisation (local sign-in is by name). It works without transactions (the embedded store has
 * none): the claims are written first, each conditionally, then the user; an invitation that fails part-way takes its
 * claims back.
 */
export class DynamoUserDirectory implements UserDirectory {
  private readonly doc: DynamoDBDocumentClient;
  private readonly now: () => Date;
  private readonly staleClaimMs: number;

  constructor(
    doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: UserDirectoryOptions = {},
  ) {
    this.doc = retryingClient(doc, options.retry ?? { attempts: 4, baseDelayMs: 25, maxDelayMs: 400 });
    this.now = options.now ?? (() => new Date());
    this.staleClaimMs = options.staleClaimMs ?? 60_000;
  }

  async list(orgId: string): Promise<OrgUser[]> {
    const items = await queryAll<UserItem>(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.orgPk(orgId), ':prefix': keys.userPrefix },
    });
    return items.map(toUser);
  }

  async get(orgId: string, id: string): Promise<OrgUser | null> {
    const item = await this.item(keys.user(orgId, id));
    return item ? toUser(item as unknown as UserItem) : null;
  }

  async invite(orgId: string, invite: UserInvite): Promise<OrgUser> {
    const id = randomUUID();
    const at = this.now().toISOString();
    const emailKey = keys.userEmail(orgId, invite.email);
    const nameKey = keys.userName(orgId, userNameKey(invite.name));
    const claimed: Key[] = [];
    try {
      if (!(await this.claim(orgId, emailKey, id))) throw new AlreadyExistsError(`a user with the e-mail address ${invite.email} already exists in your organisation`);
      claimed.push(emailKey);
      if (!(await this.claim(orgId, nameKey, id))) {
        throw new AlreadyExistsError(`a user called ${invite.name} already exists in your organisation; local sign-in is by name, so names must differ`);
      }
      claimed.push(nameKey);
      const item: UserItem = {
        ...keys.user(orgId, id),
        id,
        email: invite.email,
        name: invite.name,
        role: invite.role,
        permissions: invite.permissions,
        enabled: true,
        createdAt: at,
        updatedAt: at,
      };
      await this.doc.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
      return toUser(item);
    } catch (err) {
      // Give back what this invitation claimed (only if it still holds it), then report the failure itself.
      await Promise.allSettled(claimed.map((key) => this.release(key, id)));
      throw err;
    }
  }

  async update(orgId: string, id: string, change: UserChange): Promise<OrgUser> {
    const names: Record<string, string> = { '#updatedAt': 'updatedAt' };
    const values: Record<string, unknown> = { ':updatedAt': this.now().toISOString() };
    const sets = ['#updatedAt = :updatedAt'];
    for (const field of ['role', 'permissions', 'enabled'] as const) {
      if (change[field] === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = change[field];
      sets.push(`#${field} = :${field}`);
    }
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.user(orgId, id),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toUser(out.Attributes as UserItem);
    } catch (err) {
      if (isConditionFailure(err)) throw new NotFoundError(`there is no user ${id} in your organisation`);
      throw err;
    }
  }

  private async item(key: Key): Promise<Record<string, unknown> | null> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return (out.Item as Record<string, unknown> | undefined) ?? null;
  }

  /** True when the claim is now this user's: it was free, or left behind by an invitation that never finished. */
  private async claim(orgId: string, key: Key, userId: string): Promise<boolean> {
    const mine: ClaimItem = { ...key, userId, at: this.now().getTime() };
    try {
      await this.doc.send(new PutCommand({ TableName: this.tableName, Item: mine, ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    const held = (await this.item(key)) as unknown as ClaimItem | null;
    if (held) {
      if (await this.item(keys.user(orgId, held.userId))) return false;
      if (mine.at - held.at < this.staleClaimMs) return false;
    }
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: mine,
          ...(held
            ? { ConditionExpression: 'userId = :stale', ExpressionAttributeValues: { ':stale': held.userId } }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  private async release(key: Key, userId: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({ TableName: this.tableName, Key: key, ConditionExpression: 'userId = :me', ExpressionAttributeValues: { ':me': userId } }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }
}
