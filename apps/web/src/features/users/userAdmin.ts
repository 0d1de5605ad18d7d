import {
  ROLE_LABELS,
  ROLES,
  USER_STATUS_LABELS,
  hasPermission,
  userInviteSchema,
  type Me,
  type OrgUser,
  type Permission,
  type Role,
  type UserChange,
  type UserInviteInput,
} from '@safer-places/schemas';

/** The roles as the selects offer them, in the order the sign-in form uses. */
export const ROLE_OPTIONS: { value: Role; label: string }[] = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

export const COVERT_PERMISSION: Permission = 'sensitive-cameras';

/** Only an administrator who has the covert cameras permission sees it on users and may grant or remove it. */
export const canGrantCovert = (me: Pick<Me, 'permissions'>) => hasPermission(me, COVERT_PERMISSION);

/** The invitation form as typed. */
export interface InviteForm {
  email: string;
  name: string;
  role: Role;
  covert: boolean;
}

export const emptyInvite = (): InviteForm => ({ email: '', name: '', role: 'viewer', covert: false });

export type InviteErrors = Partial<Record<'email' | 'name' | 'role' | 'form', string>>;

/**
 * Checks the form with the API's own schema (the same rules the server applies: an e-mail address, a name with at least
 * one visible character and no control characters, a known role) and returns the body to send, or an error per field.
 */
export function checkInvite(form: InviteForm): { body: UserInviteInput; errors: null } | { body: null; errors: InviteErrors } {
  const body: UserInviteInput = { email: form.email, name: form.name, role: form.role, ...(form.covert && { permissions: [COVERT_PERMISSION] }) };
  const result = userInviteSchema.safeParse(body);
  if (result.success) return { body: { ...body, email: result.data.email, name: result.data.name }, errors: null };
  const errors: InviteErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0];
    const key = field === 'email' || field === 'name' || field === 'role' ? field : 'form';
    errors[key] ??= sentence(issue.message);
  }
  return { body: null, errors };
}

/** "email must be …" → "Email must be …", for a message under a field. */
function sentence(message: string): string {
  const text = message.replace(/^email\b/, 'E-mail');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What an administrator has changed on one user's row, not yet saved. */
export interface RowEdit {
  role?: Role;
  covert?: boolean;
}

/**
 * The PATCH body for a row's edits: only what differs from the user as loaded, or null when nothing does. The
 * permission list is sent only by an administrator who may grant it (others are never shown it).
 */
export function changeFor(user: OrgUser, edit: RowEdit, mayGrantCovert: boolean): UserChange | null {
  const change: UserChange = {};
  if (edit.role !== undefined && edit.role !== user.role) change.role = edit.role;
  const has = user.permissions.includes(COVERT_PERMISSION);
  if (mayGrantCovert && edit.covert !== undefined && edit.covert !== has) {
    change.permissions = edit.covert ? [...user.permissions.filter((p) => p !== COVERT_PERMISSION), COVERT_PERMISSION] : user.permissions.filter((p) => p !== COVERT_PERMISSION);
  }
  return Object.keys(change).length > 0 ? change : null;
}

/** What the administrator may do to a user: nobody disables themselves or gives up their own administrator role. */
export function allowedActions(user: OrgUser, me: Pick<Me, 'userId'>): { changeRole: boolean; toggleEnabled: boolean; isSelf: boolean } {
  const isSelf = user.id === me.userId;
  return { changeRole: !isSelf, toggleEnabled: !isSelf, isSelf };
}

/** One user as the table shows them: plain text only. */
export interface UserRow {
  id: string;
  name: string;
  email: string;
  role: string;
  covert: string;
  status: string;
  enabled: string;
  /** The accessible name of the enable/disable button, e.g. "Disable Pat Jones". */
  toggleLabel: string;
}

export function userRow(user: OrgUser, me: Pick<Me, 'userId'>): UserRow {
  const name = user.name || user.email;
  return {
    id: user.id,
    name: user.id === me.userId ? `${name} (you)` : name,
    email: user.email,
    role: user.role ? ROLE_LABELS[user.role] : 'No role (cannot use the app)',
    covert: user.permissions.includes(COVERT_PERMISSION) ? 'Yes' : 'No',
    status: USER_STATUS_LABELS[user.status] ?? user.status,
    enabled: user.enabled ? 'Enabled' : 'Disabled',
    toggleLabel: `${user.enabled ? 'Disable' : 'Enable'} ${name}`,
  };
}

/** What to announce after a change was saved. */
export function savedMessage(before: OrgUser, after: OrgUser): string {
  const name = after.name || after.email;
  const parts: string[] = [];
  if (before.role !== after.role) parts.push(`role is now ${after.role ? ROLE_LABELS[after.role] : 'none'}`);
  const had = before.permissions.includes(COVERT_PERMISSION);
  const has = after.permissions.includes(COVERT_PERMISSION);
  if (had !== has) parts.push(has ? 'may now see covert cameras' : 'may no longer see covert cameras');
  if (before.enabled !== after.enabled) parts.push(after.enabled ? 'is enabled' : 'is disabled and cannot sign in');
  return parts.length > 0 ? `${name}: ${parts.join(', ')}.` : `${name}: nothing changed.`;
}

/** Users by name, then e-mail: the order the API sends, kept after a local change. */
export function sortUsers(users: readonly OrgUser[]): OrgUser[] {
  return [...users].sort((a, b) => a.name.localeCompare(b.name, 'en-GB', { sensitivity: 'base' }) || a.email.localeCompare(b.email));
}

/** The list with one user replaced by the server's answer (or added). */
export function withUser(users: readonly OrgUser[], user: OrgUser): OrgUser[] {
  return sortUsers([...users.filter((u) => u.id !== user.id), user]);
}
