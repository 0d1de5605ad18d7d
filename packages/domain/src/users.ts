import {
  PERMISSIONS,
  ROLE_LABELS,
  hasPermission,
  type OrgUser,
  type Permission,
  type Principal,
  type UserChange,
  type UserInvite,
} from '@safer-places/schemas';
import { ForbiddenError, NotFoundError } from './errors';

/**
 * The people of each organisation: on AWS the Cognito user pool, locally the local store. Every call is scoped by the
 * organisation; a user of another organisation is never returned, and changing one fails as not found.
 */
export interface UserDirectory {
  /** Every user of the organisation. */
  list(orgId: string): Promise<OrgUser[]>;
  /** The user, or null when there is none with this id in the organisation (another organisation's users included). */
  get(orgId: string, id: string): Promise<OrgUser | null>;
  /**
   * Creates the user in the organisation with the role and permissions (on AWS Cognito e-mails a temporary password).
   * Fails with AlreadyExistsError when the e-mail address (locally also the name) is taken.
   */
  invite(orgId: string, invite: UserInvite): Promise<OrgUser>;
  /** Applies the change and returns the user as they now are; NotFoundError when the id is not in the organisation. */
  update(orgId: string, id: string, change: UserChange): Promise<OrgUser>;
}

/** How local sign-in and the local store compare names: trimmed, white space runs as one space, NFC, lower case. */
export function userNameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

/** The permission whose holders alone may see, grant or take away. */
const GUARDED: Permission = 'sensitive-cameras';

/** The user as this administrator may see them: without the covert-camera permission unless they hold it too. */
function visibleTo(admin: Principal, user: OrgUser): OrgUser {
  return hasPermission(admin, GUARDED) ? user : { ...user, permissions: user.permissions.filter((p) => p !== GUARDED) };
}

function permissionWords(permissions: readonly Permission[]): string {
  return permissions.includes('sensitive-cameras') ? 'with the covert cameras permission' : 'without the covert cameras permission';
}

const roleWord = (role: OrgUser['role']) => (role ? ROLE_LABELS[role] : 'no role');

/** What an administrator's request did, for the audit log. */
export interface UserAdminResult {
  user: OrgUser;
  /** One line for the audit log, e.g. `role Planner → Administrator; disabled`. */
  detail: string;
  /** The covert-camera permission was granted or taken away: the audit event is shown only to holders of it. */
  sensitive: boolean;
}

/**
 * Administrators managing their organisation's users. The rules:
 * - only administrators, only their own organisation (the directory is always asked with the caller's orgId);
 * - the covert-camera permission is granted or removed only by an administrator who holds it, and is not shown to one
 *   who does not (who has it would show that covert cameras exist);
 * - nobody disables their own account or gives up their own administrator role (an organisation must not lock itself
 *   out by accident): another administrator does that.
 */
export class UserAdminService {
  constructor(private readonly directory: UserDirectory) {}

  private static assertAdmin(admin: Principal): void {
    if (admin.role !== 'admin') throw new ForbiddenError(`managing users needs the role admin; you are signed in as ${admin.role}`);
  }

  private static assertMayGrant(admin: Principal, permissions: readonly Permission[], what: string): void {
    if (permissions.includes(GUARDED) && !hasPermission(admin, GUARDED)) {
      throw new ForbiddenError(`only an administrator who has the covert cameras permission may ${what} it`);
    }
  }

  /** The organisation's users, by name then e-mail. */
  async list(admin: Principal): Promise<OrgUser[]> {
    UserAdminService.assertAdmin(admin);
    const users = await this.directory.list(admin.orgId);
    return users
      .map((u) => visibleTo(admin, u))
      .sort((a, b) => a.name.localeCompare(b.name, 'en-GB', { sensitivity: 'base' }) || a.email.localeCompare(b.email) || a.id.localeCompare(b.id));
  }

  /** One user of the organisation; NotFoundError for any other id. */
  async get(admin: Principal, id: string): Promise<OrgUser> {
    UserAdminService.assertAdmin(admin);
    const user = await this.directory.get(admin.orgId, id);
    if (!user) throw new NotFoundError(`there is no user ${id} in your organisation`);
    return visibleTo(admin, user);
  }

  async invite(admin: Principal, invite: UserInvite): Promise<UserAdminResult> {
    UserAdminService.assertAdmin(admin);
    UserAdminService.assertMayGrant(admin, invite.permissions, 'grant');
    const user = await this.directory.invite(admin.orgId, invite);
    return {
      user: visibleTo(admin, user),
      detail: `invited ${invite.name} <${invite.email}> as ${ROLE_LABELS[invite.role]} ${permissionWords(invite.permissions)}`,
      sensitive: invite.permissions.includes(GUARDED),
    };
  }

  /**
   * Changes role, permissions or enabled. `permissions` is the whole list the user should have; from an administrator
   * without the covert-camera permission (who is never shown it) it leaves that permission as it is.
   */
  async update(admin: Principal, id: string, change: UserChange): Promise<UserAdminResult> {
    UserAdminService.assertAdmin(admin);
    const current = await this.directory.get(admin.orgId, id);
    if (!current) throw new NotFoundError(`there is no user ${id} in your organisation`);
    const mayGrant = hasPermission(admin, GUARDED);

    let permissions: Permission[] | undefined;
    if (change.permissions) {
      UserAdminService.assertMayGrant(admin, change.permissions, 'grant');
      // Without the permission, the administrator was never shown it: whatever the user has of it stays.
      const asked = mayGrant ? change.permissions : [...change.permissions, ...current.permissions.filter((p) => p === GUARDED)];
      permissions = PERMISSIONS.filter((p) => asked.includes(p));
    }
    if (id === admin.userId) {
      if (change.enabled === false) throw new ForbiddenError('you cannot disable your own account; ask another administrator');
      if (change.role !== undefined && change.role !== 'admin') {
        throw new ForbiddenError('you cannot give up your own administrator role; ask another administrator');
      }
    }

    const parts: string[] = [];
    if (change.role !== undefined && change.role !== current.role) parts.push(`role ${roleWord(current.role)} → ${roleWord(change.role)}`);
    let sensitive = false;
    if (permissions) {
      const added = permissions.filter((p) => !current.permissions.includes(p));
      const removed = current.permissions.filter((p) => !permissions.includes(p));
      if (added.includes(GUARDED)) parts.push('covert cameras permission granted');
      if (removed.includes(GUARDED)) parts.push('covert cameras permission removed');
      sensitive = added.includes(GUARDED) || removed.includes(GUARDED);
    }
    if (change.enabled !== undefined && change.enabled !== current.enabled) parts.push(change.enabled ? 'enabled' : 'disabled');
    if (parts.length === 0) return { user: visibleTo(admin, current), detail: `${current.name}: no change`, sensitive: false };

    const effective: UserChange = {
      ...(change.role !== undefined && { role: change.role }),
      ...(permissions && { permissions }),
      ...(change.enabled !== undefined && { enabled: change.enabled }),
    };
    const user = await this.directory.update(admin.orgId, id, effective);
    return { user: visibleTo(admin, user), detail: `${current.name} <${current.email}>: ${parts.join('; ')}`, sensitive };
  }
}

/**
 * Local sign-in by name (no passwords: a development and demo convenience). A user of the local directory with that
 * name signs in as the directory has them (their id, role and permissions, whatever role the form asked for); a
 * disabled one, or one without a role, is refused. Any other name signs in with the role asked for, as before.
 */
export function localSignInPrincipal(users: readonly OrgUser[], requested: Principal): Principal {
  const key = userNameKey(requested.name ?? '');
  const user = key ? users.find((u) => userNameKey(u.name) === key) : undefined;
  if (!user) return requested;
  if (!user.enabled) throw new ForbiddenError(`${user.name} is disabled in this organisation and cannot sign in; an administrator can enable them again`);
  if (!user.role) throw new ForbiddenError(`${user.name} has no role yet; an administrator must give them one first`);
  return {
    userId: user.id,
    orgId: requested.orgId,
    role: user.role,
    name: user.name,
    ...(user.permissions.length > 0 && { permissions: [...user.permissions] }),
  };
}
