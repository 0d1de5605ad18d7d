import { z } from 'zod';

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

/** The identity every request runs as; built only from a verified token. */
export interface Principal {
  userId: string;
  orgId: string;
  role: Role;
  name?: string;
}
