import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  ListUsersCommand,
  type AdminCreateUserCommandOutput,
  type AdminGetUserCommandOutput,
  type AdminListGroupsForUserCommandOutput,
  type AttributeType,
  type ListUsersCommandOutput,
  type UserStatusType,
} from '@aws-sdk/client-cognito-identity-provider';
import { AlreadyExistsError, NotFoundError, PortThrottledError, type UserDirectory } from '@safer-places/domain';
import { PERMISSIONS, ROLES, USER_ID_PATTERN, type OrgUser, type Permission, type Role, type UserChange, type UserInvite, type UserStatus } from '@safer-places/schemas';
import { roleFromGroups } from '../auth';

/** The Cognito attribute holding a user's organisation (infra/lib/auth.ts ORG_ATTRIBUTE; read by createCognitoVerifier). */
export const ORG_ATTRIBUTE = 'custom:orgId';

type Command =
  | AdminAddUserToGroupCommand
  | AdminCreateUserCommand
  | AdminDeleteUserCommand
  | AdminDisableUserCommand
  | AdminEnableUserCommand
  | AdminGetUserCommand
  | AdminListGroupsForUserCommand
  | AdminRemoveUserFromGroupCommand
  | ListUsersCommand;

/** What the adapter needs of CognitoIdentityProviderClient: `send`. Tests pass a fake that records the commands. */
export interface CognitoSender {
  send(command: Command): Promise<unknown>;
}

/** Cognito refused for load (TooManyRequests, LimitExceeded): a port error, so the API answers 503, try again later. */
export class UserDirectoryThrottledError extends PortThrottledError {
  override readonly name = 'UserDirectoryThrottledError';
}

const nameOf = (err: unknown) => String((err as { name?: unknown } | null)?.name ?? '');

/** Groups held while users are listed: a few at once, so one large organisation does not run into Cognito's rate limit. */
const GROUP_LOOKUPS_AT_ONCE = 4;

const STATUS: Partial<Record<UserStatusType, UserStatus>> = {
  FORCE_CHANGE_PASSWORD: 'invited',
  CONFIRMED: 'active',
  RESET_REQUIRED: 'password-reset',
};

function attribute(attributes: AttributeType[] | undefined, name: string): string | undefined {
  return attributes?.find((a) => a.Name === name)?.Value;
}

interface CognitoUser {
  /** Cognito's `sub`: the id the API hands out, the token's subject, and a valid Username for the Admin* calls. */
  sub: string;
  orgId: string | undefined;
  email: string;
  name: string;
  enabled: boolean;
  status: UserStatusType | string | undefined;
  createdAt: Date | undefined;
}

function fromCognito(u: { Username?: string; Attributes?: AttributeType[]; Enabled?: boolean; UserStatus?: string; UserCreateDate?: Date }): CognitoUser | null {
  const sub = attribute(u.Attributes, 'sub');
  if (!sub) return null;
  return {
    sub,
    orgId: attribute(u.Attributes, ORG_ATTRIBUTE),
    email: attribute(u.Attributes, 'email') ?? '',
    name: attribute(u.Attributes, 'name') ?? attribute(u.Attributes, 'email') ?? '',
    enabled: u.Enabled ?? true,
    status: u.UserStatus,
    createdAt: u.UserCreateDate,
  };
}

function toOrgUser(u: CognitoUser, groups: readonly string[]): OrgUser {
  return {
    id: u.sub,
    email: u.email,
    name: u.name,
    role: roleFromGroups(groups),
    permissions: PERMISSIONS.filter((p) => groups.includes(p)),
    enabled: u.enabled,
    status: (u.status && STATUS[u.status as UserStatusType]) || 'other',
    createdAt: u.createdAt ? u.createdAt.toISOString() : null,
  };
}

/**
 * The organisation's users in the Cognito user pool. The organisation is the `custom:orgId` attribute (set at
 * invitation from the administrator's token, never from the request), the role a group per role, and the covert-camera
 * permission the `sensitive-cameras` group. Cognito cannot filter ListUsers on a custom attribute, so the pool is listed
 * and filtered here; every single-user call first checks the user's organisation, and a user of another organisation
 * is "not found", exactly like an id that does not exist.
 *
 * IAM (on the user pool): cognito-idp:ListUsers, AdminGetUser, AdminListGroupsForUser, AdminCreateUser,
 * AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminDisableUser, AdminEnableUser, and AdminDeleteUser (only to take
 * back an invitation whose group could not be set).
 */
export class CognitoUserDirectory implements UserDirectory {
  constructor(
    private readonly client: CognitoSender,
    private readonly userPoolId: string,
  ) {}

  private async send<T>(command: Command): Promise<T> {
    try {
      return (await this.client.send(command)) as T;
    } catch (err) {
      if (nameOf(err) === 'TooManyRequestsException' || nameOf(err) === 'LimitExceededException') {
        throw new UserDirectoryThrottledError('the user directory is busy; nothing was changed, try again in a few seconds');
      }
      throw err;
    }
  }

  async list(orgId: string): Promise<OrgUser[]> {
    const members: CognitoUser[] = [];
    let PaginationToken: string | undefined;
    do {
      const out = await this.send<ListUsersCommandOutput>(new ListUsersCommand({ UserPoolId: this.userPoolId, Limit: 60, ...(PaginationToken && { PaginationToken }) }));
      for (const raw of out.Users ?? []) {
        const user = fromCognito(raw);
        if (user && user.orgId === orgId) members.push(user);
      }
      PaginationToken = out.PaginationToken;
    } while (PaginationToken);

    const users: OrgUser[] = new Array(members.length);
    let nextIndex = 0;
    const worker = async () => {
      while (nextIndex < members.length) {
        const i = nextIndex++;
        users[i] = toOrgUser(members[i]!, await this.groups(members[i]!.sub));
      }
    };
    await Promise.all(Array.from({ length: Math.min(GROUP_LOOKUPS_AT_ONCE, members.length) }, worker));
    return users;
  }

  async get(orgId: string, id: string): Promise<OrgUser | null> {
    const found = await this.load(orgId, id);
    return found && toOrgUser(found.user, found.groups);
  }

  async invite(orgId: string, invite: UserInvite): Promise<OrgUser> {
    let created: AdminCreateUserCommandOutput;
    try {
      created = await this.send<AdminCreateUserCommandOutput>(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: invite.email,
          UserAttributes: [
            { Name: 'email', Value: invite.email },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: invite.name },
            { Name: ORG_ATTRIBUTE, Value: orgId },
          ],
          // Cognito e-mails the invitation with a temporary password (the pool's invitation message).
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
    } catch (err) {
      // The pool is shared by every organisation: the address may belong to someone elsewhere. Say no more than that.
      if (nameOf(err) === 'UsernameExistsException' || nameOf(err) === 'AliasExistsException') {
        throw new AlreadyExistsError(`the e-mail address ${invite.email} already has a Safer Places account`);
      }
      throw err;
    }
    const user = created.User && fromCognito(created.User);
    if (!user) throw new Error('Cognito created the user but returned no sub attribute');
    const groups = [invite.role, ...invite.permissions];
    try {
      for (const group of groups) await this.addToGroup(user.sub, group);
    } catch (err) {
      // A user without their role cannot use the app and would block the address: take the invitation back.
      await this.send(new AdminDeleteUserCommand({ UserPoolId: this.userPoolId, Username: user.sub })).catch(() => undefined);
      throw err;
    }
    return toOrgUser({ ...user, orgId }, groups);
  }

  async update(orgId: string, id: string, change: UserChange): Promise<OrgUser> {
    const found = await this.load(orgId, id);
    if (!found) throw new NotFoundError(`there is no user ${id} in your organisation`);
    const groups = new Set(found.groups);
    if (change.role !== undefined) {
      // The new role first, then the others go: the user is never without a role in between.
      if (!groups.has(change.role)) {
        await this.addToGroup(id, change.role);
        groups.add(change.role);
      }
      for (const role of ROLES) {
        if (role !== change.role && groups.has(role)) {
          await this.removeFromGroup(id, role);
          groups.delete(role);
        }
      }
    }
    if (change.permissions !== undefined) {
      for (const permission of PERMISSIONS) {
        const wanted = change.permissions.includes(permission);
        if (wanted && !groups.has(permission)) {
          await this.addToGroup(id, permission);
          groups.add(permission);
        } else if (!wanted && groups.has(permission)) {
          await this.removeFromGroup(id, permission);
          groups.delete(permission);
        }
      }
    }
    let enabled = found.user.enabled;
    if (change.enabled !== undefined && change.enabled !== enabled) {
      await this.send(change.enabled ? new AdminEnableUserCommand({ UserPoolId: this.userPoolId, Username: id }) : new AdminDisableUserCommand({ UserPoolId: this.userPoolId, Username: id }));
      enabled = change.enabled;
    }
    return toOrgUser({ ...found.user, enabled }, [...groups]);
  }

  /** The user and their groups, only if they are in the organisation; null for anyone else. */
  private async load(orgId: string, id: string): Promise<{ user: CognitoUser; groups: string[] } | null> {
    // Only ids as this API hands them out (a sub): never an e-mail address or another alias Cognito would also accept.
    if (!USER_ID_PATTERN.test(id)) return null;
    let out: AdminGetUserCommandOutput;
    try {
      out = await this.send<AdminGetUserCommandOutput>(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: id }));
    } catch (err) {
      if (nameOf(err) === 'UserNotFoundException') return null;
      throw err;
    }
    const user = fromCognito({ ...out, Attributes: out.UserAttributes });
    if (!user || user.sub !== id || user.orgId !== orgId) return null;
    return { user, groups: await this.groups(id) };
  }

  private async groups(username: string): Promise<string[]> {
    const names: string[] = [];
    let NextToken: string | undefined;
    do {
      const out = await this.send<AdminListGroupsForUserCommandOutput>(
        new AdminListGroupsForUserCommand({ UserPoolId: this.userPoolId, Username: username, Limit: 60, ...(NextToken && { NextToken }) }),
      );
      for (const g of out.Groups ?? []) if (g.GroupName) names.push(g.GroupName);
      NextToken = out.NextToken;
    } while (NextToken);
    return names;
  }

  private addToGroup(username: string, group: Role | Permission) {
    return this.send(new AdminAddUserToGroupCommand({ UserPoolId: this.userPoolId, Username: username, GroupName: group }));
  }

  private removeFromGroup(username: string, group: Role | Permission) {
    return this.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: this.userPoolId, Username: username, GroupName: group }));
  }
}
