import * as z from 'zod';

export const ROLES = ['analyst', 'bid-writer', 'planner', 'viewer', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const ROLE_LABELS: Record<Role, string> = {
  analyst: 'Partnership analyst',
  'bid-writer': 'Bid writer',
  planner: 'Planner',
  viewer: 'Viewer (read only)',
  admin: 'Administrator',
};

/**
 * Permissions granted on top of a role. `sensitive-cameras`: may see and record covert or sensitive cameras, which are
 * hidden from everyone else whatever their role. Locally a token claim; on AWS the Cognito group of the same name.
 */
export const PERMISSIONS = ['sensitive-cameras'] as const;
export const permissionSchema = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof permissionSchema>;

/** The identity every request runs as; built only from a verified token. */
export interface Principal {
  userId: string;
  orgId: string;
  role: Role;
  name?: string;
  permissions?: Permission[];
}

export const hasPermission = (p: Pick<Principal, 'permissions'>, permission: Permission) => p.permissions?.includes(permission) ?? false;
