import * as z from 'zod';
import { ITEM_ID } from './fields';
import { PERMISSIONS, permissionSchema, roleSchema, type Permission, type Role } from './roles';
import { visibleText } from './text';

/**
 * User administration (`GET /api/users`, `POST /api/users`, `PATCH /api/users/:id`): administrators invite the people of
 * their own organisation, set their role and the covert-camera permission, and disable or enable them. The
 * organisation is always the administrator's own (from the token); no request names one.
 */

/** A user id as the API hands it out: the Cognito `sub` on AWS, a generated id locally. */
export const USER_ID_PATTERN = ITEM_ID;
export const userIdSchema = z.string().regex(USER_ID_PATTERN, 'a user id is 1 to 64 letters, digits, - or _');

/** The longest name a user may have (the local sign-in form's limit too). */
export const MAX_USER_NAME = 80;

export const userEmailSchema = z
  .string({ error: 'email is required' })
  .trim()
  .toLowerCase()
  .max(254, 'email is at most 254 characters')
  .pipe(z.email({ error: 'email must be an e-mail address such as alex.smith@example.gov.uk' }));

const permissionList = z
  .array(permissionSchema)
  .max(PERMISSIONS.length, `permissions lists each of ${PERMISSIONS.join(', ')} at most once`)
  .transform((list) => PERMISSIONS.filter((p) => list.includes(p)));

/** `POST /api/users`: who to invite, with which role and permissions. */
export const userInviteSchema = z.strictObject({
  email: userEmailSchema,
  name: visibleText('name', MAX_USER_NAME),
  role: roleSchema,
  permissions: permissionList.default([]),
});
export type UserInviteInput = z.input<typeof userInviteSchema>;
export type UserInvite = z.output<typeof userInviteSchema>;

/** `PATCH /api/users/:id`: any of role, permissions (the whole list) and enabled; at least one. */
export const userChangeSchema = z
  .strictObject({
    role: roleSchema.optional(),
    permissions: permissionList.optional(),
    enabled: z.boolean({ error: 'enabled is true or false' }).optional(),
  })
  .refine((c) => c.role !== undefined || c.permissions !== undefined || c.enabled !== undefined, {
    message: 'send at least one of role, permissions and enabled',
  });
export type UserChange = z.output<typeof userChangeSchema>;

/**
 * Where a user is with signing in. `invited`: has not signed in with the temporary password yet; `password-reset`: must
 * choose a new password at the next sign-in; `other`: any other state of the identity provider.
 */
export const USER_STATUSES = ['invited', 'active', 'password-reset', 'other'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
export const USER_STATUS_LABELS: Record<UserStatus, string> = {
  invited: 'Invited, not signed in yet',
  active: 'Active',
  'password-reset': 'Must reset password',
  other: 'Other',
};

/** One user of the caller's organisation, as the API answers. */
export interface OrgUser {
  id: string;
  email: string;
  name: string;
  /** null when the user is in no role group (set up outside the app): they cannot use the app until given a role. */
  role: Role | null;
  /**
   * Permissions on top of the role. An administrator without the sensitive-cameras permission is never told who has
   * it (that would show covert cameras exist): for them the list leaves it out.
   */
  permissions: Permission[];
  /** A disabled user cannot sign in. */
  enabled: boolean;
  status: UserStatus;
  createdAt: string | null;
}

/** `GET /api/users`: the organisation's users, by name. */
export interface UserList {
  users: OrgUser[];
}
